/**
 * Git's fsck.c `verify_headers`, run before checking a commit or a tag: the
 * header must contain no NUL and must end with LF, either at the empty line
 * that starts the message or, for an object with no message, at the end.
 */
import { fsckError } from './fsckError.ts';

const LF = 0x0a;

export function verifyHeaders(data: Uint8Array): void {
  for (let i = 0; i < data.length; i++) {
    const byte = data[i];
    if (byte === 0) throw fsckError('nulInHeader', `unterminated header: NUL at offset ${i}`);
    if (byte === LF && data[i + 1] === LF) return;
  }
  if (data.length > 0 && data[data.length - 1] === LF) return;
  throw fsckError('unterminatedHeader', 'unterminated header');
}
