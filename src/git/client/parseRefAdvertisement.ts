/**
 * The v0/v1 reference advertisement, read by a client (gitprotocol-pack,
 * "Reference Discovery"), after the `# service=` header and its flush:
 *
 *   advertised-refs  =  *1("version 1") (no-refs / list-of-refs) *shallow flush-pkt
 *   no-refs          =  PKT-LINE(zero-id SP "capabilities^{}" NUL capability-list)
 *   list-of-refs     =  first-ref *other-ref
 *   first-ref        =  PKT-LINE(obj-id SP refname NUL capability-list)
 *   other-ref        =  PKT-LINE(other-tip / other-peeled)
 *   other-peeled     =  PKT-LINE(obj-id SP refname "^{}")
 *   shallow          =  PKT-LINE("shallow" SP obj-id)
 *
 * HEAD's branch comes as the capability `symref=HEAD:refs/heads/main`
 * (gitprotocol-capabilities, "symref").
 */
import { isOid, type Oid } from '../objects/objectId.ts';
import type { Ref } from '../ports.ts';
import type { RemoteReader } from './RemoteReader.ts';

export interface RefAdvertisement {
  capabilities: Map<string, string>;
  refs: Ref[];
  shallow: Oid[];
}

/**
 * Reads the advertisement; `first` is its first line when the caller has
 * read it already. Only HEAD and the refs `keep` accepts are kept.
 */
export async function parseRefAdvertisement(
  reader: RemoteReader,
  first: string | undefined,
  keep: (name: string) => boolean,
  maxRefs: number,
): Promise<RefAdvertisement> {
  const out: RefAdvertisement = { capabilities: new Map(), refs: [], shallow: [] };
  const byName = new Map<string, Ref>();
  let pending = first;
  const symrefs: string[] = [];
  for (let count = 0; ; count++) {
    let line: string;
    if (pending !== undefined) {
      line = pending;
      pending = undefined;
    } else {
      const next = await reader.readLine();
      if (typeof next !== 'string') {
        if (next.kind === 'flush') break;
        throw reader.error(next.kind === 'eof' ? 'the ref advertisement ended without a flush' : `unexpected ${next.kind} packet in the ref advertisement`);
      }
      line = next;
    }
    if (count >= maxRefs) throw reader.error(`the ref advertisement has more than ${maxRefs} lines`);
    if (count === 0 && line === 'version 1') continue;
    if (count <= 1 && line.includes('\0')) {
      const nul = line.indexOf('\0');
      for (const cap of line.slice(nul + 1).split(' ')) {
        if (cap === '') continue;
        const eq = cap.indexOf('=');
        const name = eq < 0 ? cap : cap.slice(0, eq);
        const value = eq < 0 ? '' : cap.slice(eq + 1);
        if (name === 'symref') symrefs.push(value);
        else out.capabilities.set(name, value);
      }
      line = line.slice(0, nul);
    }
    if (line.startsWith('shallow ')) {
      const oid = line.slice(8);
      if (!isOid(oid)) throw reader.error(`bad shallow line in the ref advertisement: ${line.slice(0, 80)}`);
      out.shallow.push(oid);
      continue;
    }
    const space = line.indexOf(' ');
    const oid = line.slice(0, space);
    const name = line.slice(space + 1);
    if (space !== 40 || !isOid(oid) || name === '') throw reader.error(`bad line in the ref advertisement: ${JSON.stringify(line.slice(0, 120))}`);
    if (name === 'capabilities^{}') continue;
    if (name.endsWith('^{}')) {
      const tag = byName.get(name.slice(0, -3));
      if (tag !== undefined) tag.peeled = oid;
      continue;
    }
    if (name !== 'HEAD' && !keep(name)) continue;
    const ref: Ref = { name, oid };
    byName.set(name, ref);
    out.refs.push(ref);
  }
  for (const symref of symrefs) {
    const colon = symref.indexOf(':');
    if (symref.slice(0, colon) !== 'HEAD') continue;
    const head = byName.get('HEAD');
    if (head !== undefined) head.target = symref.slice(colon + 1);
  }
  return out;
}
