/**
 * Git's smart HTTP protocol (gitprotocol-http):
 *
 *   GET  /git/:namespace/:repo.git/info/refs?service=git-upload-pack|git-receive-pack
 *   POST /git/:namespace/:repo.git/git-upload-pack
 *   POST /git/:namespace/:repo.git/git-receive-pack
 *
 * A read token fetches; pushing needs a write token. `Git-Protocol:
 * version=2` selects protocol v2 for upload-pack; push is always v0.
 */
import { Hono, type Context } from 'hono';
import { GroveError } from '../errors.ts';
import { concatBytes } from '../git/bytes.ts';
import { UPLOAD_PACK_V0_CAPABILITIES } from '../git/protocol/handleUploadPackV0.ts';
import { RECEIVE_PACK_CAPABILITIES } from '../git/protocol/parseReceivePackRequest.ts';
import { serveReceivePack, type ReceivePackResult } from '../git/protocol/serveReceivePack.ts';
import { serveUploadPack } from '../git/protocol/serveUploadPack.ts';
import { AGENT, OBJECT_FORMAT } from '../git/protocol/serverInfo.ts';
import { writeCapabilitiesV2 } from '../git/protocol/writeCapabilitiesV2.ts';
import { writeRefAdvertisement } from '../git/protocol/writeRefAdvertisement.ts';
import type { OpenRepository } from '../services/RepoService.ts';
import type { Ref } from '../git/ports.ts';
import type { ApiContext } from './apiKit.ts';
import { authenticate, authorizeRepo } from './authorize.ts';
import type { Logger } from './logger.ts';
import { drainBody } from './drainBody.ts';
import { requestBody } from './requestBody.ts';
import { streamBody } from './streamResponse.ts';

export interface GitLimits {
  /** Largest upload-pack (fetch) request body, after decompression. */
  maxUploadRequestBytes: number;
  /** Largest pack a push may send. */
  maxPushPackBytes: number;
  /** Largest command section of a push. */
  maxPushCommandBytes: number;
  /** Largest object a push may bring (none by default). */
  maxObjectBytes?: number;
  /** Largest a repository's own database may grow by pushes (none by default). */
  maxRepoBytes?: number;
}

type Service = 'git-upload-pack' | 'git-receive-pack';

const NO_CACHE = {
  expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
  pragma: 'no-cache',
  'cache-control': 'no-cache, max-age=0, must-revalidate',
};

