/**
 * The Grove process of `npm run bench:scale`: `startServer` on 127.0.0.1
 * (port chosen by the system) with the options the CLI does not expose —
 * chiefly `maxOpenRepos`, so that the cold `ls-refs` scenario finds its
 * repository databases closed. Prints "Grove listening on <url>"; SIGTERM
 * closes every database (so the data directory can be measured) and exits.
 *
 *   node bench/scale/groveScaleMain.ts --data <dir> [--max-open-repos <n>]
 *   (admin token from GROVE_ADMIN_TOKEN)
 */
import { parseArgs } from 'node:util';
import type { Logger } from '../../src/http/logger.ts';
import { startServer } from '../../src/runtime/node/startServer.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, 'max-open-repos': { type: 'string' } } });
const dataDir = values.data;
if (dataDir === undefined) throw new Error('usage: groveScaleMain.ts --data <dir> [--max-open-repos <n>]');
const maxOpen = values['max-open-repos'] === undefined ? undefined : Number(values['max-open-repos']);
if (maxOpen !== undefined && !(Number.isInteger(maxOpen) && maxOpen > 0)) throw new Error(`--max-open-repos must be a positive integer`);
const adminToken = process.env['GROVE_ADMIN_TOKEN'];
if (adminToken === undefined || adminToken === '') throw new Error('GROVE_ADMIN_TOKEN is not set');

// Only warnings and errors, to stderr: the bench keeps the tail for its error messages.
const write = (level: string, fields: object, message: string): void => {
  process.stderr.write(`${level} ${message} ${JSON.stringify(fields)}\n`);
};
const log: Logger = {
  info() {},
  warn: (fields, message) => write('warn', fields, message),
  error: (fields, message) => write('error', fields, message),
};

const server = await startServer({
  host: '127.0.0.1',
  port: 0,
  dataDir,
  adminToken,
  log,
  ...(maxOpen === undefined ? {} : { maxOpenRepos: maxOpen }),
});
process.stdout.write(`Grove listening on ${server.url}\n`);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
});
