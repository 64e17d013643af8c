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
  /** Opens the repository's database, which must exist. */
  open(id: string): RepoHandle;
  /**
   * Makes the database of a new repository and runs `init` on it (its first
   * refs). Until this returns, nobody else can see the database, so a
   * runtime may write it without its usual durability steps. If `init`
   * throws, nothing is left behind.
   */
  create(id: string, init: (repo: Repository) => void): void;
  /** Removes the repository's database; one still in use goes once its last handle is released. */
  remove(id: string): void;
}
