import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPack, type EntrySpec } from '../../test/support/buildPack.ts';
import { gitBytes, gitText } from '../../test/support/gitBytes.ts';
import { makeRepo, pseudoRandomBytes } from '../../test/support/makeRepo.ts';
import { objectId } from '../../test/support/rawObject.ts';
import { repositoryTables, stagedRows, storageViolations } from '../../test/support/storageRules.ts';
import { indexInto, loadGitRepository, openRepository, packObjects } from '../../test/support/storeRepo.ts';
import { useTempDir } from '../../test/support/tempDir.ts';
import { isGroveError } from '../errors.ts';
import { ZERO_OID } from '../git/objects/objectId.ts';
import { indexPack } from '../git/pack/indexPack.ts';
import { commitPush } from '../git/protocol/commitPush.ts';
import { nodeCodec } from '../runtime/node/codec.ts';
import { openSqlite } from '../runtime/node/sqlite.ts';
import { Repository } from './Repository.ts';
import { SCHEMA_VERSION } from './repoSchema.ts';

const work = useTempDir('grove-repository-');
const src = join(work, 'src.git');

beforeAll(async () => {
  await makeRepo(src, { commits: 80 });
});

/** A pack with a chunked blob and more entries than one flush of staging rows. */
function bigPack(): { pack: Uint8Array; first: string } {
  const entries: EntrySpec[] = [{ type: 'blob', data: pseudoRandomBytes('left behind', 1.5 * 1024 * 1024) }];
  for (let i = 0; i < 520; i++) entries.push({ type: 'blob', data: new TextEncoder().encode(`left behind ${i}\n`) });
  return { pack: buildPack(entries).bytes, first: objectId('blob', (entries[0] as { data: Uint8Array }).data) };
}

