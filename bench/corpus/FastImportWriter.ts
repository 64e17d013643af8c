/**
 * Feeds a `git fast-import` process command by command, with backpressure, so
 * a corpus of hundreds of megabytes never sits in memory. From
 * git-fast-import(1):
 *
 *   commit SP <ref> LF mark? author? committer data from? merge* filemodify* LF?
 *   filemodify ::= 'M' SP <mode> SP 'inline' SP <path> LF data
 *   filedelete ::= 'D' SP <path> LF      filerename ::= 'R' SP <path> SP <path> LF
 *   notemodify ::= 'N' SP 'inline' SP <commit-ish> LF data
 *   tag SP <name> LF mark? 'from' SP <commit-ish> LF tagger data
 *   reset SP <ref> LF ('from' SP <commit-ish> LF)? LF?
 *   data SP <count> LF <raw> LF?
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const encoder = new TextEncoder();

export class FastImportWriter {
  readonly #child: ChildProcess;
  readonly #done: Promise<void>;
  #nextMark = 1;

  constructor(repoDir: string, env: Record<string, string>) {
    this.#child = spawn('git', ['fast-import', '--quiet', '--done', '--date-format=raw'], {
      cwd: repoDir,
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const stderr: Buffer[] = [];
    this.#child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    this.#done = new Promise((resolve, reject) => {
      this.#child.on('error', reject);
      this.#child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`git fast-import exited ${code}: ${Buffer.concat(stderr).toString('utf8').slice(0, 2000)}`));
      });
    });
    // A failed child makes writes fail; the error surfaces through finish().
    this.#child.stdin?.on('error', () => {});
  }

  mark(): number {
    return this.#nextMark++;
  }

  /** Writes text or bytes, waiting while the pipe is full. */
  async write(chunk: string | Uint8Array): Promise<void> {
    const stdin = this.#child.stdin;
    if (stdin === null) throw new Error('fast-import has no stdin');
    if (!stdin.write(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)) {
      await new Promise<void>((resolve) => stdin.once('drain', resolve));
    }
  }

  /** A `data` command with its payload. */
  async data(payload: string | Uint8Array): Promise<void> {
    const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
    await this.write(`data ${bytes.length}\n`);
    await this.write(bytes);
    await this.write('\n');
  }

  /** Ends the stream and waits for fast-import to finish. */
  async finish(): Promise<void> {
    await this.write('done\n');
    this.#child.stdin?.end();
    await this.#done;
  }
}
