/**
 * Grove on Node: the data directory on disk (control database plus one
 * database per repository), the Hono app on @hono/node-server.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp, DEFAULT_LIMITS } from '../../http/createApp.ts';
import type { GitLimits } from '../../http/gitRoutes.ts';
import type { Logger } from '../../http/logger.ts';
import { createGroveServices } from '../../services/GroveServices.ts';
import { nodeCodec } from './codec.ts';
import { FileRepoStorage } from './FileRepoStorage.ts';
import { lookupHost } from './lookupHost.ts';
import type { RateLimits } from '../../http/RateLimiter.ts';
import { resolveAdminToken, type AdminToken } from './adminToken.ts';
import { openSqlite } from './sqlite.ts';

export interface ServerOptions {
  host?: string;
  port?: number;
  dataDir: string;
  /** The admin secret; when absent, one is read from or created in the data directory. */
  adminToken?: string;
  limits?: Partial<GitLimits>;
  /** Request rates per token and per namespace (none by default). */
  rates?: RateLimits;
  /** Largest JSON body of a /v1 request (default 1 MiB). */
  maxApiBodyBytes?: number;
  /** Let imports reach remotes on loopback, private and link-local addresses (default false). */
  allowPrivateRemotes?: boolean;
  /** Repository databases kept open at once (default 256). */
  maxOpenRepos?: number;
  log?: Logger;
  /** Serve repeated clones from stored packs (default true). */
  packCache?: boolean;
  /** How often expired drafts are collected, in ms (default one minute; 0: never). */
  draftSweepMs?: number;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  admin: AdminToken;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const admin = resolveAdminToken(options.dataDir, options.adminToken);
  const control = openSqlite(join(options.dataDir, 'grove.sqlite'));
  const storage = new FileRepoStorage(options.dataDir, nodeCodec, options.maxOpenRepos === undefined ? {} : { maxOpen: options.maxOpenRepos });
  const services = createGroveServices({
    control,
    storage,
    codec: nodeCodec,
    adminToken: admin.token,
    remote: { fetch: globalThis.fetch, lookup: lookupHost, allowPrivate: options.allowPrivateRemotes === true },
    importLimits: {
      maxPackBytes: options.limits?.maxPushPackBytes ?? DEFAULT_LIMITS.maxPushPackBytes,
      ...(options.limits?.maxRepoBytes === undefined ? {} : { maxRepoBytes: options.limits.maxRepoBytes }),
      ...(options.limits?.maxObjectBytes === undefined ? {} : { maxObjectBytes: options.limits.maxObjectBytes }),
    },
  });
  const app = createApp({
    services,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    ...(options.rates === undefined ? {} : { rates: options.rates }),
    ...(options.maxApiBodyBytes === undefined ? {} : { maxApiBodyBytes: options.maxApiBodyBytes }),
    packCache: options.packCache !== false,
    ...(options.log === undefined ? {} : { log: options.log }),
  });

  // Drafts idle past their TTL are discarded even in repositories nobody opens again.
  const sweepMs = options.draftSweepMs ?? 60_000;
  const sweeper = sweepMs <= 0 ? null : setInterval(() => {
    try {
      services.drafts.sweep((id) => {
        const record = services.repos.byId(id);
        return record === null || record.status !== 'ready' ? null : services.repos.open(record);
      });
    } catch (err) {
      options.log?.error({ err }, 'draft sweep failed');
    }
  }, sweepMs);
  sweeper?.unref();

  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8787 }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${shownHost}:${address.port}`,
    admin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(async () => {
          if (sweeper !== null) clearInterval(sweeper);
          await services.imports.close();
          storage.close();
          control.close();
          resolve();
        });
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
