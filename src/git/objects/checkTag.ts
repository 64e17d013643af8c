/**
 * `git fsck --strict` on an annotated tag (git's fsck.c `verify_headers` and
 * `fsck_tag_standalone`):
 *
 *     object <hex> LF                     missingObject, badObjectSha1
 *     type <commit|tree|blob|tag> LF      missingTypeEntry, missingType, badType
 *     tag <name> LF                       missingTagEntry, missingTag
 *     tagger <ident> LF                   ident errors
 *
 * Git 2.39 rates three tag findings below "warning", so `--strict` (which
 * turns warnings into errors) still accepts them, and so do we:
 * badTagName (`refs/tags/<name>` fails check-ref-format) and
 * missingTaggerEntry are "info"; extraHeaderEntry (headers after tagger) is
 * "ignore".
 *
 * Returns the one id it links to: the tagged object, with the type the
 * `type` header gives it.
 */
import { checkIdent } from './checkIdent.ts';
import { fsckError } from './fsckError.ts';
import { hasAsciiPrefix } from './hasAsciiPrefix.ts';
import { isObjectType } from './gitObject.ts';
import type { ObjectCheck } from './objectCheck.ts';
import { readHexOid } from './readHexOid.ts';
import { verifyHeaders } from './verifyHeaders.ts';

const LF = 0x0a;

/** Like C's `strchr(p, '\n')` on a NUL-terminated buffer: -1 when a NUL or the end comes first. */
function lineEnd(data: Uint8Array, from: number): number {
  for (let i = from; i < data.length; i++) {
    if (data[i] === LF) return i;
    if (data[i] === 0) return -1;
  }
  return -1;
}

export function checkTag(data: Uint8Array): ObjectCheck {
  verifyHeaders(data);
  if (!hasAsciiPrefix(data, 0, 'object ')) throw fsckError('missingObject', "invalid format - expected 'object' line");
  const object = readHexOid(data, 7);
  if (object === undefined || data[47] !== LF) throw fsckError('badObjectSha1', "invalid 'object' line format - bad sha1");
  let pos = 48;
  if (!hasAsciiPrefix(data, pos, 'type ')) throw fsckError('missingTypeEntry', "invalid format - expected 'type' line");
  pos += 5;
  let eol = lineEnd(data, pos);
  if (eol < 0) throw fsckError('missingType', "invalid format - unexpected end after 'type' line");
  const type = String.fromCharCode(...data.subarray(pos, Math.min(eol, pos + 7)));
  if (!isObjectType(type)) throw fsckError('badType', "invalid 'type' value");
  pos = eol + 1;
  if (!hasAsciiPrefix(data, pos, 'tag ')) throw fsckError('missingTagEntry', "invalid format - expected 'tag' line");
  eol = lineEnd(data, pos + 4);
  if (eol < 0) throw fsckError('missingTag', "invalid format - unexpected end after 'type' line");
  pos = eol + 1;
  if (hasAsciiPrefix(data, pos, 'tagger ')) checkIdent(data, pos + 7);
  return { links: [{ oid: object, type }], gitmodules: [], gitattributes: [] };
}
