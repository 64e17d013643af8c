/**
 * Where a commit made through the content API goes: the branch, the value
 * its compare-and-swap expects, and the commit the new one builds on.
 *
 * - An existing branch: the new commit's parent is its head. With
 *   `expectedHead`, the head must be that commit (REF_CONFLICT otherwise,
 *   `details.current` says where it is).
 * - `startFrom` (a revision): creates the branch there; it must not exist
 *   (REF_CONFLICT), and `expectedHead` is then refused as contradictory.
 * - A missing branch without `startFrom`: a root commit, when the
 *   repository has no branch at all (its first commit); otherwise NOT_FOUND,
 *   so that a mistyped branch name does not start an unrelated history.
 *   `expectedHead` of 40 zeros asks for exactly that: the branch must not exist.
 *
 * The name is a branch (`main`) or a full `refs/heads/…` name; anything
 * `git check-ref-format --branch` would refuse is BAD_REF_NAME.
 */
import { GroveError } from '../../errors.ts';
import { ZERO_OID, type Oid } from '../../git/objects/objectId.ts';
import { isValidRefName } from '../../git/objects/refName.ts';
import type { OpenRepository } from '../RepoService.ts';
import { resolveRevision } from './resolveRevision.ts';

export interface BranchTarget {
  /** `refs/heads/<branch>`. */
  ref: string;
  /** The branch's short name. */
  branch: string;
  /** What the ref must hold when the commit lands: its head, or ZERO_OID to create it. */
  old: Oid;
  /** The commit the new one builds on; null for a root commit. */
  parent: Oid | null;
}

export interface BranchTargetOptions {
  branch: string;
  expectedHead?: string | undefined;
  startFrom?: string | undefined;
  /** Refuse a branch that does not exist (NOT_FOUND): revert and restore need a head. */
  mustExist?: boolean;
}

const HEADS = 'refs/heads/';

export async function branchTarget(repo: OpenRepository, options: BranchTargetOptions): Promise<BranchTarget> {
  const ref = branchRef(options.branch);
  const branch = ref.slice(HEADS.length);
  const refs = repo.repo.listRefsSync();
  const current = refs.find((r) => r.name === ref);
  if (current?.target !== undefined) throw new GroveError('BAD_REF_NAME', `${ref} is a symbolic ref`, { field: 'branch', ref });
  const head = current?.oid ?? null;
  const { expectedHead, startFrom } = options;
  if (startFrom !== undefined) {
    if (expectedHead !== undefined) {
      throw new GroveError('BAD_REQUEST', 'give start_from to create a branch, or expected_head to commit on an existing one, not both', { field: 'start_from' });
    }
    if (head !== null) {
      throw new GroveError('REF_CONFLICT', `branch ${branch} already exists: leave out start_from to commit on it`, { ref, current: head });
    }
    return { ref, branch, old: ZERO_OID, parent: (await resolveRevision(repo, startFrom)).sha };
  }
  if (expectedHead !== undefined && expectedHead !== (head ?? ZERO_OID)) {
    const where = head === null ? 'does not exist' : `is at ${head}`;
    throw new GroveError('REF_CONFLICT', `branch ${branch} ${where}, not at the expected ${expectedHead}`, { ref, expected: expectedHead, current: head });
  }
  if (head !== null) return { ref, branch, old: head, parent: head };
  if (options.mustExist === true || (expectedHead !== ZERO_OID && refs.some((r) => r.name.startsWith(HEADS)))) {
    throw new GroveError('NOT_FOUND', `branch ${branch} does not exist${options.mustExist === true ? '' : ': give start_from to create it'}`, { ref });
  }
  return { ref, branch, old: ZERO_OID, parent: null };
}

/** `main` or `refs/heads/main` → `refs/heads/main`; BAD_REF_NAME for anything else. */
export function branchRef(name: string): string {
  const ref = name.startsWith(HEADS) ? name : `${HEADS}${name}`;
  if (name.startsWith('refs/') && !name.startsWith(HEADS)) {
    throw new GroveError('BAD_REF_NAME', `'${name.slice(0, 200)}' is not a branch: commits go on refs/heads/…`, { field: 'branch', ref: name.slice(0, 200) });
  }
  if (name.startsWith('-') || ref === `${HEADS}HEAD` || !isValidRefName(ref)) {
    throw new GroveError('BAD_REF_NAME', `'${name.slice(0, 200)}' is not a valid branch name`, { field: 'branch', ref: name.slice(0, 200) });
  }
  return ref;
}
