/**
 * The Hono app: Git's smart HTTP under /git, the REST API under /v1, its
 * OpenAPI 3.1 description at /openapi.json, and /healthz. Errors become
 * `{error: {code, message, details}}` here and only here.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { GroveError } from '../errors.ts';
import type { GroveServices } from '../services/GroveServices.ts';
import type { ApiContext } from './apiKit.ts';
import { errorResponse } from './errorResponse.ts';
import { gitRoutes, type GitLimits } from './gitRoutes.ts';
import { silentLogger, type Logger } from './logger.ts';
import { namespaceRoutes } from './namespaceRoutes.ts';
import { RateLimiter, type RateLimits } from './RateLimiter.ts';
import { repoRoutes } from './repoRoutes.ts';
import { tokenRoutes } from './tokenRoutes.ts';
import { readRoutes } from './content/readRoutes.ts';
import { refRoutes } from './content/refRoutes.ts';
import { isFileUpload, writeRoutes } from './content/writeRoutes.ts';
import { notesRoutes } from './content/notesRoutes.ts';
import { grepRoutes } from './content/grepRoutes.ts';
import { compareRoutes } from './content/compareRoutes.ts';
import { draftRoutes, isDraftFileUpload } from './drafts/draftRoutes.ts';
import { execRoute } from './drafts/execRoute.ts';
import { syncRoutes } from './drafts/syncRoutes.ts';
import { mountMcp } from './mcpRoute.ts';

export interface AppOptions {
  services: GroveServices;
  limits: GitLimits;
  /** Largest JSON body of a /v1 request (default 1 MiB). */
  maxApiBodyBytes?: number;
  /** Request rates per token and per namespace (none by default). */
  rates?: RateLimits;
  log?: Logger;
  /** Serve repeated clones from stored packs (default true). */
  packCache?: boolean;
}

export const DEFAULT_LIMITS: GitLimits = {
  maxUploadRequestBytes: 64 * 1024 * 1024,
  maxPushPackBytes: 4 * 1024 * 1024 * 1024,
  maxPushCommandBytes: 16 * 1024 * 1024,
};

export function createApp(options: AppOptions): OpenAPIHono {
  const log = options.log ?? silentLogger;
  const ctx: ApiContext = { services: options.services, rates: new RateLimiter(options.rates ?? {}) };
  const app = new OpenAPIHono();
  const maxApiBodyBytes = options.maxApiBodyBytes ?? 1024 * 1024;
  app.get('/healthz', (c) => c.json({ status: 'pass' }));
  const apiBodyLimit = bodyLimit({
    maxSize: maxApiBodyBytes,
    onError: () => {
      throw new GroveError('PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${maxApiBodyBytes} bytes`, { max: maxApiBodyBytes });
    },
  });
  // A file upload streams its body under its own limit; every other /v1 body is small JSON.
  app.use('/v1/*', (c, next) => (isFileUpload(c.req.method, c.req.path) || isDraftFileUpload(c.req.method, c.req.path) ? next() : apiBodyLimit(c, next)));
  app.route('/git', gitRoutes(ctx, options.limits, log, { packCache: options.packCache !== false }));
  app.route('/v1', namespaceRoutes(ctx));
  app.route('/v1', repoRoutes(ctx));
  app.route('/v1', tokenRoutes(ctx));
  app.route('/v1', refRoutes(ctx));
  app.route('/v1', readRoutes(ctx));
  app.route('/v1', writeRoutes(ctx, options.limits));
  app.route('/v1', notesRoutes(ctx, options.limits));
  app.route('/v1', grepRoutes(ctx));
  app.route('/v1', compareRoutes(ctx));
  app.route('/v1', draftRoutes(ctx, options.limits));
  app.route('/v1', execRoute(ctx));
  app.route('/v1', syncRoutes(ctx, options.limits));
  mountMcp(app);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An admin token, or a repository token (grove_<id>_<secret>) where a route allows one',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Grove', version: '1', description: 'Git repositories for agents: control plane. Errors are {error: {code, message, details}}; see docs/API.md.' },
  });
  app.notFound(() => errorResponse(new GroveError('NOT_FOUND', 'no such route'), log));
  app.onError((err) => errorResponse(err, log));
  return app;
}
