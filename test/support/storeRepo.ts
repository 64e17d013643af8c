/**
 * Grove repositories on a real SQLite database, filled the way a push fills
 * them: a pack made by `git pack-objects` goes through `executePush` (which
 * runs `indexPack` with `repo.beginPush()` as staging and `repo.objects` as
 * store, then commits the staging with the ref updates). For unit tests that
 * run no server: git runs synchronously.
 */
import type { ObjectType } from '../../src/git/objects/gitObject.ts';
import { ZERO_OID, type Oid } from '../../src/git/objects/objectId.ts';
import { indexPack, type IndexedCommit, type IndexedPack, type IndexPackOptions } from '../../src/git/pack/indexPack.ts';
import type { CommitInfo, ObjectStore } from '../../src/git/ports.ts';
import { executePush, type PushReport } from '../../src/git/protocol/executePush.ts';
import type { PushCommand } from '../../src/git/protocol/parseReceivePackRequest.ts';
import type { PushTarget } from '../../src/git/protocol/pushTarget.ts';
import { nodeCodec } from '../../src/runtime/node/codec.ts';
import { openSqlite, type NodeSqlite } from '../../src/runtime/node/sqlite.ts';
import { Repository } from '../../src/store/Repository.ts';
import type { SqlPackStaging } from '../../src/store/SqlPackStaging.ts';
import { gitBytes, gitText } from './gitBytes.ts';

export interface OpenedRepository {
  sql: NodeSqlite;
  repo: Repository;
  /** What `executePush` needs, over `repo`. */
  target: PushTarget;
  close(): void;
}

/** A Grove repository on a fresh database (`:memory:` unless a path is given), HEAD → refs/heads/main. */
export function openRepository(path = ':memory:'): OpenedRepository {
  const sql = openSqlite(path);
  const repo = new Repository(sql, nodeCodec);
  repo.setHead('refs/heads/main');
  return {
    sql,
    repo,
    target: { objects: repo.objects, refs: repo, codec: nodeCodec, beginPush: () => repo.beginPush() },
    close: () => sql.close(),
  };
}

export interface PackObjectsOptions {
  /** `--thin`: deltas against objects of the `^negative` revisions, left out of the pack. */
  thin?: boolean;
  /** `--delta-base-offset` (OFS_DELTA); default true. */
  ofsDelta?: boolean;
  /** More arguments for `git pack-objects` (`--depth=…`, `--include-tag`…). */
  args?: string[];
}

/** `git pack-objects --revs --stdout` of `revs` (one per line on stdin, `^rev` to exclude). */
export function packObjects(gitDir: string, revs: readonly string[], options: PackObjectsOptions = {}): Uint8Array {
  const args = ['pack-objects', '--revs', '--stdout', '-q'];
  if (options.ofsDelta !== false) args.push('--delta-base-offset');
  if (options.thin === true) args.push('--thin');
  args.push(...(options.args ?? []));
  return gitBytes(args, { cwd: gitDir, input: revs.map((r) => `${r}\n`).join('') });
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Pushes `pack` with `commands` through `executePush` (non-atomic unless asked). */
export function pushPack(target: PushTarget, pack: Uint8Array, commands: readonly PushCommand[], atomic = false): Promise<PushReport> {
  return executePush(target, commands, once(pack), { atomic, maxPackBytes: 1 << 30 });
}

/** `refname → object id` of every ref of a git repository (`for-each-ref`). */
export function gitRefs(gitDir: string): Map<string, string> {
  const out = gitText(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: gitDir });
  const refs = new Map<string, string>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [oid, name] = line.split(' ');
    refs.set(name!, oid!);
  }
  return refs;
}

/**
 * Copies every ref of the git repository at `gitDir` and every object they
 * reach into `opened`, in one push; HEAD follows the git repository's HEAD.
 */
