/**
 * The numbers `status()` reports: files and bytes of the checkout, those
 * whose content is local, and the last errors. A blob shared by several
 * paths counts once per path.
 */
import type { Oid } from '../../git/objects/objectId.ts';
import type { BaseEntry } from './FileTree.ts';

const KEPT_ERRORS = 20;

export class MountCounters {
  files = 0;
  bytes = 0;
  hydratedFiles = 0;
  hydratedBytes = 0;
  readonly errors: { at: string; message: string }[] = [];
  /** Paths and size of each blob of the checkout. */
  readonly #blobs = new Map<Oid, { paths: number; size: number; local: boolean }>();

  constructor(entries: readonly BaseEntry[], present: ReadonlySet<Oid>) {
    for (const entry of entries) {
      if ((entry.mode & 0o170000) === 0o160000) continue;
      const blob = this.#blobs.get(entry.oid) ?? { paths: 0, size: entry.size, local: present.has(entry.oid) };
      blob.paths++;
      this.#blobs.set(entry.oid, blob);
      this.files++;
      this.bytes += Math.max(0, entry.size);
      if (blob.local) {
        this.hydratedFiles++;
        this.hydratedBytes += Math.max(0, entry.size);
      }
    }
  }

  /** A size learnt after the start (object-info answered after the mount). */
  sized(oid: Oid, size: number): void {
    const blob = this.#blobs.get(oid);
    if (blob === undefined || blob.size >= 0) return;
    blob.size = size;
    this.bytes += size * blob.paths;
    if (blob.local) this.hydratedBytes += size * blob.paths;
  }

  hydrated(oid: Oid, size: number): void {
    const blob = this.#blobs.get(oid);
    if (blob === undefined || blob.local) return;
    blob.local = true;
    if (blob.size < 0) {
      this.bytes += size * blob.paths;
      blob.size = size;
    }
    this.hydratedFiles += blob.paths;
    this.hydratedBytes += size * blob.paths;
  }

  get complete(): boolean {
    return this.hydratedFiles === this.files;
  }

  error(message: string): void {
    this.errors.push({ at: new Date().toISOString(), message });
    if (this.errors.length > KEPT_ERRORS) this.errors.splice(0, this.errors.length - KEPT_ERRORS);
  }
}
