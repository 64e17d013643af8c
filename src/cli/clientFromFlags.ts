/**
 * The server and token every client command uses: `--url`, else
 * `GROVE_URL`, else http://127.0.0.1:8787; `--token`, else `GROVE_TOKEN`.
 * Also adds those flags (and `--json`) to a command.
 */
import type { Command } from 'commander';
import { GroveClient } from '../sdk/GroveClient.ts';
import { UsageError } from './UsageError.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8787';

export interface ClientFlags {
  url?: string;
  token?: string;
  json?: boolean;
}

/** Adds `--url`, `--token` and `--json` to `command`. */
export function withClientFlags(command: Command): Command {
  return command
    .option('--url <url>', `Grove server (env GROVE_URL, default ${DEFAULT_URL})`)
    .option('--token <token>', 'admin or repository token (env GROVE_TOKEN)')
    .option('--json', "print the server's JSON instead of text");
}

export function clientFromFlags(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): GroveClient {
  const url = flags.url ?? nonEmpty(env['GROVE_URL']) ?? DEFAULT_URL;
  const token = flags.token ?? nonEmpty(env['GROVE_TOKEN']);
  try {
    return new GroveClient({ url, token });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** True when neither `--token` nor `GROVE_TOKEN` gives a token. */
export function hasToken(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): boolean {
  return (flags.token ?? nonEmpty(env['GROVE_TOKEN'])) !== undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
