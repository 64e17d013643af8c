/**
 * The pack-cache key of a fetch, when its pack depends on nothing but the
 * wanted ids and the options that shape the bytes: a clone (no haves, no
 * shallow or deepen, no filter). Undefined for any other fetch. Thin packs
 * need haves, so a clone's pack is the same with or without `thin-pack`.
 */
import type { Codec } from '../codec.ts';
import { utf8 } from '../bytes.ts';
import { bytesToHex, type Oid } from '../objects/objectId.ts';

export interface ClonePackRequest {
  wants: readonly Oid[];
  haves: readonly Oid[];
  shallowOrDeepen: boolean;
  filtered: boolean;
  ofsDelta: boolean;
  includeTag: boolean;
}

export function clonePackKey(codec: Codec, request: ClonePackRequest): string | undefined {
  if (request.haves.length > 0 || request.shallowOrDeepen || request.filtered) return undefined;
  const text = `clone-pack v1\nofs-delta=${request.ofsDelta}\ninclude-tag=${request.includeTag}\n${[...new Set(request.wants)].sort().join('\n')}\n`;
  return bytesToHex(codec.sha1().update(utf8(text)).digest());
}
