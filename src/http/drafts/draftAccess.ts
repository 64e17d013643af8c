/**
 * How a draft route opens its draft: the repository open for `access`, and
 * the request's draft token (if any) held to its draft and globs. A draft
 * token reaches only the routes that pass `scoped: true` (file tools, files,
 * shell, GET), and only its own draft (authorize.ts refuses any other).
 */
import type { Context } from 'hono';
import { GroveError } from '../../errors.ts';
import type { FileEditor } from '../../services/drafts/files.ts';
import { ScopedFiles } from '../../services/drafts/ScopedFiles.ts';
import type { OpenRepository } from '../../services/RepoService.ts';
import type { DraftScope } from '../../services/TokenService.ts';
import { grantOf, withRepo, type ApiContext } from '../apiKit.ts';

export function onDraft<T>(
  ctx: ApiContext,
  c: Context,
  access: 'read' | 'write',
  scoped: boolean,
  fn: (repo: OpenRepository, id: string, scope: DraftScope | undefined) => Promise<T>,
): Promise<T> {
  const id = c.req.param('id') ?? '';
  const grant = grantOf(c);
  if (grant.draft !== undefined && !scoped) {
    throw new GroveError('FORBIDDEN', 'a draft token opens only the draft\'s file tools, files and shell', { draft: grant.draft.id });
  }
  return withRepo(ctx, c, access, (repo) => fn(repo, id, grant.draft), { draftId: id });
}

/** `files` as a draft token may see them (all of them without one). */
export function scopedFiles(files: FileEditor, scope: DraftScope | undefined): FileEditor {
  return scope === undefined ? files : new ScopedFiles(files, { read: scope.read, write: scope.write });
}
