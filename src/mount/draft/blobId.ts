/**
 * Git's id of a blob: SHA-1 over `blob <size>\0` and the bytes (the
 * object's header and content, gitformat-loose "blob <size>\0<content>").
 * A file is hashed streamed, a MiB at a time, so a 64 MiB file costs one
 * pass and no more memory than the buffer.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export function blobIdOf(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export interface HashedFile {
  sha: string;
  size: number;
  ino: number;
  mtimeMs: number;
}

const CHUNK = 1024 * 1024;

/**
 * The blob id of the file at `path` as it is now; null when it is gone, is
 * not a regular file, or changed while it was read (size or time moved).
 */
export async function hashFile(path: string): Promise<HashedFile | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const before = await handle.stat();
    if (!before.isFile()) return null;
    const hash = createHash('sha1').update(`blob ${before.size}\0`);
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(before.size, 1)));
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    const after = await handle.stat();
    if (position !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) return null;
    return { sha: hash.digest('hex'), size: before.size, ino: before.ino, mtimeMs: before.mtimeMs };
  } finally {
    await handle.close();
  }
}
