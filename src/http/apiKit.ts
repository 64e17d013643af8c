/**
 * What every control-plane route shares: the OpenAPI app with validation
 * errors turned into BAD_REQUEST, the error responses each route documents,
 * and the gate that authenticates a request and counts it against the rates.
 */
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { GroveError } from '../errors.ts';
import type { GroveServices } from '../services/GroveServices.ts';
import type { TokenGrant } from '../services/TokenService.ts';
import type { OpenRepository } from '../services/RepoService.ts';
import { authenticate, authorizeRepo } from './authorize.ts';
import type { RateLimiter } from './RateLimiter.ts';
import { ErrorBody } from './schemas.ts';

export interface ApiContext {
  services: GroveServices;
  rates: RateLimiter;
}

/** An OpenAPI sub-app whose invalid requests answer `{error: {code: BAD_REQUEST, …}}`. */
export function apiApp(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const path = issue === undefined ? undefined : issue.path.join('.');
      const field = unknownKey === undefined ? path : path === '' || path === undefined ? unknownKey : `${path}.${unknownKey}`;
      const where = field === undefined || field === '' ? '' : ` at "${field}"`;
      throw new GroveError('BAD_REQUEST', `invalid ${result.target}${where}: ${issue?.message ?? 'does not match the schema'}`, field === undefined ? {} : { field });
    },
  });
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid request (code BAD_REQUEST, BAD_REF_NAME)',
  401: 'no token, or a wrong, expired or revoked one (UNAUTHORIZED)',
  403: 'the token lacks the right (FORBIDDEN)',
  404: 'no such namespace, repository or token (NOT_FOUND)',
  409: 'conflict (ALREADY_EXISTS, NAMESPACE_NOT_EMPTY, REPO_NOT_READY)',
  413: 'body too large (PAYLOAD_TOO_LARGE)',
  415: 'the body is not JSON (UNSUPPORTED_MEDIA_TYPE)',
  422: 'refused input (BAD_REF_NAME, REMOTE_NOT_ALLOWED)',
  429: 'over the request rate (RATE_LIMITED); see Retry-After',
  502: 'the remote failed (REMOTE_ERROR)',
};

/** Error responses for a route's `responses`: the given statuses, plus 400, 401, 403 and 429 which every route can give. */
export function errors(...statuses: number[]): RouteConfig['responses'] {
  const out: RouteConfig['responses'] = {};
  for (const status of [...new Set([400, 401, 403, 429, ...statuses])].sort()) {
    out[status] = { description: DESCRIPTIONS[status] ?? 'error', content: { 'application/json': { schema: ErrorBody } } };
  }
  return out;
}

export const SECURITY = [{ bearer: [] }];

/** The error statuses of a route that takes a JSON body, besides its own. */
export const BODY_ERRORS = [413, 415] as const;

const grants = new WeakMap<Request, TokenGrant>();

/**
 * Route middleware: authenticates the request (before its input is
 * validated: no token, no information) and counts it against the token's and
 * the namespace's rates; with `admin`, refuses any other token.
 */
export function authenticated(ctx: ApiContext, options: { admin: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const grant = await authenticate(ctx.services.tokens, c.req.header('authorization'));
    ctx.rates.take(grant.tokenId, c.req.param('ns'));
    if (options.admin && grant.scope !== 'admin') throw new GroveError('FORBIDDEN', 'this operation needs an admin token');
    grants.set(c.req.raw, grant);
    await next();
  };
}

/** The grant `authenticated` found for this request. */
export function grantOf(c: Context): TokenGrant {
  const grant = grants.get(c.req.raw);
  if (grant === undefined) throw new GroveError('INTERNAL', 'route has no authentication middleware');
  return grant;
}

/**
 * The repository named by the route's `{ns}` and `{name}`, once the request's
 * token (found by `authenticated`) may use it for `access`: an admin token,
 * or a token of this repository (`write` needs a write token and a writable
 * repository). Opened: the caller must `release()` it — for a streamed
 * answer, once the stream ends.
 */
export function openRepoFor(ctx: ApiContext, c: Context, access: 'read' | 'write', options: { draftId?: string } = {}): OpenRepository {
  const namespace = c.req.param('ns') ?? '';
  const name = c.req.param('name') ?? '';
  const record = authorizeRepo(grantOf(c), ctx.services.repos.find(namespace, name), { namespace, name }, access, options);
  return ctx.services.repos.open(record);
}

/** Runs `fn` with the route's repository open for `access`, and releases it after. */
export async function withRepo<T>(
  ctx: ApiContext,
  c: Context,
  access: 'read' | 'write',
  fn: (repo: OpenRepository) => Promise<T> | T,
  options: { draftId?: string } = {},
): Promise<T> {
  const repo = openRepoFor(ctx, c, access, options);
  try {
    return await fn(repo);
  } finally {
    repo.release();
  }
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
