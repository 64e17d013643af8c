/**
 * Import: a Grove repository filled from a smart-HTTP remote by Grove's own
 * client (src/services/importRepository.ts), judged by real Git.
 *
 * Sources: C Git's `git http-backend` speaking v2, the same speaking v0 only
 * (its CGI wrapper does not pass `Git-Protocol` on), and Grove itself. An
 * import must hold exactly the refs and objects of the source (`git
 * for-each-ref`, `git rev-list --objects --all`), or — with `branch` or
 * `depth` — exactly what `git clone --single-branch` / `git clone --depth`
 * of the source gets. The imported repository is then served by Grove's
 * upload-pack and cloned with git (v0 and v2): the clone must be `git fsck
 * --strict` clean and, for a shallow import, identical (refs,
 * `.git/shallow`, objects) to a clone of the same shallow repository served
 * by `git http-backend`.
 *
 * Failures — a closed port, a 404, a server that is not Git, an `ERR` from
 * the remote, a pack cut short, a pack over the limit — each give a clear
 * GroveError and leave the repository exactly as it was.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGroveError, type GroveError } from '../../src/errors.ts';
import { UPLOAD_PACK_V0_CAPABILITIES } from '../../src/git/protocol/handleUploadPackV0.ts';
import { AGENT, OBJECT_FORMAT } from '../../src/git/protocol/serverInfo.ts';
import { serveUploadPack } from '../../src/git/protocol/serveUploadPack.ts';
import { writeCapabilitiesV2 } from '../../src/git/protocol/writeCapabilitiesV2.ts';
import { writeRefAdvertisement } from '../../src/git/protocol/writeRefAdvertisement.ts';
import { nodeCodec } from '../../src/runtime/node/codec.ts';
import { importRepository, type ImportRepositoryOptions, type ImportResult } from '../../src/services/importRepository.ts';
import type { Repository } from '../../src/store/Repository.ts';
import { clientState } from '../support/clientState.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { gitEnv } from '../support/gitEnv.ts';
import { serveGitHttpBackendCgi } from '../support/gitHttpBackendCgi.ts';
import type { GitServerUnderTest } from '../support/gitServer.ts';
import { startGrove } from '../support/grove.ts';
import { makeRepo } from '../support/makeRepo.ts';
import { pushAllRefs } from '../support/remoteRepo.ts';
import { openRepository, storedOids, type OpenedRepository } from '../support/storeRepo.ts';
import { useTempDir } from '../support/tempDir.ts';

const work = useTempDir('grove-import-');
/** GIT_PROJECT_ROOT of the http-backend servers. */
const root = join(work, 'served');
const sourceDir = join(root, 'source.git');

interface HttpServer {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<HttpServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `git http-backend` over `root`; `v0Only` keeps `Git-Protocol` from it, so it answers every request in v0. */
function startBackend(v0Only: boolean): Promise<HttpServer> {
  const env = (cgi: Record<string, string>): Record<string, string> => {
    const vars = { ...cgi };
    if (v0Only) delete vars['GIT_PROTOCOL'];
    return gitEnv(vars);
  };
  return listen(createServer((req, res) => serveGitHttpBackendCgi({ projectRoot: root, env }, req, res)));
}

/**
 * Grove's upload-pack over one repository at `<url>/repo.git`: the
 * advertisement (v2 capabilities, or the v0 refs with the repository's
 * shallow commits) and `serveUploadPack`, as src/http/gitRoutes.ts serves
 * them, without the rest of the application.
 */
function serveGrove(repo: Repository): Promise<HttpServer> {
  const ctx = { objects: repo.objects, refs: repo, codec: nodeCodec };
  return listen(createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const version = /version=2/.test(String(req.headers['git-protocol'] ?? '')) ? 2 : 0;
      if (req.method === 'GET' && path === '/repo.git/info/refs') {
        const refs = repo.listRefsSync();
        const head = refs.find((r) => r.name === 'HEAD');
        const symref = head?.target !== undefined && head.oid !== null ? [`symref=HEAD:${head.target}`] : [];
        const body = version === 2 ? writeCapabilitiesV2() : writeRefAdvertisement({
          service: 'git-upload-pack',
          refs,
          capabilities: [...UPLOAD_PACK_V0_CAPABILITIES, ...symref, `object-format=${OBJECT_FORMAT}`, `agent=${AGENT}`],
          advertiseWhenEmpty: false,
          includeHeadAndPeeled: true,
          shallow: repo.shallowSync(),
        });
        res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-advertisement', 'cache-control': 'no-cache' });
        res.end(Buffer.concat(body));
      } else if (req.method === 'POST' && path === '/repo.git/git-upload-pack') {
        const body = req.headers['content-encoding'] === 'gzip' ? req.pipe(createGunzip()) : req;
        res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-result', 'cache-control': 'no-cache' });
        for await (const chunk of serveUploadPack(ctx, { body, version, maxRequestBytes: 1 << 26 })) res.write(chunk);
        res.end();
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
      }
    })().catch((err: unknown) => res.destroy(err as Error));
  }));
}

