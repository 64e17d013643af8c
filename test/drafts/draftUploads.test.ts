/**
 * Batched and chunked uploads into a draft (what a mounted draft sends at a
 * sync): many small blobs in one request, and a large file cut into
 * content-defined chunks of which only those the server lacks travel —
 * none of those it already has as a blob the file was before (`from`). The
 * result is linked by `changes`, applied, and cloned with the real `git`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkRanges } from '../../src/chunking/ContentChunker.ts';
import { frameHeader } from '../../src/chunking/frames.ts';
import { uniqueName, useApiServer, type Answer } from '../api/support/apiServer.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';

const work = useTempDir('grove-draft-uploads-');
const server = useApiServer();

const blobId = (bytes: Uint8Array): string => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
const sha1 = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');

function framed(pieces: Uint8Array[]): Buffer {
  return Buffer.concat(pieces.flatMap((p) => [frameHeader(p.length), p]));
}

/** Bytes that do not repeat (so the chunker cuts by content, not at its maximum). */
function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

function ok<T>(answer: Answer, status = 200): T {
  expect(answer.status, answer.text.slice(0, 400)).toBe(status);
  return answer.json as T;
}

async function post(path: string, token: string, body: Uint8Array): Promise<Answer> {
  const response = await fetch(`${server().url}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text === '' ? null : JSON.parse(text) };
}

async function repoWithFile(path: string, content: Buffer): Promise<{ ns: string; name: string; remote: string; token: string; at: string }> {
  const ns = uniqueName('uploads');
  const name = uniqueName('repo');
  const repo = await server().createRepo(ns, { name });
  const src = join(work, `${name}-src`);
  await git(['init', '--quiet', '--initial-branch=main', src]);
  writeFileSync(join(src, path), content);
  await git(['add', '-A'], { cwd: src });
  await git(['commit', '--quiet', '-m', 'first'], { cwd: src });
  await git(['push', '--quiet', repo.remote, 'main'], { cwd: src, token: repo.token });
  const base = `/v1/namespaces/${ns}/repos/${name}/drafts`;
  const draft = ok<{ id: string }>(await server().call('POST', base, { token: repo.token }), 201);
  return { ns, name, remote: repo.remote, token: repo.token, at: `${base}/${draft.id}` };
}

describe('batched and chunked draft uploads', () => {
  it('keeps many blobs sent in one request, in order, and refuses a body cut short', async () => {
    const { at, token, remote } = await repoWithFile('kept.txt', Buffer.from('kept\n'));
    const pieces = [Buffer.from('one\n'), Buffer.alloc(0), Buffer.from('kept\n'), noise(300_000, 1)];
    const { blobs } = ok<{ blobs: { sha: string; size: number; stored: boolean }[] }>(await post(`${at}/blobs`, token, framed(pieces)));
    expect(blobs).toEqual(pieces.map((p) => ({ sha: blobId(p), size: p.length, stored: p.toString() !== 'kept\n' })));
    expect(ok<{ missing: string[] }>(await server().call('POST', `${at}/blobs/missing`, { json: { shas: pieces.map(blobId) }, token })).missing).toEqual([]);

    const cut = framed([Buffer.from('abc')]).subarray(0, 5);
    const refused = await post(`${at}/blobs`, token, cut);
    expect(refused.status).toBe(400);
    expect((refused.json as { error: { code: string } }).error.code).toBe('BAD_REQUEST');

    const changes = pieces.map((p, i) => ({ op: 'put', path: `f${i}`, sha: blobId(p) }));
    ok(await server().call('POST', `${at}/changes`, { json: { changes }, token }));
    ok(await server().call('POST', `${at}/apply`, { json: { message: 'batch' }, token }));
    const clone = join(work, 'batch-clone');
    await git(['clone', '--quiet', remote, clone], { token });
    await expectFsckClean(clone);
    for (const [i, p] of pieces.entries()) expect(readFileSync(join(clone, `f${i}`)).equals(p)).toBe(true);
  });

  it('sends only the chunks around an edit of a large file the repository holds', async () => {
    const before = noise(12 * 1024 * 1024, 2);
    const { at, token, remote } = await repoWithFile('data.bin', before);
    const after = Buffer.concat([before.subarray(0, 6_000_000), Buffer.from('an insertion in the middle'), before.subarray(6_000_000)]);
    const ranges = chunkRanges(after);
    const chunks = ranges.map(([a, b]) => sha1(after.subarray(a, b)));
    expect(chunks.length).toBeGreaterThan(4);

    // Without `from`, the server has none of them; with the blob the file was, all but those around the edit.
    const none = ok<{ missing: string[] }>(await server().call('POST', `${at}/chunks/missing`, { json: { chunks }, token })).missing;
    expect(none.sort()).toEqual([...new Set(chunks)].sort());
    const missing = ok<{ missing: string[] }>(await server().call('POST', `${at}/chunks/missing`, { json: { chunks, from: [blobId(before)] }, token })).missing;
    expect(missing.length).toBeGreaterThanOrEqual(1);
    expect(missing.length).toBeLessThanOrEqual(2);

    // Joining before the missing chunks are there names the first one lacking.
    const early = await server().call('POST', `${at}/blobs/assemble`, { json: { blobs: [{ sha: blobId(after), chunks }] }, token });
    expect(early.status).toBe(422);
    expect((early.json as { error: { code: string; details: { chunk: string } } }).error).toMatchObject({ code: 'MISSING_OBJECT', details: { chunk: missing.find((m) => chunks.includes(m)) } });

    const pieces = missing.map((id) => { const [a, b] = ranges[chunks.indexOf(id)]!; return after.subarray(a, b); });
    expect(ok<{ chunks: string[] }>(await post(`${at}/chunks`, token, framed(pieces))).chunks).toEqual(missing);
    const sent = pieces.reduce((n, p) => n + p.length, 0);
    expect(sent).toBeLessThan(after.length / 3);

    const wrong = await server().call('POST', `${at}/blobs/assemble`, { json: { blobs: [{ sha: blobId(before), chunks }] }, token });
    expect(wrong.status).toBe(400);
    const joined = ok<{ blobs: { sha: string; size: number; stored: boolean }[] }>(await server().call('POST', `${at}/blobs/assemble`, { json: { blobs: [{ sha: blobId(after), chunks }] }, token }));
    expect(joined.blobs).toEqual([{ sha: blobId(after), size: after.length, stored: true }]);

    ok(await server().call('POST', `${at}/changes`, { json: { changes: [{ op: 'put', path: 'data.bin', sha: blobId(after) }] }, token }));
    const file = await fetch(`${server().url}${at}/files/data.bin`, { headers: { authorization: `Bearer ${token}` } });
    expect(Buffer.from(await file.arrayBuffer()).equals(after)).toBe(true);
    ok(await server().call('POST', `${at}/apply`, { json: { message: 'edit' }, token }));
    const clone = join(work, 'chunk-clone');
    await git(['clone', '--quiet', remote, clone], { token });
    await expectFsckClean(clone);
    expect(await gitOut(['rev-parse', 'HEAD:data.bin'], { cwd: clone })).toBe(blobId(after));

    // The draft is applied: nothing more goes in.
    const closed = await post(`${at}/chunks`, token, framed([Buffer.from('late')]));
    expect(closed.status).toBe(409);
    expect((closed.json as { error: { code: string } }).error.code).toBe('DRAFT_CLOSED');
  });

  it('refuses ids that are not ids', async () => {
    const { at, token } = await repoWithFile('a.txt', Buffer.from('a\n'));
    const bad = await server().call('POST', `${at}/chunks/missing`, { json: { chunks: ['nothex'] }, token });
    expect(bad.status).toBe(400);
    const badFrom = await server().call('POST', `${at}/chunks/missing`, { json: { chunks: [], from: ['zz'] }, token });
    expect(badFrom.status).toBe(400);
  });
});
