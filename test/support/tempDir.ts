/**
 * Temporary directories for tests. They are made under `os.tmpdir()`, which
 * test/globalSetup.ts points at one root per run that is deleted when the run
 * ends; each helper here also removes its directory as soon as it is no longer
 * needed, so a long run does not pile them up: `tempDir` when the caller says,
 * `useTempDir` after the enclosing `describe` block (or file), `withTempDir`
 * when the given function settles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface TempDir {
  dir: string;
  /** Deletes the directory and everything in it. */
  remove(): void;
}

/** A fresh directory named `<prefix><random>`. */
export function tempDir(prefix = 'grove-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh directory, made now and removed after the enclosing block (or file). */
export function useTempDir(prefix: string): string {
  const made = tempDir(prefix);
  afterAll(() => made.remove());
  return made.dir;
}

/** Runs `use` with a fresh directory and removes the directory when it settles. */
export async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const made = tempDir(prefix);
  try {
    return await use(made.dir);
  } finally {
    made.remove();
  }
}
