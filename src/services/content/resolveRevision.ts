/**
 * Revisions as users name them, resolved the way `git rev-parse` resolves
 * those forms (gitrevisions(7)):
 *
 *     <sha1>     the full object name (40 hex digits)
 *     <refname>  "If $GIT_DIR/<refname> exists [HEAD, or a full refs/… name],
 *                that is what you mean. Otherwise, the first match in the
 *                following rules: refs/<refname>, refs/tags/<refname>,
 *                refs/heads/<refname>, refs/remotes/<refname>,
 *                refs/remotes/<refname>/HEAD"
 *     @          "alone is a shortcut for HEAD"
 *     <rev>^<n>  the <n>th parent (^ alone: the first; ^0: the commit itself)
 *     <rev>~<n>  the <n>th generation ancestor, following first parents
 *
 * A full hex name wins over a ref of the same name, as in git. Annotated
 * tags are peeled to what they tag. Abbreviated object names are not
 * accepted (the object store has no prefix lookup). A shallow repository's
 * boundary commits have no parents here, as in a shallow clone.
 */
import { GroveError } from '../../errors.ts';
import type { ObjectType } from '../../git/objects/gitObject.ts';
import { isOid, type Oid } from '../../git/objects/objectId.ts';
import { parseTag } from '../../git/objects/tag.ts';
import type { Ref } from '../../git/ports.ts';
import type { OpenRepository } from '../RepoService.ts';

export interface ResolvedRevision {
  /** The commit the revision names. */
  sha: Oid;
  /** The full name of the ref that named it (for HEAD, the branch HEAD points at); null for an object name. */
  ref: string | null;
}

export interface ResolvedObject {
  sha: Oid;
  type: ObjectType;
  ref: string | null;
}

const MAX_REVISION_LENGTH = 1024;
const MAX_TAG_CHAIN = 100;
const SUFFIX = /(?:\^(\d*)|~(\d*))$/;

/** The commit `rev` names; NOT_FOUND when it names nothing, or something that is not a commit. */
export async function resolveRevision(repo: OpenRepository, rev: string): Promise<ResolvedRevision> {
  const found = await resolveObject(repo, rev);
  if (found.type !== 'commit') throw notFound(rev, `revision '${shown(rev)}' names a ${found.type}, not a commit`);
  return { sha: found.sha, ref: found.ref };
}

/** The object `rev` names, annotated tags peeled: a commit, tree or blob. */
export async function resolveObject(repo: OpenRepository, rev: string): Promise<ResolvedObject> {
  if (rev === '' || rev.length > MAX_REVISION_LENGTH || rev.includes('\0')) {
    throw new GroveError('BAD_REQUEST', `invalid revision '${shown(rev)}'`, { field: 'ref' });
  }
  const steps: { kind: '^' | '~'; n: number }[] = [];
  let base = rev;
  for (let match = SUFFIX.exec(base); match !== null && match.index > 0; match = SUFFIX.exec(base)) {
    const digits = match[1] ?? match[2] ?? '';
    steps.unshift({ kind: match[1] !== undefined ? '^' : '~', n: digits === '' ? 1 : Number(digits) });
    base = base.slice(0, match.index);
  }
  const start = await resolveName(repo, base, rev);
  if (steps.length === 0) return start;
  if (start.type !== 'commit') throw notFound(rev, `revision '${shown(base)}' names a ${start.type}, not a commit`);
  let sha = start.sha;
  const shallow = new Set(repo.repo.shallowSync());
  for (const step of steps) {
    const hops = step.kind === '~' ? step.n : Math.min(step.n, 1);
    const nth = step.kind === '^' ? step.n - 1 : 0;
    for (let i = 0; i < hops; i++) {
      const info = (await repo.objects.readCommits([sha])).get(sha);
      const parents = info === undefined || shallow.has(sha) ? [] : info.parents;
      const parent = parents[i === hops - 1 ? nth : 0];
      if (parent === undefined) throw notFound(rev, `revision '${shown(rev)}' names no commit: ${sha} has no such parent`);
      sha = parent;
    }
  }
  return { sha, type: 'commit', ref: null };
}

/** The ref `name` stands for, by git's rule order; undefined when none matches. */
export function dwimRef(refs: readonly Ref[], name: string): Ref | undefined {
  const byName = new Map(refs.map((r) => [r.name, r]));
  for (const candidate of refCandidates(name)) {
    const ref = byName.get(candidate);
    if (ref !== undefined) return ref;
  }
  return undefined;
}

function refCandidates(name: string): string[] {
  if (name === 'HEAD' || name === '@') return ['HEAD'];
  return [
    ...(name.startsWith('refs/') ? [name] : []),
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`,
  ];
}

async function resolveName(repo: OpenRepository, name: string, rev: string): Promise<ResolvedObject> {
  if (isOid(name.toLowerCase())) {
    const sha = name.toLowerCase();
    const type = (await repo.objects.info([sha])).get(sha)?.type;
    if (type === undefined) throw notFound(rev, `object ${sha} does not exist`);
    return { ...(await peel(repo, sha, type, rev)), ref: null };
  }
  const ref = dwimRef(repo.repo.listRefsSync(), name);
  if (ref === undefined) throw notFound(rev, `unknown revision '${shown(rev)}'`);
  const full = ref.target ?? ref.name;
  if (ref.oid === null) throw notFound(rev, `${ref.name} points at ${full}, which does not exist yet`);
  const sha = ref.peeled ?? ref.oid;
  const type = (await repo.objects.info([sha])).get(sha)?.type;
  if (type === undefined) throw new GroveError('MISSING_OBJECT', `${full} points at ${sha}, which is missing`, { ref: full, sha });
  return { ...(await peel(repo, sha, type, rev)), ref: full };
}

/** Follows annotated tags to the object at the end of the chain. */
async function peel(repo: OpenRepository, sha: Oid, type: ObjectType, rev: string): Promise<{ sha: Oid; type: ObjectType }> {
  let current = { sha, type };
  for (let hops = 0; current.type === 'tag'; hops++) {
    if (hops === MAX_TAG_CHAIN) throw new GroveError('BAD_OBJECT', `tag ${sha} starts a chain of more than ${MAX_TAG_CHAIN} tags`);
    const tag = (await repo.objects.readObjects([current.sha])).get(current.sha);
    if (tag === undefined) throw notFound(rev, `object ${current.sha} does not exist`);
    const target = parseTag(tag.data).object;
    const targetType = (await repo.objects.info([target])).get(target)?.type;
    if (targetType === undefined) throw notFound(rev, `tag ${current.sha} points at ${target}, which is missing`);
    current = { sha: target, type: targetType };
  }
  return current;
}

function notFound(rev: string, message: string): GroveError {
  return new GroveError('NOT_FOUND', message, { ref: rev.slice(0, 256) });
}

function shown(rev: string): string {
  return rev.length > 80 ? `${rev.slice(0, 80)}…` : rev;
}
