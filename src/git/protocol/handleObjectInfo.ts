/**
 * The v2 `object-info` command (gitprotocol-v2, "object-info"): sizes of
 * objects without their content.
 *
 *   size    Requests size information to be returned for each listed object id.
 *   oid <oid>
 *   output = info flush-pkt
 *   info = PKT-LINE(attrs) LF)  *PKT-LINE(obj-info LF)
 *   obj-info = obj-id SP obj-size
 *
 * An id the repository lacks gets an empty size, as git answers.
 */
import { GroveError } from '../../errors.ts';
import { isOid, type Oid } from '../objects/objectId.ts';
import type { ObjectStore } from '../ports.ts';
import { FLUSH_PKT, pktLine } from './pktLine.ts';

export async function handleObjectInfo(store: ObjectStore, args: readonly string[]): Promise<Uint8Array[]> {
  let size = false;
  const oids: Oid[] = [];
  for (const arg of args) {
    if (arg === 'size') size = true;
    else if (arg.startsWith('oid ') && isOid(arg.slice(4))) oids.push(arg.slice(4));
    else throw new GroveError('PROTOCOL_ERROR', `object-info: unexpected argument '${arg.slice(0, 80)}'`);
  }
  const out: Uint8Array[] = [];
  if (size) {
    const infos = await store.info(oids);
    out.push(pktLine('size\n'));
    for (const oid of oids) out.push(pktLine(`${oid} ${infos.get(oid)?.size ?? ''}\n`));
  }
  out.push(FLUSH_PKT);
  return out;
}
