/**
 * Failures of a remote, as the import reports them: one code (REMOTE_ERROR),
 * and a message that names the remote by a URL stripped of anything secret
 * (no user name, password or query: a token can hide in any of them).
 */
import { GroveError, isGroveError } from '../../errors.ts';

/** `scheme://host[:port]/path` of `url`, nothing else. */
export function displayUrl(url: URL | string): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** A REMOTE_ERROR about the remote at `url`. */
export function remoteError(url: URL | string, message: string, details: Record<string, unknown> = {}, cause?: unknown): GroveError {
  const shown = displayUrl(url);
  return new GroveError('REMOTE_ERROR', `remote ${shown}: ${message}`, { url: shown, ...details }, cause === undefined ? undefined : { cause });
}

/** True for an error this module made. */
export function isRemoteError(err: unknown): boolean {
  return isGroveError(err) && err.code === 'REMOTE_ERROR';
}

/** The most telling words of a network failure (undici puts them in `cause`). */
export function networkReason(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; cause?: { message?: unknown; code?: unknown } };
  const cause = e?.cause;
  const text = [cause?.code, cause?.message, e?.code, e?.message].find((v) => typeof v === 'string' && v !== '');
  return typeof text === 'string' ? text : String(err);
}