/** `packCache`: serve repeated clones from stored packs (on unless turned off). */
export function gitRoutes(ctx: ApiContext, limits: GitLimits, log: Logger, options: { packCache?: boolean } = {}): Hono {
  const app = new Hono();
  const { services } = ctx;

  /** The repository addressed by the URL, once the request's token is allowed to use it; the caller releases it. */
  async function openRepo(c: Context, access: 'read' | 'write'): Promise<OpenRepository> {
    const grant = await authenticate(services.tokens, c.req.header('authorization'));
    const namespace = c.req.param('namespace')!;
    ctx.rates.take(grant.tokenId, namespace);
    const name = c.req.param('repo')!.replace(/\.git$/, '');
    const record = authorizeRepo(grant, services.repos.find(namespace, name), { namespace, name }, access);
    return services.repos.open(record);
  }

  app.get('/:namespace/:repo/info/refs', async (c) => {
    const service = c.req.query('service');
    if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
      throw new GroveError('FORBIDDEN', 'only the smart HTTP protocol is served: ask for ?service=git-upload-pack or git-receive-pack');
    }
    const version = protocolVersion(c.req.header('git-protocol'));
    let body: Uint8Array[];
    if (service === 'git-upload-pack' && version === 2) {
      (await openRepo(c, 'read')).release();
      body = writeCapabilitiesV2();
    } else {
      const { repo, release } = await openRepo(c, service === 'git-receive-pack' ? 'write' : 'read');
      let refs: Ref[];
      let shallow: string[] = [];
      try {
        refs = repo.listRefsSync();
        // A shallow repository says so in its v0 advertisement, as git's upload-pack does.
        if (service === 'git-upload-pack') shallow = repo.shallowSync();
      } finally {
        release();
      }
      const head = refs.find((r) => r.name === 'HEAD');
      const symref = service === 'git-upload-pack' && head?.target !== undefined && head.oid !== null ? [`symref=HEAD:${head.target}`] : [];
      const base = service === 'git-upload-pack' ? UPLOAD_PACK_V0_CAPABILITIES : RECEIVE_PACK_CAPABILITIES;
      body = writeRefAdvertisement({
        service,
        refs,
        capabilities: [...base, ...symref, `object-format=${OBJECT_FORMAT}`, `agent=${AGENT}`],
        version1: version === 1 && service === 'git-upload-pack',
        advertiseWhenEmpty: service === 'git-receive-pack',
        includeHeadAndPeeled: service === 'git-upload-pack',
        shallow,
      });
    }
    return new Response(concatBytes(body) as Uint8Array<ArrayBuffer>, { headers: { ...NO_CACHE, 'content-type': `application/x-${service}-advertisement` } });
  });

  app.post('/:namespace/:repo/git-upload-pack', async (c) => {
    const { repo, objects, packCache, release } = await openRepo(c, 'read');
    const response = released(serveUploadPack(
      { objects, refs: repo, codec: services.codec, ...(options.packCache === false ? {} : { packCache }) },
      { body: requestBody(c.req.raw), version: protocolVersion(c.req.header('git-protocol')), maxRequestBytes: limits.maxUploadRequestBytes },
    ), release);
    const first = await response.next(); // the whole request is read by now: a request error is still an HTTP error
    return new Response(streamBody(first.done === true ? undefined : first.value, response, log), {
      headers: resultHeaders('git-upload-pack'),
    });
  });

  app.post('/:namespace/:repo/git-receive-pack', async (c) => {
    const { record, repo, objects, release } = await openRepo(c, 'write');
    const body = requestBody(c.req.raw);
    let result: ReceivePackResult;
    try {
      result = await serveReceivePack(
        { objects, refs: repo, codec: services.codec, beginPush: () => repo.beginPush() },
        body,
        {
          maxCommandBytes: limits.maxPushCommandBytes,
          maxPackBytes: limits.maxPushPackBytes,
          ...(limits.maxObjectBytes === undefined ? {} : { maxObjectBytes: limits.maxObjectBytes }),
          ...(limits.maxRepoBytes === undefined ? {} : { roomBytes: limits.maxRepoBytes - repo.sizeBytes() }),
        },
      );
    } finally {
      release();
      await drainBody(body);
    }
    if (result.report?.refs.some((r) => r.ok) === true) services.repos.recordPush(record);
    if (result.report !== null) {
      const refused = result.report.refs.filter((r) => !r.ok);
      log.info({ repo: `${record.namespace}/${record.name}`, unpack: result.report.unpack, updated: result.report.refs.length - refused.length, refused: refused.length }, 'push');
    }
    return new Response(result.body as Uint8Array<ArrayBuffer>, { headers: resultHeaders('git-receive-pack') });
  });

  return app;
}

/** The response, releasing the repository once it has been sent, failed or been abandoned. */
async function* released(response: AsyncGenerator<Uint8Array>, release: () => void): AsyncGenerator<Uint8Array> {
  try {
    yield* response;
  } finally {
    release();
  }
}

function resultHeaders(service: Service): Record<string, string> {
  return { 'content-type': `application/x-${service}-result`, 'cache-control': 'no-cache' };
}

/** The protocol version the client asked for in `Git-Protocol` (colon-separated `key[=value]`). */
function protocolVersion(header: string | undefined): 0 | 1 | 2 {
  let version: 0 | 1 | 2 = 0;
  for (const param of (header ?? '').split(':')) {
    if (param === 'version=2') version = 2;
    else if (param === 'version=1' && version === 0) version = 1;
  }
  return version;
}
