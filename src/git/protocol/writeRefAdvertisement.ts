/**
 * The v0/v1 reference advertisement (gitprotocol-pack, "Reference Discovery"):
 *
 *   advertised-refs  =  *1("version 1") (no-refs / list-of-refs) *shallow flush-pkt
 *   no-refs          =  PKT-LINE(zero-id SP "capabilities^{}" NUL capability-list)
 *   list-of-refs     =  first-ref *other-ref
 *   first-ref        =  PKT-LINE(obj-id SP refname NUL capability-list)
 *   other-peeled     =  PKT-LINE(obj-id SP refname "^{}")
 *   shallow          =  PKT-LINE("shallow" SP obj-id)
 *
 * The `shallow` lines name the commits a shallow repository holds without
 * their parents (upload-pack.c `advertise_shallow_grafts`); a cloning client
 * records those it receives in its own `.git/shallow`.
 *
 * Over smart HTTP it is preceded by `# service=<name>` and a flush
 * (gitprotocol-http, "Smart Clients").
 */
import { ZERO_OID, type Oid } from '../objects/objectId.ts';
import type { Ref } from '../ports.ts';
import { FLUSH_PKT, pktLine } from './pktLine.ts';

export interface RefAdvertisementOptions {
  service: 'git-upload-pack' | 'git-receive-pack';
  refs: readonly Ref[];
  capabilities: readonly string[];
  /** Send `version 1` after the service header (the client asked for protocol v1). */
  version1?: boolean;
  /** Advertise a capability line even when there is no ref (receive-pack does; upload-pack does not). */
  advertiseWhenEmpty: boolean;
  /** Include HEAD and the peeled `^{}` lines of annotated tags (upload-pack), or neither (receive-pack). */
  includeHeadAndPeeled: boolean;
  /** The repository's shallow commits (`Repository.shallowSync()`), advertised after the refs. */
  shallow?: readonly Oid[];
}

export function writeRefAdvertisement(options: RefAdvertisementOptions): Uint8Array[] {
  const out: Uint8Array[] = [pktLine(`# service=${options.service}\n`), FLUSH_PKT];
  if (options.version1 === true) out.push(pktLine('version 1\n'));
  const lines: string[] = [];
  const head = options.refs.find((r) => r.name === 'HEAD');
  if (options.includeHeadAndPeeled && head?.oid != null) lines.push(`${head.oid} HEAD`);
  for (const ref of options.refs) {
    if (ref.name === 'HEAD' || ref.oid === null || ref.target !== undefined) continue;
    lines.push(`${ref.oid} ${ref.name}`);
    if (options.includeHeadAndPeeled && ref.peeled !== undefined) lines.push(`${ref.peeled} ${ref.name}^{}`);
  }
  const caps = options.capabilities.join(' ');
  if (lines.length === 0) {
    if (options.advertiseWhenEmpty) out.push(pktLine(`${ZERO_OID} capabilities^{}\0${caps}\n`));
  } else {
    lines.forEach((line, i) => out.push(pktLine(i === 0 ? `${line}\0${caps}\n` : `${line}\n`)));
  }
  for (const oid of options.shallow ?? []) out.push(pktLine(`shallow ${oid}\n`));
  out.push(FLUSH_PKT);
  return out;
}