let backend: HttpServer;
let backendV0: HttpServer;

beforeAll(async () => {
  await makeRepo(sourceDir, { commits: 250 });
  backend = await startBackend(false);
  backendV0 = await startBackend(true);
});

afterAll(async () => {
  await backend?.close();
  await backendV0?.close();
});

function targetOf(opened: OpenedRepository): { repo: Repository; objects: Repository['objects']; codec: typeof nodeCodec } {
  return { repo: opened.repo, objects: opened.repo.objects, codec: nodeCodec };
}

interface Recorded {
  fetch: typeof fetch;
  /** Bodies of the POSTs sent, as latin1 text. */
  posts: string[];
  /** Every URL requested. */
  urls: string[];
  /** 2 when the client sent v2 commands, 0 when it negotiated in v0. */
  protocol(): 0 | 2;
}

/** The global fetch, recording what goes out; `before` runs before each POST is sent, `answer` may alter each POST's answer. */
function recordingFetch(hooks: { before?(body: string): Promise<void>; answer?(response: Response, body: string): Response } = {}): Recorded {
  const posts: string[] = [];
  const urls: string[] = [];
  const recorded: Recorded = {
    posts,
    urls,
    protocol: () => (posts.some((p) => p.includes('command=')) ? 2 : 0),
    fetch: async (input, init) => {
      urls.push(String(input));
      const body = init?.body instanceof Uint8Array ? Buffer.from(init.body).toString('latin1') : undefined;
      if (body === undefined) return fetch(input, init);
      posts.push(body);
      await hooks.before?.(body);
      const response = await fetch(input, init);
      return hooks.answer === undefined ? response : hooks.answer(response, body);
    },
  };
  return recorded;
}

function runImport(opened: OpenedRepository, options: Omit<ImportRepositoryOptions, 'fetch'> & { fetch?: typeof fetch }): Promise<ImportResult> {
  return importRepository(targetOf(opened), { fetch, ...options });
}

/** `oid refname` of every branch and tag of the Grove repository, sorted by name. */
function groveRefs(opened: OpenedRepository): string {
  return opened.repo.listRefsSync().filter((r) => r.name !== 'HEAD').map((r) => `${r.oid} ${r.name}`).join('\n');
}

function gitRefs(dir: string): Promise<string> {
  return gitOut(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: dir });
}

/** The ids of `git rev-list --objects --all`, sorted. */
async function reachableObjects(dir: string): Promise<string[]> {
  const out = await gitOut(['rev-list', '--objects', '--all'], { cwd: dir });
  return out.split('\n').filter((l) => l !== '').map((l) => l.slice(0, 40)).sort();
}

/** The ids of every object a repository holds, sorted. */
async function allObjects(dir: string): Promise<string[]> {
  const out = await gitOut(['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'], { cwd: dir });
  return out.split('\n').filter((l) => l !== '').sort();
}

