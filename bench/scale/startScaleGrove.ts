/**
 * Starts Grove for the scale bench as a process of its own (groveScaleMain.ts,
 * pinned to the server core when pinning is in effect), with a fixed admin
 * token, and stops it with SIGTERM so that it closes its databases first.
 */
import { join } from 'node:path';
import { spawnServer, type ServerProcess } from '../servers/spawnServer.ts';

export const SCALE_ADMIN_TOKEN = 'grove-bench-scale-admin-token';

const MAIN = join(import.meta.dirname, 'groveScaleMain.ts');

export interface ScaleGroveOptions {
  /** Repository databases kept open at once (Grove's default, 256, when absent). */
  maxOpenRepos?: number;
  /** Extra `node` flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

export async function startScaleGrove(dataDir: string, options: ScaleGroveOptions = {}): Promise<ServerProcess> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GROVE_') && !key.startsWith('GIT_')) env[key] = value;
  }
  env['GROVE_ADMIN_TOKEN'] = SCALE_ADMIN_TOKEN;
  const args = [...(options.nodeArgs ?? []), MAIN, '--data', dataDir];
  if (options.maxOpenRepos !== undefined) args.push('--max-open-repos', String(options.maxOpenRepos));
  return spawnServer(process.execPath, args, env, /Grove listening on (\S+)/);
}
