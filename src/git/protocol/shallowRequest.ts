/**
 * The shallow part of a fetch request, the same lines in protocol v0/v1
 * (gitprotocol-pack, "Packfile Negotiation") and v2 (gitprotocol-v2, "fetch"):
 *
 *   shallow-line   =  PKT-LINE("shallow" SP obj-id)
 *   depth-request  =  PKT-LINE("deepen" SP depth) /
 *                     PKT-LINE("deepen-since" SP timestamp) /
 *                     PKT-LINE("deepen-not" SP ref)
 *
 * `deepen-relative` is a v2 argument and a v0 capability. As upload-pack.c
 * reads them: the numbers are C integers in any base (`strtol(.., 0)`),
 * `deepen` must be positive, and `deepen 2147483647` (INFINITE_DEPTH) is what
 * `git fetch --unshallow` sends.
 */
import { GroveError } from '../../errors.ts';
import { isOid, type Oid } from '../objects/objectId.ts';

/** `deepen` value meaning "all of history" (git's INFINITE_DEPTH). */
export const INFINITE_DEPTH = 0x7fffffff;

export interface ShallowRequest {
  /** Commits the client says it has without their parents, as sent. */
  clientShallow: Oid[];
  /** `deepen <n>`; 0 when absent. */
  depth: number;
  /** `deepen-relative`: the depth counts from the client's current boundary. */
  relative: boolean;
  /** `deepen-since <timestamp>`, or null. */
  since: number | null;
  /** `deepen-not <ref>` lines, as sent. */
  not: string[];
}

export function emptyShallowRequest(): ShallowRequest {
  return { clientShallow: [], depth: 0, relative: false, since: null, not: [] };
}

/** True when the request asks for a new boundary (and so for a shallow update in the answer). */
export function deepens(request: ShallowRequest): boolean {
  return request.depth > 0 || request.since !== null || request.not.length > 0;
}

/**
 * Takes `line` into `request` if it is a `shallow` or `deepen*` line (v0 has
 * no `deepen-relative` line: it is a capability there); false otherwise.
 */
export function readShallowLine(line: string, request: ShallowRequest): boolean {
  if (line.startsWith('shallow ')) {
    const oid = line.slice(8);
    if (!isOid(oid)) throw new GroveError('PROTOCOL_ERROR', `invalid shallow line: ${line.slice(0, 80)}`);
    request.clientShallow.push(oid);
    return true;
  }
  if (line.startsWith('deepen ')) {
    const depth = parseCInteger(line.slice(7));
    if (depth === null || depth <= 0 || depth > INFINITE_DEPTH) throw new GroveError('PROTOCOL_ERROR', `Invalid deepen: ${line.slice(0, 80)}`);
    request.depth = depth;
    return true;
  }
  if (line.startsWith('deepen-since ')) {
    const since = parseCInteger(line.slice(13));
    if (since === null || since < 0) throw new GroveError('PROTOCOL_ERROR', `Invalid deepen-since: ${line.slice(0, 80)}`);
    request.since = since;
    return true;
  }
  if (line.startsWith('deepen-not ')) {
    request.not.push(line.slice(11));
    return true;
  }
  return false;
}

/** A whole C integer literal as `strtol(s, &end, 0)` reads it (decimal, 0x hex, 0 octal), or null. */
export function parseCInteger(text: string): number | null {
  const match = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (match === null) return null;
  const digits = match[2]!;
  const value = /^0[xX]/.test(digits) ? Number.parseInt(digits.slice(2), 16)
    : digits.length > 1 && digits.startsWith('0') ? Number.parseInt(digits.slice(1), 8)
    : Number(digits);
  return match[1] === '-' ? -value : value;
}
