/**
 * Validates one object the way `git fsck --strict` and `receive.fsckObjects`
 * (git 2.39) do, and returns the ids it links to. "Strict" means git's fsck
 * warnings are errors too: a server must never accept an object that would
 * make `git fsck --strict` fail on a clone. Findings git rates "info" or
 * "ignore" are accepted, as git accepts them (see checkTree.ts, checkTag.ts).
 *
 * Checks that need more than the object itself are left to the caller:
 * the content of blobs named `.gitmodules`/`.gitattributes` in some tree
 * (gitmodulesUrl, gitmodulesName, gitattributesLineLength...), whether linked
 * objects exist, and whether they have the type the link implies.
 *
 * @example
 *   checkObject('tree', data); // ['e69de29b...', ...] or throws
 *   // GroveError { code: 'BAD_OBJECT', details: { check: 'hasDotgit' } }
 */
import { checkCommit } from './checkCommit.ts';
import { checkTag } from './checkTag.ts';
import { checkTree } from './checkTree.ts';
import { fsckError } from './fsckError.ts';
import type { ObjectType } from './gitObject.ts';
import type { Oid } from './objectId.ts';

/**
 * The ids `data` links to (commit: tree then parents; tree: every entry but
 * gitlinks; tag: the tagged object; blob: none). Throws GroveError BAD_OBJECT
 * with `details.check` set to git's fsck message id when the object is invalid.
 */
export function checkObject(type: ObjectType, data: Uint8Array): Oid[] {
  switch (type) {
    case 'commit':
      return checkCommit(data);
    case 'tree':
      return checkTree(data);
    case 'tag':
      return checkTag(data);
    case 'blob':
      return [];
    default:
      throw fsckError('unknownType', `unknown object type ${JSON.stringify(type satisfies never)}`);
  }
}
