/**
 * DraftService on real repositories (committed by the real `git`), without a
 * server: expiry with a fake clock, the cost of a draft on a big tree, and
 * what reset restores after an update.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashObject } from '../../src/git/objects/gitObject.ts';
import { nodeCodec } from '../../src/runtime/node/codec.ts';
import { openSqlite } from '../../src/runtime/node/sqlite.ts';
import { migrateControlSchema } from '../../src/services/controlSchema.ts';
import { DraftService } from '../../src/services/drafts/DraftService.ts';
import { DraftSweeps } from '../../src/services/drafts/DraftSweeps.ts';
import { toolPath } from '../../src/services/drafts/toolPath.ts';
import { groveRepoOf } from '../content/support/groveRepoOf.ts';
import { commitFilesWithGit, withDraft } from './support/draftFixture.ts';

const enc = new TextEncoder();

/** A control database listing one repository, 'test', and that repository (one commit). */
async function sweptRepo(): Promise<{ control: ReturnType<typeof openSqlite>; copy: Awaited<ReturnType<typeof groveRepoOf>> }> {
  const control = openSqlite(':memory:');
  migrateControlSchema(control);
  control.run(`INSERT INTO namespaces (name, created_at) VALUES ('test', 0)`);
  control.run(`INSERT INTO repos (id, namespace, name, default_branch, created_at, updated_at) VALUES ('test', 'test', 'copy', 'main', 0, 0)`);
  return { control, copy: await groveRepoOf(join(commitFilesWithGit({ 'a.txt': 'a\n' }), '.git')) };
}

