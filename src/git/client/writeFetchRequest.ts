/**
 * The one request of a fetch into an empty repository: everything wanted,
 * nothing had, `done` at once (no negotiation), optionally a depth.
 *
 * Protocol v2 (gitprotocol-v2, "fetch"):
 *
 *   command=fetch  capability-list  delim-pkt
 *   ofs-delta / no-progress / include-tag / deepen <depth> / want <oid> / done
 *   flush-pkt
 *
 * Protocol v0 over stateless HTTP (gitprotocol-pack, "Packfile
 * Negotiation"): the capabilities ride on the first want, then the depth,
 * a flush, and `done`:
 *
 *   upload-request = want-list *shallow-line *1depth-request flush-pkt
 *   first-want     = PKT-LINE("want" SP obj-id SP capability-list)
 *   depth-request  = PKT-LINE("deepen" SP depth)
 *   then PKT-LINE("done")
 *
 * A client "MUST NOT ask for capabilities the server did not say it
 * supports", so v0 asks only for advertised ones.
 */
import { concatBytes } from '../bytes.ts';
import type { Oid } from '../objects/objectId.ts';
import { DELIM_PKT, FLUSH_PKT, pktLine } from '../protocol/pktLine.ts';
import { AGENT } from '../protocol/serverInfo.ts';
import { commandCapabilities } from './commandCapabilities.ts';

export interface WantRequest {
  wants: readonly Oid[];
  /** `deepen <depth>`: a shallow fetch. */
  depth?: number;
  /** Also send annotated tags pointing into what is sent. */
  includeTag: boolean;
  /** Ask for progress messages (side-band 2). */
  progress: boolean;
}

export function writeFetchRequestV2(capabilities: ReadonlyMap<string, string>, request: WantRequest): Uint8Array {
  const args = ['ofs-delta'];
  if (!request.progress) args.push('no-progress');
  if (request.includeTag) args.push('include-tag');
  if (request.depth !== undefined) args.push(`deepen ${request.depth}`);
  for (const oid of new Set(request.wants)) args.push(`want ${oid}`);
  args.push('done');
  return concatBytes([
    pktLine('command=fetch\n'),
    ...commandCapabilities(capabilities).map((c) => pktLine(`${c}\n`)),
    DELIM_PKT,
    ...args.map((a) => pktLine(`${a}\n`)),
    FLUSH_PKT,
  ]);
}

/** The v0 capabilities to ask for; `sideband` tells which side-band (if any) the answer will use. */
export function uploadCapabilitiesV0(advertised: ReadonlyMap<string, string>, request: WantRequest): { caps: string[]; sideband: '64k' | 'small' | 'none' } {
  const caps: string[] = [];
  let sideband: '64k' | 'small' | 'none' = 'none';
  if (advertised.has('side-band-64k')) {
    caps.push('side-band-64k');
    sideband = '64k';
  } else if (advertised.has('side-band')) {
    caps.push('side-band');
    sideband = 'small';
  }
  if (advertised.has('ofs-delta')) caps.push('ofs-delta');
  if (!request.progress && advertised.has('no-progress')) caps.push('no-progress');
  if (request.includeTag && advertised.has('include-tag')) caps.push('include-tag');
  if (advertised.has('agent')) caps.push(`agent=${AGENT}`);
  return { caps, sideband };
}

export function writeUploadRequestV0(caps: readonly string[], request: WantRequest): Uint8Array {
  const lines = [...new Set(request.wants)].map((oid, i) => (i === 0 && caps.length > 0 ? `want ${oid} ${caps.join(' ')}\n` : `want ${oid}\n`));
  if (request.depth !== undefined) lines.push(`deepen ${request.depth}\n`);
  return concatBytes([...lines.map((l) => pktLine(l)), FLUSH_PKT, pktLine('done\n')]);
}
