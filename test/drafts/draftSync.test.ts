/**
 * Content-addressed sync into a draft (what a mounted draft does): ask which
 * blobs the server lacks, upload only those, then send each path's new state
 * by blob id; the result read back through REST, and applied and cloned with
 * the real `git`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uniqueName, useApiServer, type Answer } from '../api/support/apiServer.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';

const work = useTempDir('grove-draft-sync-');
const server = useApiServer();

function blobId(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function ok<T>(answer: Answer, status = 200): T {
  expect(answer.status, answer.text.slice(0, 400)).toBe(status);
  return answer.json as T;
}

describe('draft sync by blob id', () => {
  it('uploads only what the server lacks, applies states in order, and refuses an unknown blob naming the change', async () => {
    const ns = uniqueName('sync');
    const name = uniqueName('repo');
    const repo = await server().createRepo(ns, { name });
    const src = join(work, 'src');
    await git(['init', '--quiet', '--initial-branch=main', src]);
    mkdirSync(join(src, 'old'), { recursive: true });
    writeFileSync(join(src, 'keep.txt'), 'kept\n');
    writeFileSync(join(src, 'old/a.txt'), 'old a\n');
    await git(['add', '-A'], { cwd: src });
    await git(['commit', '--quiet', '-m', 'first'], { cwd: src });
    await git(['push', '--quiet', repo.remote, 'main'], { cwd: src, token: repo.token });
    const token = repo.token;
    const base = `/v1/namespaces/${ns}/repos/${name}/drafts`;
    const draft = ok<{ id: string }>(await server().call('POST', base, { token }), 201);
    const at = `${base}/${draft.id}`;

    const fresh = 'fresh content\n';
    const big = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    const shas = [blobId('kept\n'), blobId(fresh), blobId(big)];
    const missing = ok<{ missing: string[] }>(await server().call('POST', `${at}/blobs/missing`, { json: { shas }, token })).missing;
    expect(missing.sort()).toEqual([blobId(fresh), blobId(big)].sort());

    const put = (sha: string, body: string | Buffer): Promise<Response> =>
      fetch(`${server().url}${at}/blobs/${sha}`, { method: 'PUT', body, headers: { authorization: `Bearer ${token}` } });
    expect((await put(blobId(fresh), 'not the content')).status).toBe(400);
    expect((await put(blobId(fresh), fresh)).status).toBe(201);
    expect((await put(blobId(big), big)).status).toBe(201);
    expect((await put(blobId('kept\n'), 'kept\n')).status).toBe(200);
    expect(ok<{ missing: string[] }>(await server().call('POST', `${at}/blobs/missing`, { json: { shas }, token })).missing).toEqual([]);

    const unknown = blobId('never uploaded\n');
    const refused = await server().call('POST', `${at}/changes`, { json: { changes: [{ op: 'put', path: 'first.txt', sha: blobId(fresh) }, { op: 'put', path: 'x.txt', sha: unknown }] }, token });
    expect(refused.status).toBe(422);
    expect((refused.json as { error: { code: string; details: { index: number } } }).error).toMatchObject({ code: 'MISSING_OBJECT', details: { index: 1 } });

    const changes = [
      { op: 'put', path: 'first.txt', sha: blobId(fresh) },
      { op: 'put', path: 'copy/of/keep.txt', sha: blobId('kept\n') },
      { op: 'put', path: 'data/big.bin', sha: blobId(big), mode: '100755' },
      { op: 'mv', from: 'old', to: 'new' },
      { op: 'rm', path: 'new/a.txt' },
      { op: 'mkdir', path: 'empty' },
      { op: 'rm', path: 'not/there' },
    ];
    expect(ok<{ applied: number }>(await server().call('POST', `${at}/changes`, { json: { changes }, token })).applied).toBe(changes.length);
    // The same batch again changes nothing more.
    ok(await server().call('POST', `${at}/changes`, { json: { changes: changes.filter((c) => c.op !== 'mv') }, token }));

    ok(await server().call('POST', `${at}/apply`, { json: { message: 'synced' }, token }));
    const clone = join(work, 'clone');
    await git(['clone', '--quiet', repo.remote, clone], { token });
    await expectFsckClean(clone);
    expect((await gitOut(['ls-tree', '-r', '--format=%(objectmode) %(path)', 'HEAD'], { cwd: clone })).split('\n')).toEqual([
      '100644 copy/of/keep.txt', '100755 data/big.bin', '100644 first.txt', '100644 keep.txt',
    ]);
    expect(await gitOut(['rev-parse', 'HEAD:data/big.bin'], { cwd: clone })).toBe(blobId(big));
  });
});
