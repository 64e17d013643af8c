/**
 * The error every object check throws: BAD_OBJECT with the id git's fsck
 * reports for the same defect (camelCase, as `git fsck` prints it and as
 * `fsck.<msg-id>` config keys spell it), in `details.check`.
 */
import { GroveError } from '../../errors.ts';

export function fsckError(check: string, message: string): GroveError {
  return new GroveError('BAD_OBJECT', `${check}: ${message}`, { check });
}
