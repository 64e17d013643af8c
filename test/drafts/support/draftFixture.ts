/**
 * A real draft for service tests that run no server: a git repository with
 * the given files committed on `main` (by the real `git` CLI), copied into a
 * Grove repository on an in-memory database, and a draft made on `main`.
 */
import { dirname, join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { nodeCodec } from '../../../src/runtime/node/codec.ts';
import type { DraftRecord } from '../../../src/store/SqlDraftStore.ts';
import type { DraftFiles } from '../../../src/services/drafts/DraftFiles.ts';
import { DraftService } from '../../../src/services/drafts/DraftService.ts';
import type { OpenRepository } from '../../../src/services/RepoService.ts';
import { groveRepoOf } from '../../content/support/groveRepoOf.ts';
import { gitText } from '../../support/gitBytes.ts';
import { tempDir } from '../../support/tempDir.ts';

export interface DraftContext {
  repo: OpenRepository;
  drafts: DraftService;
  draft: DraftRecord;
  /** The git work tree the files were committed from (its `.git` is the source repository). */
  workTree: string;
  /** The commit the draft was made from. */
  base: string;
}

/** Writes `files` (path → content) into a new git work tree and commits them on main; returns the directory. */
export function commitFilesWithGit(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir('grove-draft-').dir;
  gitText(['init', '--quiet', '-b', 'main', dir]);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const env = { GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
  gitText(['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'add', '-A'], { cwd: dir });
  gitText(['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '--quiet', '--allow-empty', '-m', 'files'], { cwd: dir, env });
  return dir;
}

/** Runs `fn` with a draft of main over a repository holding `files`. */
export async function withDraft<T>(
  files: Record<string, string | Uint8Array>,
  fn: (files: DraftFiles, ctx: DraftContext) => Promise<T>,
  options: { now?: () => number } = {},
): Promise<T> {
  const workTree = commitFilesWithGit(files);
  const copy = await groveRepoOf(join(workTree, '.git'));
  try {
    const drafts = new DraftService(nodeCodec, options);
    const draft = await drafts.create(copy.repo, { from: 'main' });
    const editor = await drafts.edit(copy.repo, draft.id, async (f) => f);
    return await fn(editor, { repo: copy.repo, drafts, draft, workTree, base: draft.base });
  } finally {
    copy.close();
  }
}
