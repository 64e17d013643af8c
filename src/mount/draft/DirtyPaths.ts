/**
 * The paths changed through the mount and not yet synced (a path stands for
 * itself and everything below it; '' for the whole tree). Marking is a map
 * write — nothing is hashed or read when a file is written. Each sync starts
 * a new epoch: it takes the paths marked so far and, once the server has
 * them, clears only those not marked again since, so a write racing a sync
 * is sent by the next one.
 */
export interface DirtySnapshot {
  /** The last epoch the snapshot covers. */
  epoch: number;
  paths: string[];
}

export class DirtyPaths {
  readonly #paths = new Map<string, number>();
  #epoch = 0;

  get epoch(): number {
    return this.#epoch;
  }

  get size(): number {
    return this.#paths.size;
  }

  mark(path: string): void {
    this.#paths.set(path, this.#epoch);
  }

  /** Every marked path; a new epoch starts. */
  begin(): DirtySnapshot {
    const snapshot = { epoch: this.#epoch, paths: [...this.#paths.keys()] };
    this.#epoch++;
    return snapshot;
  }

  /** Clears the snapshot's paths that were not marked again after it was taken. */
  settle(snapshot: DirtySnapshot, keep: ReadonlySet<string> = new Set()): void {
    for (const path of snapshot.paths) {
      if (keep.has(path)) continue;
      const epoch = this.#paths.get(path);
      if (epoch !== undefined && epoch <= snapshot.epoch) this.#paths.delete(path);
    }
  }

  paths(): string[] {
    return [...this.#paths.keys()];
  }
}
