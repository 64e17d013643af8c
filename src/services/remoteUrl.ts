/**
 * Which remotes an import may reach. A server that fetches URLs its users
 * choose must not become their way into its own network (server-side
 * request forgery): unless `allowPrivate`, the host — every address it
 * resolves to — must be a public unicast address. Refused (RFC 6890 and
 * friends):
 *
 *   IPv4  0.0.0.0/8 "this network", 10/8, 100.64/10 (CGNAT), 127/8 loopback,
 *         169.254/16 link-local, 172.16/12, 192.168/16, 224/4 multicast,
 *         240/4 reserved and broadcast
 *   IPv6  :: unspecified, ::1 loopback, fc00::/7 unique local, fe80::/10
 *         link-local, fec0::/10 site-local, ff00::/8 multicast — and the
 *         IPv4 forms inside IPv6 (::ffff:a.b.c.d mapped, ::a.b.c.d
 *         compatible, 64:ff9b::/96 NAT64, 2002::/16 6to4) judged as IPv4.
 *
 * Always refused, whatever `allowPrivate`: a scheme other than http(s), and
 * credentials in the URL (they belong in a header, where they are never
 * stored or shown).
 *
 * The check resolves the name itself; the fetch resolves it again. A name
 * whose answers change in between (DNS rebinding) is not caught here: a
 * runtime that can, should connect to the address checked.
 */
import { GroveError, isGroveError } from '../errors.ts';

export interface RemoteUrlPolicy {
  /** Allow loopback, private, link-local and other non-public addresses. */
  allowPrivate: boolean;
  /** The addresses a host name resolves to (runtime/node/lookupHost.ts in Node). */
  lookup: (host: string) => Promise<string[]>;
}

/**
 * The URL, parsed, once it passes the policy; REMOTE_NOT_ALLOWED otherwise.
 *
 * @example
 * const url = await checkRemoteUrl('https://github.com/owner/repo.git', { allowPrivate: false, lookup: lookupHost });
 */
export async function checkRemoteUrl(text: string, policy: RemoteUrlPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new GroveError('BAD_REQUEST', `not a URL: ${JSON.stringify(text.slice(0, 200))}`, { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused(`only http and https remotes can be imported, not ${url.protocol}`, url);
  }
  if (url.username !== '' || url.password !== '') {
    throw refused('the URL holds credentials: pass them in `headers` instead (e.g. {"Authorization": "Bearer …"})', url);
  }
  if (policy.allowPrivate) return url;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = parseIp(host);
  let addresses: string[];
  if (literal !== undefined) addresses = [host];
  else {
    try {
      addresses = await policy.lookup(host);
    } catch (err) {
      if (isGroveError(err)) throw err;
      throw new GroveError('REMOTE_ERROR', `cannot resolve host ${host}: ${(err as Error).message ?? String(err)}`, { host });
    }
    if (addresses.length === 0) throw new GroveError('REMOTE_ERROR', `host ${host} has no address`, { host });
  }
  for (const address of addresses) {
    const why = nonPublic(address);
    if (why !== undefined) {
      const shown = address === host ? host : `${host} (${address})`;
      throw refused(`${shown} is a ${why} address; imports reach public addresses only`, url, { address });
    }
  }
  return url;
}

function refused(message: string, url: URL, details: Record<string, unknown> = {}): GroveError {
  return new GroveError('REMOTE_NOT_ALLOWED', message, { url: `${url.protocol}//${url.host}${url.pathname}`, ...details });
}

/** Why `address` is not a public unicast address, or undefined when it is. Unparsable addresses are refused. */
export function nonPublic(address: string): string | undefined {
  const ip = parseIp(address);
  if (ip === undefined) return 'unrecognised';
  return ip.length === 4 ? nonPublicV4(ip) : nonPublicV6(ip);
}

function nonPublicV4(ip: Uint8Array): string | undefined {
  const [a = 0, b = 0] = ip;
  if (a === 0) return 'unspecified ("this network")';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && (b & 0xf0) === 16) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && (b & 0xc0) === 64) return 'shared (CGNAT)';
  if (a === 169 && b === 254) return 'link-local';
  if (a >= 224 && a < 240) return 'multicast';
  if (a >= 240) return 'reserved';
  return undefined;
}

function nonPublicV6(ip: Uint8Array): string | undefined {
  const zeros = (from: number, to: number): boolean => ip.subarray(from, to).every((b) => b === 0);
  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && ip[15] === 1) return 'loopback';
  if (zeros(0, 10) && ip[10] === 0xff && ip[11] === 0xff) return nonPublicV4(ip.subarray(12)); // ::ffff:a.b.c.d
  if (zeros(0, 12)) return nonPublicV4(ip.subarray(12)); // ::a.b.c.d (deprecated "compatible")
  if (ip[0] === 0x00 && ip[1] === 0x64 && ip[2] === 0xff && ip[3] === 0x9b && zeros(4, 12)) return nonPublicV4(ip.subarray(12)); // NAT64
  if (ip[0] === 0x20 && ip[1] === 0x02) return nonPublicV4(ip.subarray(2, 6)); // 6to4
  const first = ip[0]!;
  const second = ip[1]!;
  if ((first & 0xfe) === 0xfc) return 'private (unique local)';
  if (first === 0xfe && (second & 0xc0) === 0x80) return 'link-local';
  if (first === 0xfe && (second & 0xc0) === 0xc0) return 'site-local';
  if (first === 0xff) return 'multicast';
  return undefined;
}

/** The bytes of an IPv4 (dotted quad) or IPv6 address (zone id ignored); undefined for anything else. */
export function parseIp(text: string): Uint8Array | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined;
    out[i] = Number(part);
  }
  return out;
}

function parseIpv6(input: string): Uint8Array | undefined {
  const text = input.split('%')[0]!;
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) out.push(Number.parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((group, i) => {
    out[2 * i] = group >> 8;
    out[2 * i + 1] = group & 0xff;
  });
  return out;
}
