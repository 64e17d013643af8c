/**
 * Reads and discards what is left of a request body after its handler
 * stopped early (a pack over its limit, a refused push), so the client that
 * is still sending gets to read the answer instead of a reset connection.
 * Bounded in bytes and time: past either, the connection is left to close.
 */
export async function drainBody(body: AsyncIterator<Uint8Array>, options: { maxBytes?: number; timeoutMs?: number } = {}): Promise<void> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let drained = 0;
  try {
    while (drained <= maxBytes && Date.now() < deadline) {
      const step = await body.next();
      if (step.done === true) return;
      drained += step.value.length;
    }
  } catch {
    // The body is broken anyway; the answer is already decided.
  }
}