/** Everything a Grove repository holds that an import could change, staging included. */
function stateOf(opened: OpenedRepository): string {
  const q = (sql: string): string => JSON.stringify(opened.sql.query(sql));
  return [
    q(`SELECT name, hex(oid) AS oid, target, hex(peeled) AS peeled FROM refs ORDER BY name`),
    q(`SELECT hex(oid) AS oid, type, size FROM objects ORDER BY oid`),
    q(`SELECT hex(oid) AS oid, generation FROM commits ORDER BY oid`),
    q(`SELECT key, value FROM meta ORDER BY key`),
    q(`SELECT (SELECT count(*) FROM incoming) + (SELECT count(*) FROM incoming_chunks) AS staged`),
  ].join('\n');
}

/** Runs `attempt`, which must fail with `code`, and returns the error. */
async function failure(attempt: Promise<unknown>, code: string): Promise<GroveError> {
  const err = await attempt.then(() => undefined, (e: unknown) => e);
  if (!isGroveError(err)) throw new Error(`expected a GroveError ${code}, got ${String(err)}`, { cause: err });
  expect(err.code, err.message).toBe(code);
  return err;
}

describe.each([
  { name: 'v2', server: () => backend, protocol: 2 },
  { name: 'v0 only', server: () => backendV0, protocol: 0 },
] as const)('import from git http-backend ($name)', ({ name, server, protocol }) => {
  it('imports every branch and tag with every object; git clones the result fsck-clean (v0 and v2)', async () => {
    const opened = openRepository();
    const recorded = recordingFetch();
    const result = await runImport(opened, { url: `${server().url}/source.git`, fetch: recorded.fetch });
    expect(recorded.protocol()).toBe(protocol);

    const refs = await gitRefs(sourceDir);
    const objects = await reachableObjects(sourceDir);
    expect(groveRefs(opened)).toBe(refs);
    expect(storedOids(opened).sort()).toEqual(objects);
    expect(result).toEqual({ head: 'refs/heads/main', refs: refs.split('\n').length, objects: objects.length, shallow: [] });
    expect(opened.repo.listRefsSync().find((r) => r.name === 'HEAD')?.target).toBe('refs/heads/main');
    expect(opened.repo.shallowSync()).toEqual([]);

    const served = await serveGrove(opened.repo);
    try {
      for (const clientProtocol of [0, 2] as const) {
        const dir = join(work, `clone-${name.replace(' ', '-')}-v${clientProtocol}`);
        await git(['clone', '--quiet', '--mirror', `${served.url}/repo.git`, dir], { protocol: clientProtocol });
        await expectFsckClean(dir);
        expect(await gitRefs(dir)).toBe(refs);
        expect(await reachableObjects(dir)).toEqual(objects);
      }
    } finally {
      await served.close();
      opened.close();
    }
  });

  it('imports one branch and the tags pointing into it, as git clone --single-branch does', async () => {
    const reference = join(work, `single-branch-${name.replace(' ', '-')}.git`);
    await git(['clone', '--quiet', '--bare', '--single-branch', '--branch', 'release/1.x', `${server().url}/source.git`, reference]);
    const opened = openRepository();
    const result = await runImport(opened, { url: `${server().url}/source.git`, branch: 'release/1.x' });
    const refs = await gitRefs(reference);
    expect(refs).toContain('refs/tags/light/75'); // a lightweight tag and annotated ones came along
    expect(refs).toContain('refs/tags/v1.0.0');
    expect(refs).not.toContain('refs/heads/main');
    expect(groveRefs(opened)).toBe(refs);
    expect(storedOids(opened).sort()).toEqual(await allObjects(reference));
    expect(result.head).toBe('refs/heads/release/1.x');
    expect(opened.repo.listRefsSync().find((r) => r.name === 'HEAD')?.target).toBe('refs/heads/release/1.x');
    opened.close();
  });

  it('refuses a branch the remote does not have, and changes nothing', async () => {
    const opened = openRepository();
    const before = stateOf(opened);
    const err = await failure(runImport(opened, { url: `${server().url}/source.git`, branch: 'no/such/branch' }), 'NOT_FOUND');
    expect(err.message).toContain("has no branch 'no/such/branch'");
    expect(stateOf(opened)).toBe(before);
    opened.close();
  });
});

