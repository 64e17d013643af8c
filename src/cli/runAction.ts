/**
 * Wraps a command's action so that failures end the way scripts expect: an
 * API error, or a GroveError of work done in this process (a mount), is one
 * line on stderr, `grove: <code>: <message>`, and exit code 1; a usage error is `grove: USAGE: <message>` and exit code 2. No stack
 * traces for either (anything else is a bug and keeps its trace).
 */
import { GroveError } from '../errors.ts';
import { isGroveApiError, type GroveApiError } from '../sdk/GroveApiError.ts';
import { hasToken, type ClientFlags } from './clientFromFlags.ts';
import { UsageError } from './UsageError.ts';

export const EXIT_API_ERROR = 1;
export const EXIT_USAGE = 2;

export function runAction<Args extends unknown[]>(action: (...args: Args) => Promise<void>): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    try {
      await action(...args);
    } catch (err) {
      if (err instanceof UsageError) {
        reportError('USAGE', err.message);
        process.exitCode = EXIT_USAGE;
      } else if (isGroveApiError(err)) {
        reportError(err.code, err.message + hint(err, flagsOf(args)));
        process.exitCode = EXIT_API_ERROR;
      } else if (err instanceof GroveError) {
        reportError(err.code, err.message); // from work done here: a mount, a remote it reads
        process.exitCode = EXIT_API_ERROR;
      } else {
        throw err;
      }
    }
  };
}

/** The one error line. */
export function reportError(code: string, message: string): void {
  process.stderr.write(`grove: ${code}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
}

/** A pointer to the fix, for the errors whose fix is a flag. */
function hint(err: GroveApiError, flags: ClientFlags): string {
  if (err.code === 'UNAUTHORIZED' && !hasToken(flags)) return ' (pass --token or set GROVE_TOKEN)';
  if (err.code === 'NAMESPACE_NOT_EMPTY') return ' (--force deletes its repositories too)';
  if (err.code === 'NETWORK_ERROR') return ' (is the server running? --url or GROVE_URL says where)';
  return '';
}

/** Commander passes the options object second to last. */
function flagsOf(args: unknown[]): ClientFlags {
  const flags = args[args.length - 2];
  return typeof flags === 'object' && flags !== null ? (flags as ClientFlags) : {};
}
