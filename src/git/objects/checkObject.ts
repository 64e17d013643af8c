/**
 * Validates one object the way `git fsck --strict` and `receive.fsckObjects`
 * (git 2.39) do, and says what it links to. "Strict" means git's fsck
 * warnings are errors too: a server must never accept an object that would
 * make `git fsck --strict` fail on a clone. Findings git rates "info" or
 * "ignore" are accepted, as git accepts them (see checkTree.ts, checkTag.ts).
 *
 * Checks that need more than the object itself are left to the caller, with
 * what it needs to run them:
 * - every link must name an object that exists (or arrives in the same pack)
 *   with the type the link implies (`links`);
 * - every id in `gitmodules` / `gitattributes` must be a blob that exists
 *   (`specialBlobError` otherwise) whose content passes `checkGitmodules` /
 *   `checkGitattributes` (checkSpecialBlobs.ts) — including a blob that was
 *   checked before the tree naming it arrived, or that the repository
 *   already had.
 *
 * @example
 *   const { links, gitmodules } = checkObject('tree', data);
 *   // links: [{ oid: 'e69de29b...', type: 'blob' }, ...]; or throws
 *   // GroveError { code: 'BAD_OBJECT', details: { check: 'hasDotgit' } }
 */
import { checkCommit } from './checkCommit.ts';
import { checkTag } from './checkTag.ts';
import { checkTree } from './checkTree.ts';
import { fsckError } from './fsckError.ts';
import type { ObjectType } from './gitObject.ts';
import type { ObjectCheck } from './objectCheck.ts';

export type { ObjectCheck, ObjectLink } from './objectCheck.ts';

/**
 * What `data` links to (commit: its tree, then its parents; tree: every entry
 * but gitlinks; tag: the tagged object; blob: nothing) and, for a tree, the
 * ids it names `.gitmodules` / `.gitattributes`. Throws GroveError BAD_OBJECT
 * with `details.check` set to git's fsck message id when the object is invalid.
 */
export function checkObject(type: ObjectType, data: Uint8Array): ObjectCheck {
  switch (type) {
    case 'commit':
      return checkCommit(data);
    case 'tree':
      return checkTree(data);
    case 'tag':
      return checkTag(data);
    case 'blob':
      return { links: [], gitmodules: [], gitattributes: [] };
    default:
      throw fsckError('unknownType', `unknown object type ${JSON.stringify(type satisfies never)}`);
  }
}
