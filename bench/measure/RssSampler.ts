/**
 * Peak resident memory of a process tree, sampled every few milliseconds
 * (procStats.treeRss): for C Git's server, whose work happens in short-lived
 * children (http-backend, upload-pack, pack-objects, index-pack) whose own
 * peaks vanish with them. Sampling can miss a peak shorter than its interval.
 */
import { treeRss } from './procStats.ts';

export class RssSampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  #peak = 0;

  constructor(pid: number, intervalMs = 10) {
    this.#pid = pid;
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  #sample(): void {
    this.#peak = Math.max(this.#peak, treeRss(this.#pid));
  }

  /** Stops sampling; the highest total seen, in bytes. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return this.#peak;
  }
}
