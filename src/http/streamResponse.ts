/**
 * A response body pulled from an async generator: each `pull` asks for the
 * next chunk, so a slow client slows the producer instead of filling memory.
 */
import type { Logger } from './logger.ts';

export function streamBody(first: Uint8Array | undefined, rest: AsyncGenerator<Uint8Array>, log: Logger): ReadableStream<Uint8Array> {
  let pending = first;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending !== undefined) {
        controller.enqueue(pending);
        pending = undefined;
        return;
      }
      try {
        const step = await rest.next();
        if (step.done) controller.close();
        else controller.enqueue(step.value);
      } catch (err) {
        log.error({ err }, 'response stream failed');
        controller.error(err);
      }
    },
    async cancel() {
      await rest.return(undefined);
    },
  }, { highWaterMark: 1 });
}
