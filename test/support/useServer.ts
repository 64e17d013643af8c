/**
 * Vitest lifecycle helpers for the conformance suite: one server under test per
 * `describe` block, and one scratch directory per test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { GitServerUnderTest, ServerAdapter } from './gitServer.ts';

/** Starts the adapter's server before the block's tests and closes it after them. */
export function useServer(adapter: ServerAdapter): () => GitServerUnderTest {
  let server: GitServerUnderTest | undefined;
  beforeAll(async () => {
    server = await adapter.start();
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (server === undefined) throw new Error(`${adapter.name} server is not started`);
    return server;
  };
}

/** A scratch directory, removed after the enclosing block (or file). */
export function useTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