describe('Repository', () => {
  it('clears staging left behind by a process that died mid-push when it is opened again', async () => {
    const file = join(work, 'died.sqlite');
    const opened = openRepository(file);
    await loadGitRepository(opened, src);
    const before = repositoryTables(opened.sql);
    await indexInto(opened, bigPack().pack); // never committed nor discarded
    expect(stagedRows(opened.sql)).toBeGreaterThan(512);
    expect(opened.repo.activePushes).toBe(1);
    opened.close();

    const sql = openSqlite(file);
    const repo = new Repository(sql, nodeCodec);
    expect(stagedRows(sql)).toBe(0);
    expect(repo.activePushes).toBe(0);
    expect(repositoryTables(sql)).toBe(before);
    expect(storageViolations(sql)).toEqual([]);
    sql.close();
  });

  it('clears leftover staging when constructed on a database that is still open', async () => {
    const opened = openRepository();
    const { pack, first } = bigPack();
    await indexInto(opened, pack);
    expect(stagedRows(opened.sql)).toBeGreaterThan(0);
    const again = new Repository(opened.sql, nodeCodec);
    expect(stagedRows(opened.sql)).toBe(0);
    // The schema is not migrated twice, and the new instance works.
    expect(opened.sql.query(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([{ value: String(SCHEMA_VERSION) }]);
    const { staging } = await indexInto({ ...opened, repo: again }, pack);
    expect(staging.commit([{ name: 'refs/heads/blob', old: ZERO_OID, new: first }], [], { atomic: false })).toEqual([{ name: 'refs/heads/blob', ok: true }]);
    expect((await again.objects.has([first])).size).toBe(1);
    opened.close();
  });

  it('counts the pushes in progress', async () => {
    const opened = openRepository();
    const a = opened.repo.beginPush();
    const b = opened.repo.beginPush();
    expect(opened.repo.activePushes).toBe(2);
    a.discard();
    expect(opened.repo.activePushes).toBe(1);
    b.commit([], [], { atomic: false });
    expect(opened.repo.activePushes).toBe(0);
    opened.close();
  });

  it('lists refs like git: bytewise order, HEAD with its target, tags with their fully peeled object', async () => {
    const opened = openRepository();
    await loadGitRepository(opened, src);
    const refs = await opened.repo.listRefs();
    // `git show-ref --head -d`: HEAD, then every ref in byte order, `^{}` lines with the peeled object.
    const lines = gitText(['show-ref', '--head', '-d'], { cwd: src }).split('\n');
    const expected: string[] = [];
    for (const ref of refs) {
      expected.push(`${ref.oid} ${ref.name}`);
      if (ref.peeled !== undefined) expected.push(`${ref.peeled} ${ref.name}^{}`);
    }
    expect(expected).toEqual(lines);
    expect(refs[0]).toEqual({ name: 'HEAD', oid: gitText(['rev-parse', 'main'], { cwd: src }), target: 'refs/heads/main' });
    expect(refs.some((r) => r.name === 'refs/tags/nested-outer' && r.peeled !== undefined)).toBe(true);
    opened.close();
  });

  it('orders ref names by their UTF-8 bytes, as git does', async () => {
    const names = ['refs/heads/a-b', 'refs/heads/a/b', 'refs/heads/Z', 'refs/heads/\u{ff21}', 'refs/heads/\u{1f600}', 'refs/heads/é'];
    const dir = join(work, 'order.git');
    gitBytes(['init', '-q', '--bare', dir]);
    const blob = gitText(['hash-object', '-w', '--stdin'], { cwd: dir, input: 'x\n' });
    const tree = gitText(['mktree'], { cwd: dir, input: `100644 blob ${blob}\tx\n` });
    const commit = gitText(['commit-tree', tree, '-m', 'x'], { cwd: dir });
    for (const name of names) gitBytes(['update-ref', name, commit], { cwd: dir });

    const opened = openRepository();
    await loadGitRepository(opened, dir);
    const ours = opened.repo.listRefsSync().filter((r) => r.name !== 'HEAD').map((r) => r.name);
    expect(ours).toEqual(gitText(['for-each-ref', '--format=%(refname)'], { cwd: dir }).split('\n'));
    // Not the order of JavaScript strings (UTF-16 code units).
    expect(ours).not.toEqual([...names].sort());
    opened.close();
  });

  it('shows an unborn HEAD with no object, and refuses a HEAD target that is not a ref name', () => {
    const opened = openRepository();
    expect(opened.repo.listRefsSync()).toEqual([{ name: 'HEAD', oid: null, target: 'refs/heads/main' }]);
    opened.repo.setHead('refs/heads/trunk');
    expect(opened.repo.listRefsSync()).toEqual([{ name: 'HEAD', oid: null, target: 'refs/heads/trunk' }]);
    for (const bad of ['main', 'HEAD', 'refs/heads/a..b', 'refs/heads/x.lock', 'refs/heads/']) {
      let err: unknown;
      try {
        opened.repo.setHead(bad);
      } catch (e) {
        err = e;
      }
      expect(isGroveError(err) && err.code, bad).toBe('BAD_REF_NAME');
    }
    expect(opened.repo.listRefsSync()).toEqual([{ name: 'HEAD', oid: null, target: 'refs/heads/trunk' }]);
    opened.close();
  });
});

describe('Repository: imports and shallow commits', () => {
  async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
    yield bytes;
  }

  /** Stages all of `src` through `beginImport` and commits `refs` (name → oid) with commitPush. */
  async function importInto(opened: ReturnType<typeof openRepository>, refs: [string, string][], finish: { head: string | null; shallow: string[] }) {
    const staging = opened.repo.beginImport(() => finish);
    try {
      const index = await indexPack(once(packObjects(src, [...new Set(refs.map(([, oid]) => oid))])), nodeCodec, staging, opened.repo.objects);
      return await commitPush(opened.repo.objects, staging, refs.map(([name, oid]) => ({ name, old: ZERO_OID, new: oid })), index, { atomic: true });
    } finally {
      staging.discard();
    }
  }

  it('writes the refs, HEAD and the shallow commits in one commit', async () => {
    const opened = openRepository();
    const main = gitText(['rev-parse', 'main'], { cwd: src });
    const alpha = gitText(['rev-parse', 'feature/alpha'], { cwd: src });
    const report = await importInto(opened, [['refs/heads/main', main], ['refs/heads/feature/alpha', alpha]], { head: 'refs/heads/feature/alpha', shallow: [main, alpha, main] });
    expect(report.refs.every((r) => r.ok)).toBe(true);
    expect(opened.repo.listRefsSync()[0]).toEqual({ name: 'HEAD', oid: alpha, target: 'refs/heads/feature/alpha' });
    expect(opened.repo.shallowSync()).toEqual([main, alpha].sort());
    expect(await opened.repo.shallow()).toEqual([main, alpha].sort());
    opened.close();
  });

  it('changes nothing — refs, objects, HEAD, shallow commits — when a ref update fails', async () => {
    const opened = openRepository();
    const main = gitText(['rev-parse', 'main'], { cwd: src });
    await importInto(opened, [['refs/heads/main', main]], { head: null, shallow: [] });
    const before = repositoryTables(opened.sql);
    const report = await importInto(opened, [['refs/heads/other', main], ['refs/heads/main', main]], { head: 'refs/heads/other', shallow: [main] });
    expect(report.refs.map((r) => r.ok)).toEqual([false, false]);
    expect(repositoryTables(opened.sql)).toBe(before);
    expect(opened.repo.shallowSync()).toEqual([]);
    opened.close();
  });

  it('refuses a HEAD that is not a ref name before committing anything', async () => {
    const opened = openRepository();
    const before = repositoryTables(opened.sql);
    const main = gitText(['rev-parse', 'main'], { cwd: src });
    const err = await importInto(opened, [['refs/heads/main', main]], { head: 'main', shallow: [] }).catch((e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('BAD_REF_NAME');
    expect(repositoryTables(opened.sql)).toBe(before);
    opened.close();
  });

  it('keeps the shallow commits sorted and unique; none means a whole repository', () => {
    const opened = openRepository();
    const [a, b] = ['b'.repeat(40), 'a'.repeat(40)];
    opened.repo.setShallow([a!, b!, a!]);
    expect(opened.repo.shallowSync()).toEqual([b, a]);
    opened.repo.setShallow([]);
    expect(opened.repo.shallowSync()).toEqual([]);
    expect(opened.sql.query(`SELECT * FROM meta WHERE key = 'shallow'`)).toEqual([]);
    opened.close();
  });
});
