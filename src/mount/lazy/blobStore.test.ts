import { mkdtempSync, openSync, readdirSync, readFileSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blobPath, prepareBlobStore, storeBlob } from './blobStore.ts';

const OID = 'b'.repeat(40);
let dir = '';

afterEach(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('storeBlob', () => {
  it('writes a blob once, and leaves one written already alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'grove-blobs-'));
    await prepareBlobStore(dir);
    const data = Buffer.from('the same bytes\n');
    storeBlob(dir, OID, data, false);
    const fd = openSync(blobPath(dir, OID), 'r');
    storeBlob(dir, OID, data, false); // a second batch carried it too
    const seen = Buffer.alloc(64);
    expect(seen.subarray(0, readSync(fd, seen, 0, 64, 0)).equals(data)).toBe(true);
    closeSync(fd);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('replaces a file still being written without cutting it under a reader', async () => {
    dir = mkdtempSync(join(tmpdir(), 'grove-blobs-'));
    await prepareBlobStore(dir);
    const data = Buffer.from('0123456789abcdef');
    writeFileSync(blobPath(dir, OID), data.subarray(0, 5)); // another writer, part way
    const fd = openSync(blobPath(dir, OID), 'r');
    storeBlob(dir, OID, data, false);
    const seen = Buffer.alloc(64);
    expect(seen.subarray(0, readSync(fd, seen, 0, 64, 0)).toString()).toBe('01234'); // the open file is untouched
    closeSync(fd);
    expect(readFileSync(blobPath(dir, OID)).equals(data)).toBe(true);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });
});
