/**
 * Vitest lifecycle helper for the conformance suite: one server under test per
 * `describe` block, started before its tests and closed after them.
 */
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
