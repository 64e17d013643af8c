/**
 * A Grove repository (an `OpenRepository`, as the content services take it)
 * holding a copy of a local git repository — every ref and object, pushed
 * through `executePush` — on an in-memory database, for service tests that
 * run no server.
 */
import type { OpenRepository, RepoRecord } from '../../../src/services/RepoService.ts';
import { loadGitRepository, openRepository, type OpenedRepository } from '../../support/storeRepo.ts';

export interface GroveCopy {
  repo: OpenRepository;
  opened: OpenedRepository;
  close(): void;
}

export async function groveRepoOf(gitDir: string): Promise<GroveCopy> {
  const opened = openRepository();
  await loadGitRepository(opened, gitDir);
  const now = Date.now();
  const record: RepoRecord = {
    id: 'test', namespace: 'test', name: 'copy', description: '', defaultBranch: 'main', readOnly: false, status: 'ready',
    statusReason: null, createdAt: now, updatedAt: now, lastPushAt: null, parentId: null, source: null,
  };
  const repo: OpenRepository = { record, repo: opened.repo, objects: opened.repo.objects, packCache: opened.repo.packCache, release: () => {} };
  return { repo, opened, close: () => opened.close() };
}