describe('shallow imports (depth)', () => {
  /**
   * The same history as a shallow import should hold: `git clone --bare
   * --depth <n>` of the source (all branches with `--no-single-branch`, or
   * one), placed where http-backend serves it.
   */
  async function shallowReference(label: string, args: string[]): Promise<string> {
    const dir = join(root, `${label}.git`);
    await git(['clone', '--quiet', '--bare', ...args, `${backend.url}/source.git`, dir]);
    return dir;
  }

  const cases = [
    { label: 'depth-1', depth: 1, args: ['--depth', '1', '--no-single-branch'] },
    { label: 'depth-3', depth: 3, args: ['--depth', '3', '--no-single-branch'] },
    { label: 'depth-2-release', depth: 2, branch: 'release/1.x', args: ['--depth', '2', '--branch', 'release/1.x'] },
  ];

  describe.each(cases)('$label', ({ label, depth, args, ...rest }) => {
    const branch = 'branch' in rest ? rest.branch : undefined;
    let opened: OpenedRepository;
    let served: HttpServer;
    let reference: string;

    beforeAll(async () => {
      reference = await shallowReference(label, args);
      opened = openRepository();
      served = await serveGrove(opened.repo);
    });

    afterAll(async () => {
      await served?.close();
      opened?.close();
    });

    it('holds what git clone --depth holds: refs, shallow commits, objects', async () => {
      const result = await runImport(opened, { url: `${backend.url}/source.git`, depth, ...(branch === undefined ? {} : { branch }) });
      const shallow = readFileSync(join(reference, 'shallow'), 'utf8').split('\n').filter((l) => l !== '').sort();
      expect(shallow.length).toBeGreaterThan(0);
      expect(result.shallow).toEqual(shallow);
      expect(opened.repo.shallowSync()).toEqual(shallow);
      expect(groveRefs(opened)).toBe(await gitRefs(reference));
      expect(storedOids(opened).sort()).toEqual(await allObjects(reference));
    });

    // Grove serving the shallow import, and http-backend serving git's shallow clone, must give identical clients.
    const clients = [
      { client: 'clone', cloneArgs: ['--no-checkout'] },
      { client: 'mirror', cloneArgs: ['--mirror'] },
      { client: 'clone --depth 1', cloneArgs: ['--depth', '1', '--no-single-branch', '--no-checkout'] },
    ];
    describe.each([0, 2] as const)('served over protocol v%i', (protocol) => {
      it.each(clients)('$client gives the client git http-backend gives', async ({ client, cloneArgs }) => {
        const dir = (side: string): string => join(work, `${label}-${client.replace(/\W+/g, '-')}-v${protocol}-${side}`);
        await git(['clone', '--quiet', ...cloneArgs, `${served.url}/repo.git`, dir('grove')], { protocol });
        await git(['clone', '--quiet', ...cloneArgs, `${backend.url}/${label}.git`, dir('reference')], { protocol });
        const mine = await clientState(dir('grove'));
        expect(mine.shallow).not.toBe('');
        expect(mine).toEqual(await clientState(dir('reference')));
        await expectFsckClean(dir('grove'));
      });
    });
  });

  it('refuses a depth that is not a positive whole number', async () => {
    const opened = openRepository();
    for (const depth of [0, -1, 1.5]) {
      await failure(runImport(opened, { url: `${backend.url}/source.git`, depth }), 'BAD_REQUEST');
    }
    opened.close();
  });
});

