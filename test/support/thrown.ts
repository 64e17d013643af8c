/**
 * What a call throws, as a value a test can compare: the `code` of the error
 * (Grove throws `GroveError`s with a code, src/errors.ts), or, for the object
 * checks, the git fsck message id a `BAD_OBJECT` error carries in
 * `details.check`.
 */
import { isGroveError } from '../../src/errors.ts';

/** The `code` of what `run` throws (undefined for an error without one), or 'no error' when it returns. */
export function thrownCode(run: () => unknown): unknown {
  try {
    run();
    return 'no error';
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
}

/**
 * The fsck check id of the `BAD_OBJECT` error `run` throws, or undefined when
 * it returns; any other error is thrown on.
 */
export function thrownCheck(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (!isGroveError(err) || err.code !== 'BAD_OBJECT') throw err;
    return String(err.details?.check);
  }
}
