/**
 * What a running mount offers the process that serves it, whatever it
 * mounts (a remote lazily, or a draft): its state, a sync (drafts only),
 * and a clean unmount. `grove mount` serves one of these on a control
 * socket (control.ts) so that `grove mount status|sync` and `grove unmount`,
 * run from other processes, can reach it.
 */
export interface MountStatus {
  kind: 'lazy' | 'draft';
  dir: string;
  /** What is mounted: the remote URL, or `ns/name#draft`. */
  source: string;
  /** Files known, and those whose contents are local. */
  files: number;
  hydratedFiles: number;
  bytes: number;
  hydratedBytes: number;
  /** Blobs waiting to be fetched. */
  queue: number;
  /** Local changes not yet synced (draft mounts). */
  dirty: number;
  /** Failures so far (each retried; the last few kept). */
  errors: { at: string; message: string }[];
  startedAt: string;
}

export interface SyncReport {
  /** Paths written to the draft, removed from it. */
  written: number;
  removed: number;
  /** Blobs the server lacked and now holds, and the bytes sent for them (small blobs whole, large ones only the chunks the server lacked). */
  uploaded: number;
  uploadedBytes: number;
}

export interface MountHandle {
  status(): MountStatus;
  /** Writes local changes back (draft mounts); absent for a lazy mount. */
  sync?(): Promise<SyncReport>;
  /** Syncs (draft mounts), unmounts and releases everything; resolves once done. */
  unmount(): Promise<void>;
  /** Resolves when the mount ends, however it ends (unmount, `fusermount -u`, a fatal error). */
  readonly closed: Promise<void>;
}
