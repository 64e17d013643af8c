/**
 * Refs of a repository through the content API: list, get, and the three
 * writes — create, compare-and-swap update, delete. Every write goes through
 * the push staging's `commit` (one transaction that checks the ref's current
 * value, writes it and bumps `refs_version`), exactly as a `git push` does,
 * so a REST write and a push racing for the same ref cannot both win.
 *
 * Rules, as receive-pack applies them: a name is a full ref name that
 * `git check-ref-format` accepts; the object must exist; a branch
 * (`refs/heads/…`) must point at a commit; a ref pointing at an annotated
 * tag records the object its chain ends at (`peeled`, as
 * `git show-ref --dereference` shows it). Without `force`, a branch moves
 * only forward (its old commit must be an ancestor of the new one). HEAD is
 * symbolic and follows the repository's default branch: it is read here,
 * never written.
 */
import { GroveError } from '../../errors.ts';
import { isOid, ZERO_OID, type Oid } from '../../git/objects/objectId.ts';
import { isValidRefName } from '../../git/objects/refName.ts';
import { parseTag } from '../../git/objects/tag.ts';
import type { Ref } from '../../git/ports.ts';
import type { RefUpdate } from '../../git/staging.ts';
import type { OpenRepository } from '../RepoService.ts';
import { isAncestor } from './isAncestor.ts';
import { dwimRef } from './resolveRevision.ts';

export interface RefView {
  name: string;
  /** The object the ref points at; null for HEAD when its branch does not exist yet. */
  sha: Oid | null;
  /** For a ref to an annotated tag: the object the tag chain ends at. */
  peeled?: Oid;
  /** For HEAD: the ref it points at. */
  target?: string;
}

export interface UpdateRefOptions {
  sha: string;
  /** The value the caller last saw; REF_CONFLICT when the ref holds another. */
  expectedSha?: string;
  /** Allow a branch to move to a commit that does not descend from its current one. */
  force?: boolean;
}

const MAX_TAG_CHAIN = 100;

/** Every ref whose name starts with `prefix` (HEAD included when it matches), sorted by name. */
export function listRefs(repo: OpenRepository, prefix = ''): RefView[] {
  return repo.repo.listRefsSync().filter((r) => r.name.startsWith(prefix)).map(refView);
}

/** The ref named `name`: a full name (`refs/heads/main`, `HEAD`) or, failing that, a short one git would expand (`main`, `v1`). */
export function getRef(repo: OpenRepository, name: string): RefView {
  const refs = repo.repo.listRefsSync();
  const ref = refs.find((r) => r.name === name) ?? dwimRef(refs, name);
  if (ref === undefined) throw notFound(name);
  return refView(ref);
}

export async function createRef(repo: OpenRepository, name: string, sha: string): Promise<RefView> {
  assertWritableName(name);
  const target = checkSha(sha, 'sha');
  if (currentRef(repo, name) !== undefined) throw alreadyExists(name);
  const update = await refUpdate(repo, name, ZERO_OID, target);
  commitUpdate(repo, update, () => alreadyExists(name));
  return getRef(repo, name);
}

export async function updateRef(repo: OpenRepository, name: string, options: UpdateRefOptions): Promise<RefView> {
  assertWritableName(name);
  const target = checkSha(options.sha, 'sha');
  const expected = options.expectedSha === undefined ? undefined : checkSha(options.expectedSha, 'expected_sha');
  const current = currentRef(repo, name);
  if (current?.oid == null) throw notFound(name);
  if (expected !== undefined && expected !== current.oid) throw conflict(name, `${name} is at ${current.oid}, not at the expected ${expected}`, current.oid);
  const update = await refUpdate(repo, name, current.oid, target);
  if (name.startsWith('refs/heads/') && options.force !== true && current.oid !== target) {
    const shallow = new Set(repo.repo.shallowSync());
    if (!(await isAncestor(repo.objects, current.oid, target, shallow))) {
      throw conflict(name, `${name}: not a fast-forward (${target} does not descend from ${current.oid}); pass force to move it anyway`, current.oid);
    }
  }
  commitUpdate(repo, update, () => conflict(name, `${name} changed while it was being updated`, currentRef(repo, name)?.oid ?? null));
  return getRef(repo, name);
}

