/**
 * Drafts: working copies of a branch that agents change with file tools and
 * then apply onto the branch or discard. See docs/DRAFTS.md for the model;
 * in short:
 *
 * - creating a draft writes one row (its files are the commit's tree seen
 *   through an empty overlay: DraftFiles.ts), whatever the size of the tree;
 * - a checkpoint commits the draft's files onto `refs/drafts/<id>` (parent:
 *   the ref's last revision, so every revision stays reachable) and empties
 *   the overlay; a reset moves the draft onto one of its revisions, dropping
 *   changes not checkpointed; the ref only ever moves forward;
 * - apply commits the draft's files onto its branch: one commit whose parent
 *   is the branch head. When the branch moved since the draft's base,
 *   `merge` merges three ways per path (line by line for text) and
 *   `ff-only` refuses; a conflict changes nothing (MERGE_CONFLICT with each
 *   path's three versions). An applied draft is closed (DRAFT_CLOSED);
 * - update brings the branch's new commits into the draft (a merge revision
 *   with the branch head as second parent, which becomes the draft's base),
 *   leaving conflict markers for the agent to resolve, so that the next
 *   apply is a fast-forward; a reset restores the base its revision had.
 *
 * Changes to one draft run one at a time (a queue per draft); a draft idle
 * past its TTL is discarded by `collectExpired`, which every operation on
 * the repository's drafts runs first.
 *
 * Past 400 lines on purpose: every operation that moves a draft's head,
 * base or ref (checkpoint, reset, update, apply, expiry) is here, because
 * they keep one invariant together (STORAGE.md rule 23); the overlay itself
 * is DraftFiles.ts.
 */
import { GroveError } from '../../errors.ts';
import type { Codec } from '../../git/codec.ts';
import { parseCommit, serializeCommit } from '../../git/objects/commit.ts';
import { hashObject } from '../../git/objects/gitObject.ts';
import { ZERO_OID, type Oid } from '../../git/objects/objectId.ts';
import type { ObjectStore } from '../../git/ports.ts';
import type { DraftRecord } from '../../store/SqlDraftStore.ts';
import { randomHex } from '../randomId.ts';
import type { DraftSweeps } from './DraftSweeps.ts';
import type { OpenRepository } from '../RepoService.ts';
import { branchRef } from '../content/branchTarget.ts';
import { commitIdents, type IdentInput } from '../content/commitIdent.ts';
import { compareFiles, type ComparedFile } from '../content/compare/compareFiles.ts';
import { entryAt } from '../content/entryAt.ts';
import { mergeTrees, type MergeConflict } from '../content/mergeTrees.ts';
import { resolveRevision } from '../content/resolveRevision.ts';
import { writeObjects, type ObjectWriter, type WriteLimits } from '../content/writeObjects.ts';
import { DraftFiles } from './DraftFiles.ts';
import { DraftUploads } from './DraftUploads.ts';
import { materializeDraft, withDraftObjects, type DraftTree } from './materialize.ts';

export const DEFAULT_DRAFT_TTL_MS = 24 * 3600 * 1000;
export const MIN_DRAFT_TTL_MS = 60 * 1000;
export const MAX_DRAFT_TTL_MS = 30 * 24 * 3600 * 1000;
/** Most revisions walked to list or find one (a draft's history is its own, and short). */
export const MAX_REVISIONS = 10_000;

export interface CreateDraftOptions {
  /** A revision to start from (default: the repository's default branch). */
  from?: string | undefined;
  /** The branch apply commits onto (default: `from` when it names a branch). */
  branch?: string | undefined;
  label?: string | undefined;
  ttlMs?: number | undefined;
}

export interface CommitOptions {
  message?: string | undefined;
  author?: IdentInput | undefined;
  committer?: IdentInput | undefined;
  limits?: WriteLimits;
}

export interface ApplyOptions extends CommitOptions {
  strategy?: 'ff-only' | 'merge' | undefined;
  /** Overrides the draft's branch (needed for a draft made from a commit or tag). */
  branch?: string | undefined;
}

