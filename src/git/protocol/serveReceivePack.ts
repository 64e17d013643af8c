/**
 * One receive-pack request over HTTP (always protocol v0 for push in git
 * 2.39). The answer is a report (gitprotocol-pack, "Report Status"):
 *
 *   report-status = unpack-status 1*(command-status) flush-pkt
 *   unpack-status = PKT-LINE("unpack" SP unpack-result)
 *   command-ok    = PKT-LINE("ok" SP refname)
 *   command-fail  = PKT-LINE("ng" SP refname SP error-msg)
 *
 * With side-band-64k the whole report travels inside band-1 packets,
 * followed by a flush. `report-status-v2` reads the same for a plain server.
 */
import { concatBytes } from '../bytes.ts';
import { FLUSH_PKT, pktLine, sidebandPackets } from './pktLine.ts';
import { PktLineReader } from './PktLineReader.ts';
import { executePush, type PushReport } from './executePush.ts';
import { parseReceivePackRequest, type ReceivePackRequest } from './parseReceivePackRequest.ts';
import type { PushTarget } from './pushTarget.ts';

export interface ReceivePackLimits {
  /** Largest command section accepted, in bytes. */
  maxCommandBytes: number;
  /** Largest pack accepted, in bytes. */
  maxPackBytes: number;
  /** Largest object accepted, in bytes. */
  maxObjectBytes?: number;
  /** Bytes the repository may still grow by. */
  roomBytes?: number;
}

export interface ReceivePackResult {
  request: ReceivePackRequest;
  report: PushReport | null;
  /** The response body. */
  body: Uint8Array;
}

/**
 * Reads the request, carries the push out, and returns the report. Throws
 * (before anything is changed) when the command section is malformed.
 */
export async function serveReceivePack(target: PushTarget, body: AsyncIterable<Uint8Array>, limits: ReceivePackLimits): Promise<ReceivePackResult> {
  const reader = new PktLineReader(body, { maxBytes: limits.maxCommandBytes + limits.maxPackBytes });
  const request = await parseReceivePackRequest(reader, limits.maxCommandBytes);
  if (request.commands.length === 0) return { request, report: null, body: new Uint8Array(0) };
  const report = await executePush(target, request.commands, reader.remaining(), {
    atomic: request.capabilities.has('atomic'),
    maxPackBytes: limits.maxPackBytes,
    ...(limits.maxObjectBytes === undefined ? {} : { maxObjectBytes: limits.maxObjectBytes }),
    ...(limits.roomBytes === undefined ? {} : { roomBytes: limits.roomBytes }),
    shallow: request.shallow,
  });
  return { request, report, body: writeReport(report, request.capabilities.has('side-band-64k')) };
}

function writeReport(report: PushReport, sideband: boolean): Uint8Array {
  const lines = [pktLine(`unpack ${report.unpack}\n`)];
  for (const ref of report.refs) lines.push(pktLine(ref.ok ? `ok ${ref.name}\n` : `ng ${ref.name} ${ref.reason}\n`));
  lines.push(FLUSH_PKT);
  const status = concatBytes(lines);
  return sideband ? concatBytes([...sidebandPackets(1, status), FLUSH_PKT]) : status;
}
