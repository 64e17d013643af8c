/**
 * Progress on stderr while a long operation runs, shown only when stderr is a
 * terminal (nothing at all on a pipe or in a file): a spinner-like status line
 * for a request whose progress cannot be measured (an import), and a byte
 * progress bar for a transfer (an archive download, a big upload).
 */
const FRAMES = ['|', '/', '-', '\\'];

/** Shows `text` with a turning mark and the seconds elapsed; returns the function that erases it. */
export function startProgressLine(text: string, stream: NodeJS.WriteStream = process.stderr): () => void {
  if (stream.isTTY !== true) return () => {};
  const started = Date.now();
  let frame = 0;
  const draw = (): void => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${text} (${seconds}s)\u001b[K`);
  };
  draw();
  const timer = setInterval(draw, 125);
  timer.unref();
  return () => {
    clearInterval(timer);
    stream.write('\r\u001b[K');
  };
}

/** A byte counter drawn on stderr: `add` counts bytes as they pass, `stop` erases the line. */
export interface ProgressBar {
  add(bytes: number): void;
  stop(): void;
}

const BAR_WIDTH = 30;

/**
 * A progress bar for a transfer of `total` bytes (a bar, a percentage and the
 * bytes so far), or of an unknown size (the bytes so far and the rate), on
 * stderr only when it is a terminal; redrawn at most eight times a second.
 */
export function startProgressBar(text: string, total: number | null, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (stream.isTTY !== true) return { add: () => {}, stop: () => {} };
  const started = Date.now();
  let done = 0;
  const draw = (): void => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    let line: string;
    if (total !== null && total > 0) {
      const share = Math.min(1, done / total);
      const filled = Math.round(share * BAR_WIDTH);
      line = `${text} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${formatBytes(done)}/${formatBytes(total)}`;
    } else {
      line = `${text} ${formatBytes(done)} (${formatBytes(done / seconds)}/s)`;
    }
    stream.write(`\r${line}\u001b[K`);
  };
  draw();
  const timer = setInterval(draw, 125);
  timer.unref();
  return {
    add: (bytes) => {
      done += bytes;
    },
    stop: () => {
      clearInterval(timer);
      stream.write('\r\u001b[K');
    },
  };
}

/** `1023 B`, `1.5 KiB`, `12.0 MiB`, `3.2 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `source`, passing each chunk's size to `bar` as it goes through. */
export function countedStream(source: ReadableStream<Uint8Array>, bar: ProgressBar): ReadableStream<Uint8Array> {
  return source.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bar.add(chunk.byteLength);
      controller.enqueue(chunk);
    },
  }));
}
