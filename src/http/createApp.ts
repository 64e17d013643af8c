/**
 * The Hono app: Git's smart HTTP under /git, the REST API under /v1, and
 * /healthz. Errors become `{error: {code, message, details}}` here and only here.
 */
import { Hono } from 'hono';
import type { GroveServices } from '../services/GroveServices.ts';
import { errorResponse } from './errorResponse.ts';
import { gitRoutes, type GitLimits } from './gitRoutes.ts';
import { silentLogger, type Logger } from './logger.ts';
import { repoRoutes } from './repoRoutes.ts';
import { GroveError } from '../errors.ts';

export interface AppOptions {
  services: GroveServices;
  limits: GitLimits;
  log?: Logger;
  /** Serve repeated clones from stored packs (default true). */
  packCache?: boolean;
}

export const DEFAULT_LIMITS: GitLimits = {
  maxUploadRequestBytes: 64 * 1024 * 1024,
  maxPushPackBytes: 4 * 1024 * 1024 * 1024,
  maxPushCommandBytes: 16 * 1024 * 1024,
};

export function createApp(options: AppOptions): Hono {
  const log = options.log ?? silentLogger;
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'pass' }));
  app.route('/git', gitRoutes(options.services, options.limits, log, { packCache: options.packCache !== false }));
  app.route('/v1', repoRoutes(options.services));
  app.notFound(() => errorResponse(new GroveError('NOT_FOUND', 'no such route'), log));
  app.onError((err) => errorResponse(err, log));
  return app;
}