export interface Revision {
  sha: Oid;
  parent: Oid | null;
  message: string;
  /** Committer time, ms. */
  time: number;
}

export interface ApplyResult {
  /** The commit made on the branch; the branch head when the draft changed nothing. */
  sha: Oid;
  branch: string;
  created: boolean;
  merged: boolean;
  draft: DraftRecord;
}

export interface DraftDiff {
  from: Oid;
  to: Oid;
  files: ComparedFile[];
  truncated: boolean;
}

export interface DraftConflict {
  path: string;
  kind: string;
  base: Oid | null;
  ours: Oid | null;
  theirs: Oid | null;
}

export function draftRef(id: string): string {
  return `refs/drafts/${id}`;
}

export class DraftService {
  readonly #codec: Codec;
  readonly #now: () => number;
  readonly #queues = new Map<string, Promise<unknown>>();

  readonly #sweeps: DraftSweeps | null;
  /** Uploads by content address (blobs/missing, blobs, chunks, assemble). */
  readonly uploads: DraftUploads;

  /** `sweeps`: where repositories with drafts are scheduled for `sweep` (absent: drafts expire only when their repository's drafts are used). */
  constructor(codec: Codec, options: { now?: () => number; sweeps?: DraftSweeps } = {}) {
    this.#codec = codec;
    this.#now = options.now ?? Date.now;
    this.#sweeps = options.sweeps ?? null;
    this.uploads = new DraftUploads(codec, { now: () => this.#now(), sweeps: this.#sweeps, open: (repo, id) => this.#open(repo, id), get: (repo, id) => this.get(repo, id) });
  }

  async create(repo: OpenRepository, options: CreateDraftOptions = {}): Promise<DraftRecord> {
    this.collectExpired(repo);
    const ttlMs = checkTtl(options.ttlMs);
    if (options.label !== undefined && (options.label.length > 200 || /[\0\n]/.test(options.label))) {
      throw new GroveError('BAD_REQUEST', 'label must be at most 200 characters, without NUL or line feeds', { field: 'label' });
    }
    const from = options.from ?? repo.record.defaultBranch;
    const resolved = await this.#resolveFrom(repo, from);
    let branch: string | null = null;
    if (options.branch !== undefined) branch = branchRef(options.branch);
    else if (resolved.ref?.startsWith('refs/heads/') === true) branch = resolved.ref;
    const now = this.#now();
    const draft: DraftRecord = {
      id: `d${randomHex(8)}`,
      branch,
      origin: resolved.sha,
      base: resolved.sha,
      head: resolved.sha,
      label: options.label ?? null,
      state: 'open',
      applied: null,
      createdAt: now,
      updatedAt: now,
      ttlMs,
      expiresAt: now + ttlMs,
    };
    repo.repo.drafts.insert(draft);
    this.#sweeps?.schedule(repo.record.id, draft.expiresAt);
    return draft;
  }

  list(repo: OpenRepository, options: { after?: string; limit: number }): DraftRecord[] {
    this.collectExpired(repo);
    return repo.repo.drafts.list(options);
  }

  get(repo: OpenRepository, id: string): DraftRecord {
    this.collectExpired(repo);
    const draft = repo.repo.drafts.get(id);
    if (draft === null) throw new GroveError('NOT_FOUND', `draft ${id.slice(0, 64)} does not exist`, { draft: id.slice(0, 64) });
    return draft;
  }

  /** Deletes a draft: its changes, and its revisions' ref. */
  async discard(repo: OpenRepository, id: string): Promise<void> {
    await this.#queued(repo, id, async () => {
      this.get(repo, id);
      this.#drop(repo, id);
    });
  }

  /** The draft's files, read-only (any state). */
  async reader(repo: OpenRepository, id: string): Promise<DraftFiles> {
    const draft = this.get(repo, id);
    return this.#files(repo, draft, false);
  }

