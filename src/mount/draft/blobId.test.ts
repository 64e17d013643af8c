import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../../test/support/tempDir.ts';
import { blobIdOf, hashFile } from './blobId.ts';

function gitHashObject(file: string): string {
  return execFileSync('git', ['hash-object', '--no-filters', file], { encoding: 'utf8' }).trim();
}

describe('blob ids', () => {
  it('are what git hash-object says, for bytes and for files streamed a MiB at a time', async () => {
    await withTempDir('grove-blob-id-', async (dir) => {
      const cases: [string, Buffer][] = [
        ['empty', Buffer.alloc(0)],
        ['text', Buffer.from('hello\n')],
        ['binary', Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 31) & 255))],
      ];
      for (const [name, bytes] of cases) {
        const file = join(dir, name);
        writeFileSync(file, bytes);
        const id = gitHashObject(file);
        expect(blobIdOf(bytes)).toBe(id);
        const hashed = await hashFile(file);
        expect(hashed).toMatchObject({ sha: id, size: bytes.length });
      }
    });
  });

  it('are null for what is not a regular file', async () => {
    await withTempDir('grove-blob-id-', async (dir) => {
      mkdirSync(join(dir, 'folder'));
      expect(await hashFile(join(dir, 'folder'))).toBeNull();
      expect(await hashFile(join(dir, 'missing'))).toBeNull();
    });
  });
});
