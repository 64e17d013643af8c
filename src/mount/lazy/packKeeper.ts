/**
 * Keeps a copy of a fetched pack in the mount's git directory, as git's own
 * partial clone does with what it fetches from its promisor remote:
 * `git index-pack --stdin --promisor` writes objects/pack/pack-<hash>.pack,
 * its .idx and a .promisor file (git-index-pack(1): "--promisor[=<message>]
 * Before committing the pack-index, create a .promisor file for this pack").
 * git commands in the mount (diff, log -p, blame) then find the blobs
 * without going to the network.
 *
 * The pack is handed over chunk by chunk while the mount parses it itself;
 * a slow index-pack slows the transfer (the copy is awaited) rather than
 * piling the pack up in memory.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GroveError } from '../../errors.ts';
import { gitEnvFor } from './runGit.ts';

export class PackKeeper {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #exit: Promise<{ code: number | null; out: string; err: string }>;
  #failed = false;

  constructor(gitDir: string, options: { fixThin?: boolean } = {}) {
    const args = ['index-pack', '--stdin', '--promisor', ...(options.fixThin === true ? ['--fix-thin'] : [])];
    this.#child = spawn('git', args, { env: gitEnvFor(gitDir), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    this.#child.stdout.on('data', (c: Buffer) => out.push(c));
    this.#child.stderr.on('data', (c: Buffer) => err.push(c));
    this.#child.stdin.on('error', () => {
      this.#failed = true;
    });
    this.#exit = new Promise((resolve) => {
      this.#child.on('error', (e) => {
        this.#failed = true;
        resolve({ code: -1, out: '', err: e.message });
      });
      this.#child.on('close', (code) => resolve({ code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }));
    });
  }

  /** Passes `pack` through, copying each chunk to index-pack. */
  async *tee(pack: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const stdin = this.#child.stdin;
    for await (const chunk of pack) {
      if (!this.#failed && !stdin.destroyed && !stdin.write(chunk)) {
        await new Promise<void>((done) => {
          const go = (): void => {
            stdin.off('drain', go);
            stdin.off('close', go);
            done();
          };
          stdin.on('drain', go);
          stdin.on('close', go);
        });
      }
      yield chunk;
    }
  }

  /** Ends the copy; resolves to the pack's hash once index-pack has written it. */
  async finish(): Promise<string> {
    this.#child.stdin.end();
    const { code, out, err } = await this.#exit;
    const match = /^(?:pack|keep)\t([0-9a-f]{40})/m.exec(out);
    if (code !== 0 || match === null) {
      throw new GroveError('INTERNAL', `git index-pack failed (exit ${code}): ${err.trim().split('\n').slice(-2).join(' / ')}`);
    }
    return match[1]!;
  }

  /** Gives up the copy (the transfer failed). */
  abort(): void {
    this.#child.kill();
  }
}