  /** Runs `fn` over the draft's files, alone among the draft's changes; the draft must be open. */
  async edit<T>(repo: OpenRepository, id: string, fn: (files: DraftFiles, draft: DraftRecord) => Promise<T>): Promise<T> {
    return this.#queued(repo, id, async () => {
      const draft = this.#open(repo, id);
      return fn(await this.#files(repo, draft, true), draft);
    });
  }

  /** Commits the draft's files onto `refs/drafts/<id>`; `created` is false when they equal the last revision's. */
  async checkpoint(repo: OpenRepository, id: string, options: CommitOptions = {}): Promise<{ revision: Revision; created: boolean; draft: DraftRecord }> {
    return this.#queued(repo, id, async () => {
      const draft = this.#open(repo, id);
      const tip = this.#tip(repo, id);
      const parent = tip ?? draft.base;
      const made = await this.#materialize(repo, draft);
      const parentTree = await this.#treeOf(repo.objects, parent);
      if (made.tree === (parentTree ?? EMPTY_TREE)) {
        if (made.changed || draft.head !== parent) this.#settle(repo, id, { head: parent });
        return { revision: await this.#revision(repo, parent), created: false, draft: this.get(repo, id) };
      }
      const { author, committer } = commitIdents(options, undefined, this.#now());
      const sha = await writeObjects(repo, this.#codec, options.limits ?? {}, async (writer) => {
        await this.#stage(repo, writer, made);
        const commit = writer.add('commit', serializeCommit({ tree: made.tree, parents: parentsOf(parent), author, committer, extraHeaders: [], message: message(options.message, 'Checkpoint') }));
        await writer.commit({ name: draftRef(id), old: tip ?? ZERO_OID, new: commit }, () => this.#settle(repo, id, { head: commit }));
        return commit;
      });
      return { revision: await this.#revision(repo, sha), created: true, draft: this.get(repo, id) };
    });
  }

  /** The draft's revisions, newest first: its checkpoints and updates, then the commit it was made from. */
  async revisions(repo: OpenRepository, id: string): Promise<Revision[]> {
    const draft = this.get(repo, id);
    const out: Revision[] = [];
    let sha: Oid | null = this.#tip(repo, id);
    while (sha !== null && sha !== draft.origin && out.length < MAX_REVISIONS) {
      const revision = await this.#revision(repo, sha);
      out.push(revision);
      sha = revision.parent;
    }
    if (draft.origin !== ZERO_OID) out.push(await this.#revision(repo, draft.origin));
    return out;
  }

  /**
   * Brings the branch's changes since the draft's base into the draft: a
   * three-way merge (the branch is "ours", the draft "theirs") recorded as a
   * revision whose parents are the draft's last revision and the branch
   * head, which becomes the draft's base. Conflicts do not stop it: text
   * gets conflict markers, other paths keep the draft's version, and each is
   * listed for the agent to resolve before applying.
   */
  async update(repo: OpenRepository, id: string, options: CommitOptions & { branch?: string | undefined } = {}): Promise<{ draft: DraftRecord; revision: Revision | null; conflicts: DraftConflict[] }> {
    return this.#queued(repo, id, async () => {
      const draft = this.#open(repo, id);
      const ref = options.branch === undefined ? draft.branch : branchRef(options.branch);
      const head = this.#branchHead(repo, draft, ref ?? undefined);
      if (head === draft.base) return { draft, revision: null, conflicts: [] };
      const made = await this.#materialize(repo, draft);
      const { author, committer } = commitIdents(options, undefined, this.#now());
      const tip = this.#tip(repo, id);
      const branch = ref!.slice('refs/heads/'.length);
      return writeObjects(repo, this.#codec, options.limits ?? {}, async (writer) => {
        await this.#stage(repo, writer, made);
        const objects = withDraftObjects(repo.objects, repo.repo.drafts, made);
        const [baseTree, oursTree] = [await this.#treeOf(objects, draft.base), await this.#treeOf(objects, head)];
        const merge = await mergeTrees(objects, baseTree, oursTree, made.tree, (type, data) => writer.add(type, data), { markers: { ours: branch, theirs: `draft ${id}` } });
        const conflicts = await describeConflicts(objects, merge.conflicts, baseTree, oursTree, made.tree);
        const text = `${message(options.message, `Update from ${branch}`).trimEnd()}${conflicts.length === 0 ? '' : `\n\nConflicts:\n${conflicts.map((c) => `\t${c.path}`).join('\n')}`}`;
        const sha = writer.add('commit', serializeCommit({ tree: merge.tree, parents: [...parentsOf(tip ?? draft.base), head], author, committer, extraHeaders: [], message: `${text}\n` }));
        await writer.commit({ name: draftRef(id), old: tip ?? ZERO_OID, new: sha }, () => this.#settle(repo, id, { head: sha, base: head }));
        return { draft: this.get(repo, id), revision: await this.#revision(repo, sha), conflicts };
      });
    });
  }

  /** Moves the draft onto one of its revisions (a sha, a unique prefix of one, or `base`), dropping changes not checkpointed. */
  async reset(repo: OpenRepository, id: string, to: string): Promise<DraftRecord> {
    return this.#queued(repo, id, async () => {
      const draft = this.#open(repo, id);
      const revisions = await this.revisions(repo, id);
      const wanted = to.trim().toLowerCase();
      const matches = wanted === 'base' ? [revisions[revisions.length - 1]!] : /^[0-9a-f]{4,40}$/.test(wanted) ? revisions.filter((r) => r.sha.startsWith(wanted)) : [];
      if (matches.length !== 1) {
        const why = matches.length === 0 ? 'is not one of its revisions' : 'names several of its revisions';
        throw new GroveError('NOT_FOUND', `'${to.slice(0, 80)}' ${why} (GET …/drafts/${id}/revisions lists them)`, { field: 'to' });
      }
      const target = matches[0]!.sha;
      const base = await this.#baseOf(repo, draft, target);
      repo.repo.transaction(() => this.#settle(repo, draft.id, { head: target, base }));
      return this.get(repo, id);
    });
  }

  /** What the draft changes: against its base (default), its last revision (`head`), or the branch as it is now. */
  async diff(repo: OpenRepository, id: string, against: 'base' | 'head' | 'branch' = 'base', options: { patch?: boolean } = {}): Promise<DraftDiff> {
    const draft = this.get(repo, id);
    const from = against === 'base' ? draft.base : against === 'head' ? draft.head : this.#branchHead(repo, draft, undefined);
    const made = await this.#materialize(repo, draft);
    const objects = withDraftObjects(repo.objects, repo.repo.drafts, made);
    const { files, truncated } = await compareFiles(objects, await this.#treeOf(repo.objects, from), made.tree, options.patch === undefined ? {} : { patch: options.patch });
    return { from, to: made.tree, files, truncated };
  }

  /** Commits the draft's files onto its branch and closes the draft. */
  async apply(repo: OpenRepository, id: string, options: ApplyOptions = {}): Promise<ApplyResult> {
    return this.#queued(repo, id, async () => {
      const draft = this.#open(repo, id);
      const ref = options.branch === undefined ? draft.branch : branchRef(options.branch);
      const head = this.#branchHead(repo, draft, ref ?? undefined);
      const branch = ref!;
      const strategy = options.strategy ?? 'merge';
      if (strategy !== 'merge' && strategy !== 'ff-only') throw new GroveError('BAD_REQUEST', "strategy is 'ff-only' or 'merge'", { field: 'strategy' });
      const moved = head !== draft.base;
      if (moved && strategy === 'ff-only') {
        throw new GroveError('REF_CONFLICT', `${branch} moved from the draft's base ${draft.base} to ${head}: apply with strategy 'merge', or reset`, { ref: branch, expected: draft.base, current: head });
      }
      const made = await this.#materialize(repo, draft);
      const { author, committer } = commitIdents(options, undefined, this.#now());
      const tip = this.#tip(repo, id);
      return writeObjects(repo, this.#codec, options.limits ?? {}, async (writer) => {
        await this.#stage(repo, writer, made);
        let tree = made.tree;
        if (moved) {
          const objects = withDraftObjects(repo.objects, repo.repo.drafts, made);
          const [baseTree, oursTree] = [await this.#treeOf(objects, draft.base), await this.#treeOf(objects, head)];
          const merge = await mergeTrees(objects, baseTree, oursTree, made.tree, (type, data) => writer.add(type, data));
          if (merge.conflicts.length > 0) {
            const conflicts = await describeConflicts(objects, merge.conflicts, baseTree, oursTree, made.tree);
            throw new GroveError('MERGE_CONFLICT', `the draft's changes collide with ${branch}'s since ${draft.base.slice(0, 12)} on ${conflicts.length} path(s); nothing was changed. Update the draft (POST …/drafts/${id}/update), resolve, and apply again`, {
              branch, base: draft.base, head, conflicts,
            });
          }
          tree = merge.tree;
        }
        const headTree = (await this.#treeOf(repo.objects, head)) ?? EMPTY_TREE;
        const updates = [];
        let revision = tip ?? draft.base;
        if (made.tree !== ((await this.#treeOf(repo.objects, revision)) ?? EMPTY_TREE)) {
          revision = writer.add('commit', serializeCommit({ tree: made.tree, parents: parentsOf(tip ?? draft.base), author, committer, extraHeaders: [], message: message(options.message, 'Apply') }));
          updates.push({ name: draftRef(id), old: tip ?? ZERO_OID, new: revision });
        }
        let sha = head;
        if (tree !== headTree) {
          sha = writer.add('commit', serializeCommit({ tree, parents: parentsOf(head), author, committer, extraHeaders: [], message: message(options.message, `Apply draft ${id}`) }));
          updates.push({ name: branch, old: head, new: sha });
        }
        const settle = (): void => this.#settle(repo, id, { head: revision, state: 'applied', applied: sha });
        if (updates.length > 0) await writer.commit(updates, settle);
        else repo.repo.transaction(settle);
        return { sha, branch: branch.slice('refs/heads/'.length), created: sha !== head, merged: moved, draft: this.get(repo, id) };
      });
    });
  }

  /** Discards the repository's drafts idle past their TTL; returns how many. */
  collectExpired(repo: OpenRepository): number {
    let count = 0;
    for (let batch = repo.repo.drafts.expired(this.#now(), 100); batch.length > 0 && count < 100_000; batch = repo.repo.drafts.expired(this.#now(), 100)) {
      for (const id of batch) this.#drop(repo, id);
      count += batch.length;
    }
    if (count > 0) this.#sweeps?.schedule(repo.record.id, repo.repo.drafts.nextExpiry(), { replace: true });
    return count;
  }

  /**
   * Collects expired drafts in the repositories due for it (`open` opens one
   * by id; null when it is gone), at most `limit` repositories; returns how
   * many drafts went.
   */
  sweep(open: (repoId: string) => OpenRepository | null, limit = 100): number {
    if (this.#sweeps === null) return 0;
    let count = 0;
    for (const repoId of this.#sweeps.due(this.#now(), limit)) {
      const repo = open(repoId);
      if (repo === null) {
        this.#sweeps.schedule(repoId, null);
        continue;
      }
      try {
        count += this.collectExpired(repo);
        const uploadsDue = this.uploads.collect(repo);
        const expiry = repo.repo.drafts.nextExpiry();
        this.#sweeps.schedule(repoId, expiry === null || uploadsDue === null ? (expiry ?? uploadsDue) : Math.min(expiry, uploadsDue), { replace: true });
      } finally {
        repo.release();
      }
    }
    return count;
  }

  #drop(repo: OpenRepository, id: string): void {
    const tip = this.#tip(repo, id);
    repo.repo.transaction(() => {
      repo.repo.drafts.delete(id);
      if (tip !== null) repo.repo.deleteRef(draftRef(id), tip);
    });
  }

  #open(repo: OpenRepository, id: string): DraftRecord {
    const draft = this.get(repo, id);
    if (draft.state !== 'open') {
      throw new GroveError('DRAFT_CLOSED', `draft ${id} was applied (as ${draft.applied}): create a new draft to go on`, { draft: id, applied: draft.applied });
    }
    return draft;
  }

  async #files(repo: OpenRepository, draft: DraftRecord, writable: boolean): Promise<DraftFiles> {
    return new DraftFiles({
      objects: repo.objects,
      codec: this.#codec,
      draft: writable ? { store: repo.repo.drafts, id: draft.id, onChange: () => this.#touch(repo, draft) } : { store: repo.repo.drafts, id: draft.id, readOnly: true },
    });
  }

  #touch(repo: OpenRepository, draft: DraftRecord): void {
    const now = this.#now();
    repo.repo.drafts.update(draft.id, { updatedAt: now, expiresAt: now + draft.ttlMs });
  }

  /** Empties the overlay and records the draft's new state (inside the caller's transaction). */
  #settle(repo: OpenRepository, id: string, fields: Partial<Pick<DraftRecord, 'head' | 'base' | 'state' | 'applied'>>): void {
    const draft = repo.repo.drafts.get(id)!;
    const now = this.#now();
    repo.repo.drafts.clear(id);
    repo.repo.drafts.update(id, { ...fields, updatedAt: now, expiresAt: now + draft.ttlMs });
  }

  /** The base a revision's files build on: the branch head of the newest update at or below it, else the origin. */
  async #baseOf(repo: OpenRepository, draft: DraftRecord, revision: Oid): Promise<Oid> {
    let sha = revision;
    for (let n = 0; n < MAX_REVISIONS && sha !== draft.origin; n++) {
      const info = (await repo.objects.readCommits([sha])).get(sha);
      if (info === undefined) throw new GroveError('MISSING_OBJECT', `commit ${sha} is missing`, { sha });
      if (info.parents.length === 2) return info.parents[1]!;
      if (info.parents[0] === undefined) break;
      sha = info.parents[0];
    }
    return draft.origin;
  }

  async #materialize(repo: OpenRepository, draft: DraftRecord): Promise<DraftTree> {
    return materializeDraft(repo.repo.drafts, repo.objects, this.#codec, draft.id, await this.#treeOf(repo.objects, draft.head));
  }

  /** Stages a materialized draft's new trees and the blobs only the draft holds. */
  async #stage(repo: OpenRepository, writer: ObjectWriter, made: DraftTree): Promise<void> {
    for (const oid of made.draftBlobs) {
      const data = repo.repo.drafts.readBlob(oid);
      if (data === null) throw new GroveError('MISSING_OBJECT', `draft content ${oid} is missing`, { sha: oid });
      writer.add('blob', data);
    }
    for (const data of made.trees.values()) writer.add('tree', data);
  }

  /**
   * The commit a draft starts from. In a repository without any branch yet,
   * a branch name (the default branch) is accepted as unborn: the draft
   * starts from no commit (ZERO_OID, the empty tree) and its apply makes
   * the branch's root commit.
   */
  async #resolveFrom(repo: OpenRepository, from: string): Promise<{ sha: Oid; ref: string | null }> {
    try {
      return await resolveRevision(repo, from);
    } catch (err) {
      const refs = repo.repo.listRefsSync();
      if ((err as { code?: string }).code !== 'NOT_FOUND' || refs.some((r) => r.name.startsWith('refs/heads/') && r.oid !== null)) throw err;
      return { sha: ZERO_OID, ref: branchRef(from) };
    }
  }

  #tip(repo: OpenRepository, id: string): Oid | null {
    return repo.repo.listRefsSync().find((r) => r.name === draftRef(id))?.oid ?? null;
  }

  #branchHead(repo: OpenRepository, draft: DraftRecord, ref: string | undefined): Oid {
    const name = ref ?? draft.branch;
    if (name === null) throw new GroveError('BAD_REQUEST', `draft ${draft.id} was made from a commit, not a branch: name the branch`, { field: 'branch' });
    const oid = repo.repo.listRefsSync().find((r) => r.name === name)?.oid ?? null;
    if (oid !== null) return oid;
    if (draft.origin === ZERO_OID) return ZERO_OID; // still unborn: apply makes its first commit
    throw new GroveError('NOT_FOUND', `branch ${name.slice('refs/heads/'.length)} does not exist`, { ref: name });
  }

  /** The tree of `commit`; null for ZERO_OID (no commit: the empty tree). */
  async #treeOf(objects: ObjectStore, commit: Oid): Promise<Oid | null> {
    if (commit === ZERO_OID) return null;
    const info = (await objects.readCommits([commit])).get(commit);
    if (info === undefined) throw new GroveError('MISSING_OBJECT', `commit ${commit} is missing`, { sha: commit });
    return info.tree;
  }

  async #revision(repo: OpenRepository, sha: Oid): Promise<Revision> {
    const object = (await repo.objects.readObjects([sha])).get(sha);
    if (object?.type !== 'commit') throw new GroveError('MISSING_OBJECT', `commit ${sha} is missing`, { sha });
    const commit = parseCommit(object.data);
    return { sha, parent: commit.parents[0] ?? null, message: commit.message, time: commit.committer.timestamp * 1000 };
  }

  /** Runs `fn` after every earlier queued call for the same draft of the same repository. */
  async #queued<T>(repo: OpenRepository, id: string, fn: () => Promise<T>): Promise<T> {
    const key = `${repo.record.id}/${id}`;
    const before = this.#queues.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.then(() => {}, () => {});
    this.#queues.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    }
  }
}

