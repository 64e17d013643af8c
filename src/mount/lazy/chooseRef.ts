/**
 * Which ref of the remote a lazy mount checks out: the one asked for — a
 * full ref name, a branch or a tag name — or, by default, the branch the
 * remote's HEAD points at. A tag is checked out as a detached HEAD at the
 * commit it peels to.
 */
import { GroveError } from '../../errors.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import type { Ref } from '../../git/ports.ts';

export interface ChosenRef {
  /** Full name, e.g. refs/heads/main. */
  name: string;
  /** The commit to check out. */
  commit: Oid;
  /** The branch name (refs/heads/<branch>), when the ref is a branch. */
  branch?: string;
}

/** Ref names to list for `wanted` (ls-refs prefixes). */
export function refPrefixesFor(wanted: string | undefined): string[] {
  if (wanted === undefined) return ['refs/heads/'];
  if (wanted.startsWith('refs/')) return [wanted];
  return [`refs/heads/${wanted}`, `refs/tags/${wanted}`];
}

export function chooseRef(refs: readonly Ref[], wanted: string | undefined, url: string): ChosenRef {
  let ref: Ref | undefined;
  if (wanted === undefined) {
    const head = refs.find((r) => r.name === 'HEAD');
    if (head === undefined || head.oid === null) throw new GroveError('NOT_FOUND', `remote ${url} has no commits to mount (its HEAD is unborn)`);
    ref = head.target === undefined ? head : refs.find((r) => r.name === head.target) ?? { ...head, name: head.target };
  } else {
    const names = wanted.startsWith('refs/') ? [wanted] : [`refs/heads/${wanted}`, `refs/tags/${wanted}`];
    for (const name of names) ref ??= refs.find((r) => r.name === name);
    if (ref === undefined) throw new GroveError('NOT_FOUND', `remote ${url} has no ref ${wanted}`);
  }
  const commit = ref.peeled ?? ref.oid;
  if (commit === null) throw new GroveError('NOT_FOUND', `remote ${url}: ${ref.name} does not exist yet`);
  const chosen: ChosenRef = { name: ref.name, commit };
  if (ref.name.startsWith('refs/heads/')) chosen.branch = ref.name.slice('refs/heads/'.length);
  return chosen;
}
