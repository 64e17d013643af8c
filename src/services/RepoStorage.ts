import type { Repository } from '../store/Repository.ts';

/** A repository opened for the duration of one use (a request); `release` ends the use. */
export interface RepoHandle {
  repo: Repository;
  release(): void;
}

/**
 * Where repositories' databases live: one per repository, opened by id (a
 * runtime implements it). A runtime may close idle databases, but never one
 * with an unreleased handle.
 */
export interface RepoStorage {
  /** Opens the repository's database; with `create`, makes an empty one if there is none. */
  open(id: string, options?: { create?: boolean }): RepoHandle;
  /** Removes the repository's database; one still in use goes once its last handle is released. */
  remove(id: string): void;
}