describe('import from Grove', () => {
  let grove: GitServerUnderTest;
  let remote: { remote: string; token: string };

  beforeAll(async () => {
    grove = await startGrove();
    remote = await grove.createRepo('import-source');
    await pushAllRefs(sourceDir, remote);
  });

  afterAll(async () => {
    await grove?.close();
  });

  it.each([2, 0] as const)('imports every branch and tag with a token in the Authorization header (protocol %i)', async (protocol) => {
    const opened = openRepository();
    const recorded = recordingFetch();
    const result = await runImport(opened, {
      url: remote.remote,
      headers: { Authorization: `Bearer ${remote.token}` },
      fetch: recorded.fetch,
      protocol,
    });
    expect(recorded.protocol()).toBe(protocol);
    expect(groveRefs(opened)).toBe(await gitRefs(sourceDir));
    expect(storedOids(opened).sort()).toEqual(await reachableObjects(sourceDir));
    expect(result.head).toBe('refs/heads/main');
    opened.close();
  });

  it('says the remote needs authentication when no token is sent, and changes nothing', async () => {
    const opened = openRepository();
    const before = stateOf(opened);
    const err = await failure(runImport(opened, { url: remote.remote }), 'REMOTE_ERROR');
    expect(err.message).toContain(remote.remote.replace(/\/$/, ''));
    expect(err.message).toContain('HTTP 401');
    expect(stateOf(opened)).toBe(before);
    opened.close();
  });
});

describe('failures leave the repository as it was', () => {
  let opened: OpenedRepository;
  let before: string;

  beforeAll(() => {
    opened = openRepository();
    before = stateOf(opened);
  });

  afterAll(() => opened?.close());

  async function expectUnchanged(attempt: Promise<unknown>, code: string, text: RegExp): Promise<GroveError> {
    const err = await failure(attempt, code);
    expect(err.message).toMatch(text);
    expect(stateOf(opened)).toBe(before);
    return err;
  }

  it('a closed port', async () => {
    const closed = await listen(createServer());
    await closed.close();
    const url = `${closed.url}/gone.git`;
    const err = await expectUnchanged(runImport(opened, { url }), 'REMOTE_ERROR', /could not connect/);
    expect(err.message).toContain(url);
  });

  it('a path with no repository (404)', async () => {
    await expectUnchanged(runImport(opened, { url: `${backend.url}/missing.git` }), 'REMOTE_ERROR', /no Git repository here \(HTTP 404\)/);
  });

  it('a server error (HTTP 503)', async () => {
    const failing = await listen(createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('Service Unavailable: try again later\n');
    }));
    try {
      await expectUnchanged(runImport(opened, { url: `${failing.url}/project.git` }), 'REMOTE_ERROR', /failed with HTTP 503 \(it says: Service Unavailable: try again later\)/);
    } finally {
      await failing.close();
    }
  });

  it('a web server that is not Git', async () => {
    const web = await listen(createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Welcome</title><p>Hello</p>\n');
    }));
    try {
      await expectUnchanged(runImport(opened, { url: `${web.url}/project.git` }), 'REMOTE_ERROR', /not a smart Git HTTP server: it answered with an HTML page/);
    } finally {
      await web.close();
    }
  });

  it.each([2, 0] as const)('an ERR from the remote (protocol %i)', async (protocol) => {
    // A branch whose commit disappears (deleted, pruned) between the ref listing and the fetch: upload-pack says "not our ref".
    const dir = join(root, `doomed-v${protocol}.git`);
    await git(['clone', '--quiet', '--bare', '--no-local', sourceDir, dir]);
    const blob = await gitOut(['hash-object', '-w', '--stdin'], { cwd: dir, input: `doomed ${protocol}\n` });
    const tree = await gitOut(['mktree'], { cwd: dir, input: `100644 blob ${blob}\tdoomed.txt\n` });
    const commit = await gitOut(['commit-tree', tree, '-p', 'main', '-m', 'doomed'], { cwd: dir });
    await git(['update-ref', 'refs/heads/doomed', commit], { cwd: dir });
    const recorded = recordingFetch({
      async before(body) {
        if (body.includes('command=ls-refs')) return;
        await git(['update-ref', '-d', 'refs/heads/doomed'], { cwd: dir });
        await git(['gc', '--quiet', '--prune=now'], { cwd: dir });
      },
    });
    const server = protocol === 2 ? backend : backendV0;
    await expectUnchanged(runImport(opened, { url: `${server.url}/doomed-v${protocol}.git`, fetch: recorded.fetch }), 'REMOTE_ERROR', new RegExp(`the remote refused: .*not our ref ${commit}`));
  });

  it.each([2, 0] as const)('a pack cut short (protocol %i)', async (protocol) => {
    const recorded = recordingFetch({
      answer: (response, body) => (body.includes('command=ls-refs') ? response : cutShort(response, 40_000)),
    });
    const server = protocol === 2 ? backend : backendV0;
    await expectUnchanged(runImport(opened, { url: `${server.url}/source.git`, fetch: recorded.fetch }), 'REMOTE_ERROR', /cut short|stream ended inside a pkt-line/);
  });

  it('a pack over the limit', async () => {
    await expectUnchanged(runImport(opened, { url: `${backend.url}/source.git`, maxPackBytes: 50_000 }), 'PAYLOAD_TOO_LARGE', /exceeds the limit of 50000 bytes/);
  });

  it('credentials in the URL', async () => {
    const url = new URL(`${backend.url}/source.git`);
    url.username = 'user';
    url.password = 'secret';
    const err = await expectUnchanged(runImport(opened, { url: url.href }), 'BAD_REQUEST', /must not hold credentials/);
    expect(err.message).not.toContain('secret');
  });

  it('and after all of them, an import into the same repository succeeds', async () => {
    const result = await runImport(opened, { url: `${backend.url}/source.git` });
    expect(groveRefs(opened)).toBe(await gitRefs(sourceDir));
    expect(result.objects).toBe((await reachableObjects(sourceDir)).length);
    // A second import into the now full repository is refused before anything is fetched.
    const full = stateOf(opened);
    await failure(runImport(opened, { url: `${backend.url}/source.git` }), 'REF_CONFLICT');
    expect(stateOf(opened)).toBe(full);
  });
});