export async function loadGitRepository(opened: OpenedRepository, gitDir: string, options: PackObjectsOptions = {}): Promise<void> {
  const refs = gitRefs(gitDir);
  const pack = packObjects(gitDir, [...new Set(refs.values())], options);
  const report = await pushPack(opened.target, pack, [...refs].map(([name, oid]) => ({ old: ZERO_OID, new: oid, name })), true);
  const refused = report.refs.filter((r) => !r.ok);
  if (report.unpack !== 'ok' || refused.length > 0) {
    throw new Error(`loading ${gitDir} failed: unpack ${report.unpack}; ${JSON.stringify(refused)}`);
  }
  const head = gitText(['symbolic-ref', 'HEAD'], { cwd: gitDir });
  opened.repo.setHead(head);
}

/** Generation numbers for indexed commits (parents outside them are read from `store`; absent ones count 0). */
export async function commitInfos(store: ObjectStore, commits: readonly IndexedCommit[]): Promise<CommitInfo[]> {
  const byOid = new Map(commits.map((c) => [c.oid, c]));
  const generation = new Map<Oid, number>();
  const outside = [...new Set(commits.flatMap((c) => c.parents).filter((p) => !byOid.has(p)))];
  for (const [oid, info] of await store.readCommits(outside)) generation.set(oid, info.generation);
  const out: CommitInfo[] = [];
  const visit = (start: IndexedCommit): void => {
    const stack = [start];
    while (stack.length > 0) {
      const c = stack[stack.length - 1]!;
      if (generation.has(c.oid)) {
        stack.pop();
        continue;
      }
      const pending = c.parents.map((p) => byOid.get(p)).filter((p): p is IndexedCommit => p !== undefined && !generation.has(p.oid));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      const g = 1 + Math.max(0, ...c.parents.map((p) => generation.get(p) ?? 0));
      generation.set(c.oid, g);
      out.push({ ...c, generation: g });
    }
  };
  for (const c of commits) visit(c);
  return out;
}

/** Runs `indexPack` on `pack` with a fresh staging of `opened`; the caller commits or discards it. */
export async function indexInto(
  opened: OpenedRepository,
  pack: Uint8Array,
  options: IndexPackOptions = {},
): Promise<{ staging: SqlPackStaging; indexed: IndexedPack }> {
  const staging = opened.repo.beginPush();
  try {
    const indexed = await indexPack(once(pack), nodeCodec, staging, opened.repo.objects, options);
    return { staging, indexed };
  } catch (err) {
    staging.discard();
    throw err;
  }
}

/** `git cat-file --batch` of `oids` (those git lacks are left out). */
export function gitObjects(gitDir: string, oids: readonly string[]): Map<string, { type: ObjectType; data: Uint8Array }> {
  const out = gitBytes(['cat-file', '--batch'], { cwd: gitDir, input: oids.map((o) => `${o}\n`).join('') });
  const objects = new Map<string, { type: ObjectType; data: Uint8Array }>();
  const decoder = new TextDecoder();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    const [oid, type, size] = decoder.decode(out.subarray(at, eol)).split(' ');
    if (type === 'missing') {
      at = eol + 1;
      continue;
    }
    const start = eol + 1;
    objects.set(oid!, { type: type as ObjectType, data: out.subarray(start, start + Number(size)) });
    at = start + Number(size) + 1;
  }
  return objects;
}

/** `git rev-list --objects <revs>`: the ids only, as a set. */
export function revListObjects(gitDir: string, revs: readonly string[]): Set<string> {
  const out = gitText(['rev-list', '--objects', ...revs], { cwd: gitDir });
  return new Set(out.split('\n').filter((l) => l !== '').map((l) => l.slice(0, 40)));
}

/** The ids of every object of `opened` (table `objects`). */
export function storedOids(opened: OpenedRepository): string[] {
  return opened.sql.query<{ oid: Uint8Array }>('SELECT oid FROM objects ORDER BY id').map((r) => Buffer.from(r.oid).toString('hex'));
}
