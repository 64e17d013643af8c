/** `grove serve`: starts the server in the foreground until SIGINT/SIGTERM. */
import { resolve } from 'node:path';
import { pino } from 'pino';
import { startServer } from '../runtime/node/startServer.ts';

export interface ServeFlags {
  host?: string;
  port?: number;
  data?: string;
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const env = process.env;
  const port = flags.port ?? (env['GROVE_PORT'] === undefined ? 8787 : Number(env['GROVE_PORT']));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`GROVE_PORT is not a port number: ${env['GROVE_PORT']}`);
  const dataDir = resolve(flags.data ?? env['GROVE_DATA_DIR'] ?? '.grove');
  const log = pino({ level: env['GROVE_LOG_LEVEL'] ?? 'info' });
  const server = await startServer({
    host: flags.host ?? env['GROVE_HOST'] ?? '127.0.0.1',
    port,
    dataDir,
    ...(env['GROVE_ADMIN_TOKEN'] ? { adminToken: env['GROVE_ADMIN_TOKEN'] } : {}),
    packCache: env['GROVE_PACK_CACHE'] !== 'off',
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
