/**
 * `git fsck --strict` on a commit (git's fsck.c `verify_headers` and
 * `fsck_commit`):
 *
 *     tree <hex> LF                       missingTree, badTreeSha1
 *     (parent <hex> LF)*                  badParentSha1
 *     (author <ident> LF)                 missingAuthor, multipleAuthors
 *     committer <ident> LF                missingCommitter
 *     ...anything, with no NUL in the header (nulInHeader) or the body (nulInCommit)
 *
 * Returns the ids it links to: the tree (a 'tree'), then the parents ('commit's).
 */
import { checkIdent } from './checkIdent.ts';
import { fsckError } from './fsckError.ts';
import { hasAsciiPrefix } from './hasAsciiPrefix.ts';
import type { ObjectCheck, ObjectLink } from './objectCheck.ts';
import { readHexOid } from './readHexOid.ts';
import { verifyHeaders } from './verifyHeaders.ts';

const LF = 0x0a;
const TREE = 'tree ';
const PARENT = 'parent ';
const AUTHOR = 'author ';
const COMMITTER = 'committer ';

export function checkCommit(data: Uint8Array): ObjectCheck {
  verifyHeaders(data);
  if (!hasAsciiPrefix(data, 0, TREE)) throw fsckError('missingTree', "invalid format - expected 'tree' line");
  let pos = TREE.length;
  const tree = readHexOid(data, pos);
  if (tree === undefined || data[pos + 40] !== LF) throw fsckError('badTreeSha1', "invalid 'tree' line format - bad sha1");
  const links: ObjectLink[] = [{ oid: tree, type: 'tree' }];
  pos += 41;
  while (hasAsciiPrefix(data, pos, PARENT)) {
    pos += PARENT.length;
    const parent = readHexOid(data, pos);
    if (parent === undefined || data[pos + 40] !== LF) throw fsckError('badParentSha1', "invalid 'parent' line format - bad sha1");
    links.push({ oid: parent, type: 'commit' });
    pos += 41;
  }
  let authors = 0;
  while (hasAsciiPrefix(data, pos, AUTHOR)) {
    authors++;
    pos = checkIdent(data, pos + AUTHOR.length);
  }
  if (authors < 1) throw fsckError('missingAuthor', "invalid format - expected 'author' line");
  if (authors > 1) throw fsckError('multipleAuthors', "invalid format - multiple 'author' lines");
  if (!hasAsciiPrefix(data, pos, COMMITTER)) throw fsckError('missingCommitter', "invalid format - expected 'committer' line");
  checkIdent(data, pos + COMMITTER.length);
  if (data.includes(0)) throw fsckError('nulInCommit', 'NUL byte in the commit object body');
  return { links, gitmodules: [], gitattributes: [] };
}