export function deleteRef(repo: OpenRepository, name: string, expectedSha?: string): void {
  assertWritableName(name);
  const expected = expectedSha === undefined ? undefined : checkSha(expectedSha, 'expected_sha');
  const current = currentRef(repo, name);
  if (current?.oid == null) throw notFound(name);
  if (expected !== undefined && expected !== current.oid) throw conflict(name, `${name} is at ${current.oid}, not at the expected ${expected}`, current.oid);
  commitUpdate(repo, { name, old: current.oid, new: ZERO_OID }, () => conflict(name, `${name} changed while it was being deleted`, currentRef(repo, name)?.oid ?? null));
}

function refView(ref: Ref): RefView {
  const view: RefView = { name: ref.name, sha: ref.oid };
  if (ref.peeled !== undefined) view.peeled = ref.peeled;
  if (ref.target !== undefined) view.target = ref.target;
  return view;
}

function currentRef(repo: OpenRepository, name: string): Ref | undefined {
  return repo.repo.listRefsSync().find((r) => r.name === name);
}

function assertWritableName(name: string): void {
  if (name === 'HEAD') {
    throw new GroveError('BAD_REQUEST', 'HEAD is symbolic: it follows the default branch of the repository (PATCH the repository to change it)', { field: 'name' });
  }
  if (!name.startsWith('refs/') || !isValidRefName(name)) {
    throw new GroveError('BAD_REF_NAME', `'${name.slice(0, 120)}' is not a full ref name git accepts (e.g. refs/heads/main)`, { ref: name.slice(0, 256) });
  }
}

function checkSha(value: string, field: string): Oid {
  if (!isOid(value.toLowerCase())) throw new GroveError('BAD_REQUEST', `${field} must be a full object id (40 hex digits)`, { field });
  return value.toLowerCase();
}

/** The update that moves `name` from `old` to `sha`, once `sha` is known to exist and fit the ref. */
async function refUpdate(repo: OpenRepository, name: string, old: Oid, sha: Oid): Promise<RefUpdate> {
  const type = (await repo.objects.info([sha])).get(sha)?.type;
  if (type === undefined) throw new GroveError('MISSING_OBJECT', `object ${sha} does not exist in this repository`, { sha });
  if (name.startsWith('refs/heads/') && type !== 'commit') {
    throw new GroveError('BAD_REQUEST', `a branch must point at a commit, and ${sha} is a ${type}`, { field: 'sha' });
  }
  const update: RefUpdate = { name, old, new: sha };
  if (type === 'tag') update.peeled = await peelTag(repo, sha);
  return update;
}

async function peelTag(repo: OpenRepository, sha: Oid): Promise<Oid> {
  let current = sha;
  for (let hops = 0; hops < MAX_TAG_CHAIN; hops++) {
    const tag = (await repo.objects.readObjects([current])).get(current);
    if (tag === undefined) throw new GroveError('MISSING_OBJECT', `object ${current} is missing`, { sha: current });
    const target = parseTag(tag.data).object;
    const type = (await repo.objects.info([target])).get(target)?.type;
    if (type === undefined) throw new GroveError('MISSING_OBJECT', `tag ${current} points at ${target}, which is missing`, { sha: target });
    if (type !== 'tag') return target;
    current = target;
  }
  throw new GroveError('BAD_OBJECT', `tag ${sha} starts a chain of more than ${MAX_TAG_CHAIN} tags`);
}

/** Applies one update with compare-and-swap, in the transaction a push uses; `lost` is the error when the ref moved meanwhile. */
function commitUpdate(repo: OpenRepository, update: RefUpdate, lost: () => GroveError): void {
  const staging = repo.repo.beginPush();
  try {
    const [result] = staging.commit([update], [], { atomic: true });
    if (result?.ok !== true) throw lost();
  } finally {
    staging.discard();
  }
}

function notFound(name: string): GroveError {
  return new GroveError('NOT_FOUND', `ref ${name.slice(0, 256)} does not exist`, { ref: name.slice(0, 256) });
}

function alreadyExists(name: string): GroveError {
  return new GroveError('ALREADY_EXISTS', `ref ${name} already exists`, { ref: name });
}

function conflict(name: string, message: string, actual: Oid | null): GroveError {
  return new GroveError('REF_CONFLICT', message, { ref: name, actual_sha: actual });
}
