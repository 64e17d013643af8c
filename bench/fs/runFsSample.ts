/**
 * One timed sample: a fresh folder `.bench.<n>` in the target, the
 * scenario's prep (untimed), its run timed inside bash with
 * `$EPOCHREALTIME` (no process started to read the clock), then the folder
 * removed (untimed). Output is discarded; a failing run throws with it.
 */
import { spawn } from 'node:child_process';

const HARNESS = `
set -u
dir="$TARGET/.bench.$$.$RANDOM"
rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
if [ -n "$PREP" ]; then ( eval "$PREP" ) >/dev/null 2>"$ERRFILE" || { echo PREPFAIL; exit 3; }; fi
start=$EPOCHREALTIME
( eval "$RUN" ) >/dev/null 2>"$ERRFILE" || { echo FAIL; exit 4; }
end=$EPOCHREALTIME
cd /; rm -rf "$dir"
echo "$start $end"
`;

export interface SampleInput {
  target: string;
  run: string;
  prep?: string;
  env: Record<string, string>;
  errFile: string;
}

/** Milliseconds the run took. */
export function runFsSample(input: SampleInput): Promise<number> {
  return new Promise((resolve, reject) => {
    const env = { ...input.env, LC_ALL: 'C', TARGET: input.target, RUN: input.run, PREP: input.prep ?? '', ERRFILE: input.errFile };
    const child = spawn('bash', ['-c', HARNESS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /^(\d+\.\d+) (\d+\.\d+)$/m.exec(out);
      if (code !== 0 || match === null) return reject(new Error(`sample in ${input.target} failed (exit ${code}): ${out.trim()} — see ${input.errFile}`));
      resolve((Number(match[2]) - Number(match[1])) * 1000);
    });
  });
}
