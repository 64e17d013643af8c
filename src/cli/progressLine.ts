/**
 * A spinner-like status line on stderr while a long request runs, shown only
 * when stderr is a terminal (nothing at all on a pipe or in a file).
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
