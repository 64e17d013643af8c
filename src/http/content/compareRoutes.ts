/**
 * Comparing two revisions (services/content/compare.ts):
 *
 *   GET /namespaces/{ns}/repos/{name}/compare/{base}...{head}?patch=
 *
 * as GitHub's compare: merge base, ahead/behind, the commits of head not in
 * base and the files of `git diff -M base...head`. Each side is a branch, a
 * tag, a full ref or a commit id; a side containing '/' may be URL-encoded
 * or not (`main...feature/x` and `main...feature%2Fx` are the same). Any
 * token that opens the repository for reading may use it.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { GroveError } from '../../errors.ts';
import { compare, parseBaseHead } from '../../services/content/compare.ts';
import { apiApp, authenticated, errors, SECURITY, withRepo, type ApiContext } from '../apiKit.ts';
import { CompareParams, CompareQuery, Comparison } from './compareSchemas.ts';

const TAG = ['content'];

function patchParam(value: string | undefined): boolean {
  if (value === undefined || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new GroveError('BAD_REQUEST', 'patch must be true or false', { field: 'patch' });
}

export function compareRoutes(ctx: ApiContext): OpenAPIHono {
  const app = apiApp();
  const anyToken = authenticated(ctx, { admin: false });

  app.openAPIRegistry.registerPath({
    method: 'get', path: '/namespaces/{ns}/repos/{name}/compare/{basehead}', tags: TAG, security: SECURITY,
    summary: 'Compare two revisions: merge base, ahead/behind, commits, and the files of git diff -M base...head',
    request: { params: CompareParams, query: CompareQuery },
    responses: { 200: { description: 'the comparison', content: { 'application/json': { schema: Comparison } } }, ...errors(404, 409) },
  });
  app.get('/namespaces/:ns/repos/:name/compare/:basehead{.+}', anyToken, async (c) => {
    const { base, head } = parseBaseHead(c.req.param('basehead'));
    const patch = patchParam(c.req.query('patch'));
    const result = await withRepo(ctx, c, 'read', (repo) => compare(repo, base, head, { patch }));
    return c.json(result, 200);
  });
  return app;
}
