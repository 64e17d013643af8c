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
 * Answered as git 2.39's protocol-caps.c does: nothing but the flush when no
 * id is asked for, lines without their LF, and an empty size for an id the
 * repository lacks.
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
  if (oids.length > 0) {
    const infos = size ? await store.info(oids) : undefined;
    if (size) out.push(pktLine('size'));
    for (const oid of oids) out.push(pktLine(infos === undefined ? oid : `${oid} ${infos.get(oid)?.size ?? ''}`));
  }
  out.push(FLUSH_PKT);
  return out;
}