describe('DraftService', () => {
  it('collects drafts idle past their TTL: rows, contents and revisions ref', async () => {
    let now = Date.UTC(2026, 0, 1);
    await withDraft({ 'a.txt': 'a\n' }, async (_files, ctx) => {
      const { repo, drafts } = ctx;
      const draft = await drafts.create(repo, { ttlMs: 60_000 });
      await drafts.edit(repo, draft.id, (f) => f.write(toolPath('b.txt'), enc.encode('kept until checkpoint\n')));
      await drafts.checkpoint(repo, draft.id, { message: 'one' });
      await drafts.edit(repo, draft.id, (f) => f.write(toolPath('c.txt'), enc.encode('only in the draft\n')));
      expect(repo.repo.drafts.rowCounts()).toMatchObject({ drafts: 2, blobs: 1 });
      expect(repo.repo.listRefsSync().map((r) => r.name)).toContain(`refs/drafts/${draft.id}`);

      now += 59_000; // a change pushes expiry back: still alive a minute after the last write
      await drafts.edit(repo, draft.id, (f) => f.write(toolPath('d.txt'), enc.encode('d\n')));
      now += 59_000;
      expect(drafts.get(repo, draft.id).id).toBe(draft.id);

      now += 2_000;
      expect(drafts.list(repo, { limit: 10 }).map((d) => d.id)).not.toContain(draft.id);
      expect(() => drafts.get(repo, draft.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
      expect(repo.repo.listRefsSync().map((r) => r.name)).not.toContain(`refs/drafts/${draft.id}`);
      expect(repo.repo.drafts.rowCounts()).toMatchObject({ blobs: 0, blobChunks: 0 });
    }, { now: () => now });
  });

  it('sweeps only the repositories due, and forgets one with no draft left', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { control, copy } = await sweptRepo();
    try {
      const drafts = new DraftService(nodeCodec, { now: () => now, sweeps: new DraftSweeps(control) });
      const due = (): unknown[] => control.query(`SELECT repo_id, due_at FROM draft_sweeps`);
      const short = await drafts.create(copy.repo, { ttlMs: 60_000 });
      const long = await drafts.create(copy.repo, { ttlMs: 3_600_000 });
      expect(due()).toEqual([{ repo_id: 'test', due_at: short.expiresAt }]);
      let opened = 0;
      const open = (id: string) => {
        opened++;
        return id === 'test' ? copy.repo : null;
      };
      expect(drafts.sweep(open)).toBe(0);
      expect(opened).toBe(0); // nothing due yet: no repository opened
      now += 61_000;
      expect(drafts.sweep(open)).toBe(1);
      expect(drafts.list(copy.repo, { limit: 10 }).map((d) => d.id)).toEqual([long.id]);
      expect(due()).toEqual([{ repo_id: 'test', due_at: long.expiresAt }]);
      now += 3_600_000;
      expect(drafts.sweep(open)).toBe(1);
      expect(due()).toEqual([]);
    } finally {
      copy.close();
      control.close();
    }
  });

  it('collects uploaded chunks an hour after their last use, and keeps the blob joined from them', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { control, copy } = await sweptRepo();
    try {
      const drafts = new DraftService(nodeCodec, { now: () => now, sweeps: new DraftSweeps(control) });
      const draft = await drafts.create(copy.repo, { ttlMs: 24 * 3_600_000 });
      const pieces = [enc.encode('first piece, '), enc.encode('second piece\n')];
      const body = new Uint8Array(pieces.reduce((n, p) => n + 4 + p.length, 0));
      let at = 0;
      for (const p of pieces) {
        new DataView(body.buffer).setUint32(at, p.length);
        body.set(p, at + 4);
        at += 4 + p.length;
      }
      const ids = drafts.uploads.uploadChunks(copy.repo, draft.id, body);
      expect(copy.repo.repo.uploadChunks.count()).toBe(2);
      const whole = enc.encode('first piece, second piece\n');
      const [joined] = await drafts.uploads.assemble(copy.repo, draft.id, [{ sha: hashObject(nodeCodec, 'blob', whole), chunks: ids }], 1 << 20);
      await drafts.edit(copy.repo, draft.id, (f) => f.link(toolPath('joined.txt'), joined!.sha));
      const open = (id: string) => (id === 'test' ? copy.repo : null);
      now += 30 * 60_000;
      expect(await drafts.uploads.missingChunks(copy.repo, draft.id, ids)).toEqual([]); // asking counts as a use
      now += 40 * 60_000;
      drafts.sweep(open);
      expect(copy.repo.repo.uploadChunks.count()).toBe(2);
      now += 30 * 60_000;
      drafts.sweep(open);
      expect(copy.repo.repo.uploadChunks.count()).toBe(0);
      expect(new TextDecoder().decode(await drafts.edit(copy.repo, draft.id, (f) => f.read(toolPath('joined.txt'))))).toBe('first piece, second piece\n');
    } finally {
      copy.close();
      control.close();
    }
  });

  it('makes a draft of a 20,000-file tree with the same rows as one of a 10-file tree', async () => {
    const big: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) big[`d${i % 100}/e${i % 7}/f${i}.txt`] = `${i}\n`;
    const small: Record<string, string> = {};
    for (let i = 0; i < 10; i++) small[`f${i}.txt`] = `${i}\n`;
    const rows = (files: Record<string, string>) => withDraft(files, async (_f, ctx) => ctx.repo.repo.drafts.rowCounts());
    const [a, b] = [await rows(small), await rows(big)];
    expect(b).toEqual(a);
    expect(a).toEqual({ drafts: 1, entries: 0, blobs: 0, blobChunks: 0 });
  }, 120_000);

  it('discards: changes, contents and the revisions ref go; other drafts keep theirs', async () => {
    await withDraft({ 'a.txt': 'a\n' }, async (files, ctx) => {
      const { repo, drafts, draft } = ctx;
      const other = await drafts.create(repo, {});
      await files.write(toolPath('shared.txt'), enc.encode('same content\n'));
      await drafts.edit(repo, other.id, (f) => f.write(toolPath('x/shared.txt'), enc.encode('same content\n')));
      await drafts.checkpoint(repo, draft.id, {});
      await files.write(toolPath('more.txt'), enc.encode('more\n'));
      await drafts.discard(repo, draft.id);
      expect(repo.repo.listRefsSync().map((r) => r.name)).not.toContain(`refs/drafts/${draft.id}`);
      const reader = await drafts.reader(repo, other.id);
      expect(new TextDecoder().decode(await reader.read(toolPath('x/shared.txt')))).toBe('same content\n');
      expect(repo.repo.drafts.rowCounts()).toMatchObject({ drafts: 1, entries: 2, blobs: 1 });
    });
  });
});
