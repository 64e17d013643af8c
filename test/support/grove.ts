/**
 * The Grove server under test, started inside the test process on 127.0.0.1
 * port 0 with a fresh data directory.
 *
 * Contract used (DESIGN.md, HTTP surface):
 * - `startServer({ host, port, dataDir, adminToken })` (src/runtime/node/startServer.ts)
 *   resolves to `{ url, close() }`;
 * - `POST ${url}/v1/namespaces/<ns>/repos` `{"name"}` with `Authorization: Bearer <adminToken>`
 *   answers 201 `{ name, namespace, remote, token }`;
 * - `dumpRepository(dataDir, namespace, name)` (src/testing.ts) gives everything the
 *   repository's database holds: `dump` returns it as is, `snapshot` reduces it to the
 *   canonical refs-and-objects text of snapshotOfRepo.ts.
 *
 * gitServer.ts imports this module only when Grove is under test, so the
 * http-backend half of the suite runs whatever state Grove's sources are in.
 */
import { startServer } from '../../src/runtime/node/startServer.ts';
import { dumpRepository } from '../../src/testing.ts';
import type { GitServerUnderTest } from './gitServer.ts';
import { tempDir } from './tempDir.ts';

const NAMESPACE = 'conformance';
const ADMIN_TOKEN = 'grove-conformance-admin-token';
const TYPE_NAMES: Record<string, string> = { '1': 'commit', '2': 'tree', '3': 'blob', '4': 'tag' };

export async function startGrove(): Promise<GitServerUnderTest> {
  const data = tempDir('grove-data-');
  const dataDir = data.dir;
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: ADMIN_TOKEN });
  const base = server.url.replace(/\/+$/, '');

  const dump = (remote: string): string => {
    const match = /\/git\/([^/]+)\/([^/]+)\.git\/?$/.exec(new URL(remote).pathname);
    if (match === null) throw new Error(`not a Grove remote: ${remote}`);
    return dumpRepository(dataDir, decodeURIComponent(match[1] ?? ''), decodeURIComponent(match[2] ?? ''));
  };

  return {
    name: 'grove',
    async createRepo(name) {
      const response = await fetch(`${base}/v1/namespaces/${NAMESPACE}/repos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      const text = await response.text();
      if (response.status !== 201) throw new Error(`create repo ${name}: HTTP ${response.status} ${text}`);
      const body = JSON.parse(text) as { remote?: unknown; token?: unknown };
      if (typeof body.remote !== 'string' || typeof body.token !== 'string') {
        throw new Error(`create repo ${name}: answer lacks remote/token: ${text}`);
      }
      return { remote: body.remote, token: body.token };
    },
    snapshot: async (remote) => canonicalSnapshot(dump(remote)),
    dump: async (remote) => dump(remote),
    async close() {
      await server.close();
      data.remove();
    },
  };
}

/**
 * `ref HEAD -> refs/heads/main`, `ref <name> <oid> [^{} <peeled>]` and
 * `object <oid> <type number> <size> ...` lines of a dump, in the format of snapshotOfRepo.ts.
 */
export function canonicalSnapshot(dump: string): string {
  let head = '';
  const refs: string[] = [];
  const objects: string[] = [];
  for (const line of dump.split('\n')) {
    const words = line.split(' ');
    if (words[0] === 'ref') {
      const [, name = '', value = '', target = ''] = words;
      if (name === 'HEAD') head = value === '->' ? `symref HEAD ${target}` : `ref HEAD ${value}`;
      else if (value !== '->') refs.push(`ref ${name} ${value}`);
    } else if (words[0] === 'object') {
      const [, oid = '', type = '', size = ''] = words;
      objects.push(`object ${oid} ${TYPE_NAMES[type] ?? type} ${size}`);
    }
  }
  return [head, ...refs.sort(), ...objects.sort()].map((line) => `${line}\n`).join('');
}