describe('redirects', () => {
  it('follows a redirect of the discovery request, checking every URL first', async () => {
    const moved = await listen(createServer((req, res) => {
      res.writeHead(301, { location: `${backend.url}/source.git${(req.url ?? '').replace(/^\/old\.git/, '')}` });
      res.end();
    }));
    try {
      const checked: string[] = [];
      const recorded = recordingFetch();
      const opened = openRepository();
      await runImport(opened, {
        url: `${moved.url}/old.git`,
        fetch: recorded.fetch,
        checkUrl: async (url) => {
          checked.push(url.href);
        },
      });
      expect(groveRefs(opened)).toBe(await gitRefs(sourceDir));
      expect(checked[0]).toBe(`${moved.url}/old.git/info/refs?service=git-upload-pack`);
      expect(checked[1]).toBe(`${backend.url}/source.git/info/refs?service=git-upload-pack`);
      expect(checked.slice(2).every((url) => url === `${backend.url}/source.git/git-upload-pack`)).toBe(true);
      expect(recorded.urls).toEqual(checked);
      opened.close();

      // A refused redirect target stops the import.
      const refusing = openRepository();
      const before = stateOf(refusing);
      await failure(runImport(refusing, {
        url: `${moved.url}/old.git`,
        checkUrl: async (url) => {
          if (url.port === new URL(backend.url).port) throw Object.assign(new Error('refused'), { name: 'GroveError', code: 'REMOTE_NOT_ALLOWED' });
        },
      }), 'REMOTE_NOT_ALLOWED');
      expect(stateOf(refusing)).toBe(before);
      refusing.close();
    } finally {
      await moved.close();
    }
  });
});

/** `response` with its body cut after `keep` bytes (the stream then ends normally, as a dropped connection may look). */
function cutShort(response: Response, keep: number): Response {
  const reader = response.body!.getReader();
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= keep) {
        await reader.cancel();
        controller.close();
        return;
      }
      const step = await reader.read();
      if (step.done) {
        controller.close();
        return;
      }
      const part = step.value.subarray(0, keep - sent);
      sent += part.length;
      controller.enqueue(part);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
