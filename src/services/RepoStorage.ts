import type { Repository } from '../store/Repository.ts';

/** Where repositories' databases live: one per repository, opened by id (a runtime implements it). */
export interface RepoStorage {
  /** Opens the repository's database; with `create`, makes an empty one if there is none. */
  open(id: string, options?: { create?: boolean }): Repository;
}
