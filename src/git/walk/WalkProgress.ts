/**
 * Counts what a history or tree walk has found, for progress reports, and
 * lets the event loop run every few thousand objects: store reads may settle
 * as microtasks, and without a macrotask turn now and then a response that is
 * being streamed meanwhile (progress lines, keep-alives) would not leave.
 */
export class WalkProgress {
  #count = 0;
  #sinceYield = 0;
  readonly #every: number;

  /** `every`: objects between two turns of the event loop. */
  constructor(every = 4096) {
    this.#every = every;
  }

  /** Objects counted so far. */
  get count(): number {
    return this.#count;
  }

  /** Counts `n` more objects; yields to the event loop when `every` have gone by since the last time. */
  async add(n: number): Promise<void> {
    this.#count += n;
    await this.pace(n);
  }

  /** Notes `n` objects looked at but not counted (e.g. what the client has); yields like `add`. */
  async pace(n: number): Promise<void> {
    this.#sinceYield += n;
    if (this.#sinceYield >= this.#every) {
      this.#sinceYield = 0;
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  }
}
