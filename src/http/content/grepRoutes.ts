/**
 * Searching a commit's files (services/content/grep.ts):
 *
 *   GET /namespaces/{ns}/repos/{name}/grep?pattern=&ref=&regex=&ignore_case=&paths=&context=&limit=&cursor=
 *
 * answers what `git grep -n [-i] [-F|-E] [-C <n>] <pattern> <ref> -- <pathspec>…`
 * prints, as JSON. Needs a read token of the repository (or admin).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { grep } from '../../services/content/grep.ts';
import { apiApp, authenticated, errors, SECURITY, withRepo, type ApiContext } from '../apiKit.ts';
import { RepoParams } from '../schemas.ts';
import { GrepQuery, GrepResult } from './grepSchemas.ts';

const TAG = ['content'];

export interface GrepRouteLimits {
  /** Files larger than this are not searched (default 1 MiB). */
  maxGrepFileBytes?: number;
}

export function grepRoutes(ctx: ApiContext, limits: GrepRouteLimits = {}): OpenAPIHono {
  const app = apiApp();
  const anyToken = authenticated(ctx, { admin: false });

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/grep', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Search the files of a revision (git grep)',
      description: 'Matches in path order, then line order, at most `limit` a page. Regular files only (no symlinks, no submodules). '
        + 'Binary files that match, and files too large to search, are listed in `skipped`.',
      request: { params: RepoParams, query: GrepQuery },
      responses: { 200: { description: 'a page of matches', content: { 'application/json': { schema: GrepResult } } }, ...errors(404, 409) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const paths = query.paths === undefined ? [] : typeof query.paths === 'string' ? [query.paths] : query.paths;
      const context = query.context;
      const result = await withRepo(ctx, c, 'read', (repo) => grep(repo, {
        pattern: query.pattern,
        regex: query.regex,
        ignoreCase: query.ignore_case,
        paths,
        context,
        limit: query.limit,
        ...(query.ref === undefined ? {} : { ref: query.ref }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        ...(limits.maxGrepFileBytes === undefined ? {} : { maxFileBytes: limits.maxGrepFileBytes }),
      }));
      return c.json({
        commit: result.commit,
        matches: result.matches.map((m) => ({
          path: m.path,
          line_number: m.lineNumber,
          line: m.line,
          ...(context > 0 ? { before: m.before, after: m.after } : {}),
        })),
        skipped: result.skipped,
        next_cursor: result.nextCursor,
      }, 200);
    },
  );

  return app;
}
