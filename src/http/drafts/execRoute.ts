/**
 * `POST /namespaces/{ns}/repos/{name}/drafts/{id}/exec` — a shell command
 * run by just-bash over a draft's files (src/shell/runExec.ts: no network,
 * bounded time and output). Its file changes land in the draft; a draft
 * token's globs hold inside the shell too.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { runExec } from '../../shell/runExec.ts';
import { apiApp, authenticated, BODY_ERRORS, errors, SECURITY, type ApiContext } from '../apiKit.ts';
import { onDraft, scopedFiles } from './draftAccess.ts';
import { DraftParams, ExecBody, ExecResult } from './draftSchemas.ts';

const TAG = ['drafts'];

export function execRoute(ctx: ApiContext): OpenAPIHono {
  const app = apiApp();
  const anyToken = authenticated(ctx, { admin: false });
  const { drafts } = ctx.services;
  const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/exec', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Run a shell command over the draft\'s files (just-bash: no network, bounded time and output)',
      description: 'File changes the command makes land in the draft. See docs/SHELL.md for the commands there are.',
      request: { params: DraftParams, body: { required: true, content: { 'application/json': { schema: ExecBody } } } },
      responses: { 200: json(ExecResult, 'what the command printed, and its exit code'), ...errors(...BODY_ERRORS, 404, 409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await onDraft(ctx, c, 'write', true, (repo, id, scope) =>
        drafts.edit(repo, id, (files) => runExec(scopedFiles(files, scope), {
          command: body.command,
          ...(body.cwd === undefined ? {} : { cwd: body.cwd }),
          ...(body.timeout_ms === undefined ? {} : { timeoutMs: body.timeout_ms }),
          ...(body.env === undefined ? {} : { env: body.env }),
        })));
      return c.json(result, 200);
    },
  );

  return app;
}