/** Each conflict with the blob ids its path has in the base, the branch (ours) and the draft (theirs). */
async function describeConflicts(objects: ObjectStore, conflicts: readonly MergeConflict[], base: Oid | null, ours: Oid | null, theirs: Oid): Promise<DraftConflict[]> {
  const at = async (tree: Oid | null, parts: string[]): Promise<Oid | null> => (tree === null ? null : (await entryAt(objects, tree, parts))?.oid ?? null);
  return Promise.all(conflicts.map(async (c) => {
    const parts = c.path.split('/');
    return { path: c.path, kind: c.reason, base: await at(base, parts), ours: await at(ours, parts), theirs: await at(theirs, parts) };
  }));
}

/** The empty tree's id (`git hash-object -t tree /dev/null`). */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** A commit as a parent list: none for ZERO_OID (no commit yet). */
function parentsOf(commit: Oid): Oid[] {
  return commit === ZERO_OID ? [] : [commit];
}

function checkTtl(ttlMs: number | undefined): number {
  if (ttlMs === undefined) return DEFAULT_DRAFT_TTL_MS;
  if (!Number.isInteger(ttlMs) || ttlMs < MIN_DRAFT_TTL_MS || ttlMs > MAX_DRAFT_TTL_MS) {
    throw new GroveError('BAD_REQUEST', `ttl must be between ${MIN_DRAFT_TTL_MS / 1000} seconds and ${MAX_DRAFT_TTL_MS / 86_400_000} days`, { field: 'ttl_seconds' });
  }
  return ttlMs;
}

function message(given: string | undefined, fallback: string): string {
  const text = given === undefined || given.trim() === '' ? fallback : given;
  if (text.includes('\0')) throw new GroveError('BAD_REQUEST', 'the message cannot contain NUL', { field: 'message' });
  return text.endsWith('\n') ? text : `${text}\n`;
}

