/**
 * Reference discovery over smart HTTP, protocol v2 first and v0 when the
 * remote answers in v0 (gitprotocol-http, "Smart Clients"; gitprotocol-v2,
 * "HTTP Transport"):
 *
 *   GET $GIT_URL/info/refs?service=git-upload-pack   with  Git-Protocol: version=2
 *
 * A v2 server answers `version 2` and its capabilities (some after a
 * `# service=git-upload-pack` header and a flush); the refs then come from
 * an `ls-refs` command. Any other server answers with the v0 advertisement:
 *
 *   smart_reply = PKT-LINE("# service=$servicename" LF) "0000" *1("version 1") ref_list "0000"
 *
 * Only HEAD and the refs under `refPrefixes` are kept.
 */
import { GroveError } from '../../errors.ts';
import { OBJECT_FORMAT } from '../protocol/serverInfo.ts';
import { lsRefs } from './lsRefs.ts';
import { parseCapabilitiesV2 } from './parseCapabilitiesV2.ts';
import { parseRefAdvertisement } from './parseRefAdvertisement.ts';
import { RemoteReader } from './RemoteReader.ts';
import { DEFAULT_REMOTE_LIMITS, type RemoteInfo, type RemoteLimits } from './RemoteInfo.ts';
import { SmartHttpTransport, type RemoteOptions } from './SmartHttpTransport.ts';

export interface DiscoverOptions extends RemoteOptions {
  /** Refs to list besides HEAD (default: branches and tags). */
  refPrefixes?: readonly string[];
  /** 2 (default): ask for v2 and take v0 if that is what comes; 0: ask for v0 only. */
  protocol?: 0 | 2;
  limits?: Partial<RemoteLimits>;
}

/**
 * @example
 * const remote = await discoverRemote({ url: 'https://github.com/git/git.git', fetch });
 * const head = remote.refs.find((r) => r.name === 'HEAD')?.target; // 'refs/heads/master'
 */
export async function discoverRemote(options: DiscoverOptions): Promise<RemoteInfo> {
  const limits: RemoteLimits = { ...DEFAULT_REMOTE_LIMITS, ...options.limits };
  const prefixes = options.refPrefixes ?? ['refs/heads/', 'refs/tags/'];
  const transport = new SmartHttpTransport(options);
  const reader = new RemoteReader(await transport.advertisement(options.protocol ?? 2), transport.url, limits.maxListingBytes);
  let first: string;
  let capabilitiesV2: Map<string, string> | undefined;
  try {
    first = await reader.expectLine('the advertisement');
    if (first.startsWith('# service=')) {
      if (first !== '# service=git-upload-pack') throw reader.error(`advertises ${first.slice(2)}, not service=git-upload-pack`);
      const flush = await reader.readLine();
      if (typeof flush === 'string' || flush.kind !== 'flush') throw reader.error('expected a flush after the service header');
      const next = await reader.readLine();
      if (typeof next !== 'string') {
        if (next.kind !== 'flush') throw reader.error(`unexpected ${next.kind} packet in the advertisement`);
        // An empty repository over v0: no refs, no capabilities.
        return { transport, version: 0, capabilities: new Map(), refs: [], shallow: [] };
      }
      first = next;
    }
    if (first === 'version 2') capabilitiesV2 = await parseCapabilitiesV2(reader, limits.maxRefs);
    else {
      const keep = (name: string): boolean => prefixes.some((p) => name.startsWith(p));
      const advertised = await parseRefAdvertisement(reader, first, keep, limits.maxRefs);
      checkObjectFormat(transport, advertised.capabilities);
      return { transport, version: 0, ...advertised };
    }
  } finally {
    await reader.close();
  }
  checkObjectFormat(transport, capabilitiesV2);
  for (const needed of ['ls-refs', 'fetch']) {
    if (!capabilitiesV2.has(needed)) throw reader.error(`speaks protocol v2 without the ${needed} command`);
  }
  const refs = await lsRefs(transport, capabilitiesV2, prefixes, limits);
  return { transport, version: 2, capabilities: capabilitiesV2, refs, shallow: [] };
}

function checkObjectFormat(transport: SmartHttpTransport, capabilities: ReadonlyMap<string, string>): void {
  const format = capabilities.get('object-format');
  if (format !== undefined && format !== OBJECT_FORMAT) {
    throw new GroveError('REMOTE_ERROR', `remote ${transport.url}: its objects are ${format}; Grove stores ${OBJECT_FORMAT} only`, {
      url: transport.url,
      objectFormat: format,
    });
  }
}
