/**
 * An HTTP response body as chunks, read with a stream reader of its own (so
 * it runs wherever Web Streams do) and cancelled whenever the reader stops
 * early: a half-read pack must not keep its connection open. A connection
 * that breaks mid-body becomes a REMOTE_ERROR naming the remote.
 */
import { remoteError, networkReason } from './remoteError.ts';

export interface ResponseChunks {
  chunks: AsyncGenerator<Uint8Array>;
  /** Stops reading and releases the connection; harmless once the body is read. */
  cancel(): Promise<void>;
}

export function responseChunks(response: Response, url: URL): ResponseChunks {
  const body = response.body;
  if (body === null) return { chunks: (async function* () {})(), cancel: async () => {} };
  const reader = body.getReader();
  let finished = false;
  const cancel = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    await reader.cancel().catch(() => {});
  };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        let step: Awaited<ReturnType<typeof reader.read>>;
        try {
          step = await reader.read();
        } catch (err) {
          throw remoteError(url, `the connection broke while reading the response: ${networkReason(err)}`, {}, err);
        }
        if (step.done) {
          finished = true;
          return;
        }
        if (step.value.length > 0) yield step.value;
      }
    } finally {
      await cancel();
    }
  }
  return { chunks: chunks(), cancel };
}
