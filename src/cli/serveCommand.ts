/** `grove serve`: starts the server in the foreground until SIGINT/SIGTERM. */
import { resolve } from 'node:path';
import { pino } from 'pino';
import type { GitLimits } from '../http/gitRoutes.ts';
import type { Rate, RateLimits } from '../http/RateLimiter.ts';
import { startServer } from '../runtime/node/startServer.ts';

export interface ServeFlags {
  host?: string;
  port?: number;
  data?: string;
}

/**
 * Settings read from the environment (docs in README "Configuration"):
 * GROVE_MAX_REPO_BYTES, GROVE_MAX_OBJECT_BYTES, GROVE_MAX_PUSH_BYTES,
 * GROVE_MAX_API_BODY_BYTES (sizes: 1048576, 512k, 100m, 2g);
 * GROVE_RATE_TOKEN, GROVE_RATE_NAMESPACE ("<requests>/<seconds>", e.g. 2000/10);
 * GROVE_ALLOW_PRIVATE_REMOTES=1 lets imports reach loopback and private addresses.
 */
export async function serveCommand(flags: ServeFlags): Promise<void> {
  const env = process.env;
  const port = flags.port ?? (env['GROVE_PORT'] === undefined ? 8787 : Number(env['GROVE_PORT']));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`GROVE_PORT is not a port number: ${env['GROVE_PORT']}`);
  const dataDir = resolve(flags.data ?? env['GROVE_DATA_DIR'] ?? '.grove');
  const log = pino({ level: env['GROVE_LOG_LEVEL'] ?? 'info' });
  const limits: Partial<GitLimits> = {};
  const maxRepo = sizeFromEnv('GROVE_MAX_REPO_BYTES');
  const maxObject = sizeFromEnv('GROVE_MAX_OBJECT_BYTES');
  const maxPush = sizeFromEnv('GROVE_MAX_PUSH_BYTES');
  if (maxRepo !== undefined) limits.maxRepoBytes = maxRepo;
  if (maxObject !== undefined) limits.maxObjectBytes = maxObject;
  if (maxPush !== undefined) limits.maxPushPackBytes = maxPush;
  const rates: RateLimits = {};
  const perToken = rateFromEnv('GROVE_RATE_TOKEN');
  const perNamespace = rateFromEnv('GROVE_RATE_NAMESPACE');
  if (perToken !== undefined) rates.perToken = perToken;
  if (perNamespace !== undefined) rates.perNamespace = perNamespace;
  const maxApiBody = sizeFromEnv('GROVE_MAX_API_BODY_BYTES');
  const server = await startServer({
    host: flags.host ?? env['GROVE_HOST'] ?? '127.0.0.1',
    port,
    dataDir,
    ...(env['GROVE_ADMIN_TOKEN'] ? { adminToken: env['GROVE_ADMIN_TOKEN'] } : {}),
    packCache: env['GROVE_PACK_CACHE'] !== 'off',
    limits,
    rates,
    ...(maxApiBody === undefined ? {} : { maxApiBodyBytes: maxApiBody }),
    allowPrivateRemotes: env['GROVE_ALLOW_PRIVATE_REMOTES'] === '1',
    log,
  });
  process.stdout.write(`Grove listening on ${server.url} (data: ${dataDir})\n`);
  if (server.admin.created) {
    process.stdout.write(`Admin token (shown once; saved in ${server.admin.path}):\n  ${server.admin.token}\n`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** A byte size from the environment: digits with an optional k, m, g or t suffix (powers of 1024). */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (match === null) return undefined;
  const value = Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** A rate from the environment: "<requests>/<seconds>", e.g. "2000/10". */
export function parseRate(text: string): Rate | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s?\s*$/.exec(text);
  if (match === null) return undefined;
  const limit = Number(match[1]);
  const windowSeconds = Number(match[2]);
  return limit >= 1 && windowSeconds > 0 ? { limit, windowSeconds } : undefined;
}

function sizeFromEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const size = parseSize(text);
  if (size === undefined) throw new Error(`${name} is not a size (e.g. 1048576, 512k, 100m, 2g): ${text}`);
  return size;
}

function rateFromEnv(name: string): Rate | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const rate = parseRate(text);
  if (rate === undefined) throw new Error(`${name} is not a rate (<requests>/<seconds>, e.g. 2000/10): ${text}`);
  return rate;
}
