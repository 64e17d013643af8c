/**
 * The pack-cache key of a fetch, when its pack depends on nothing but the
 * wanted ids and the options that shape the bytes: a clone (no haves, no
 * shallow or deepen, no filter). Undefined for any other fetch. Thin packs
 * need haves, so a clone's pack is the same with or without `thin-pack`.
 *
 * Objects never change, so such a pack stays right whatever happens to the
 * refs — except with `include-tag`, which adds the annotated tags pointing
 * into the pack: then the tag refs are part of the key.
 */
import type { Codec } from '../codec.ts';
import { utf8 } from '../bytes.ts';
import { bytesToHex, type Oid } from '../objects/objectId.ts';
import type { Ref } from '../ports.ts';

export interface ClonePackRequest {
  wants: readonly Oid[];
  haves: readonly Oid[];
  shallowOrDeepen: boolean;
  filtered: boolean;
  ofsDelta: boolean;
  includeTag: boolean;
  /** The refs, when `includeTag` (annotated tags among them shape the pack). */
  refs?: readonly Ref[];
}

export function clonePackKey(codec: Codec, request: ClonePackRequest): string | undefined {
  if (request.haves.length > 0 || request.shallowOrDeepen || request.filtered) return undefined;
  const tags = request.includeTag
    ? (request.refs ?? []).filter((r) => r.peeled !== undefined).map((r) => `${r.name} ${r.oid}`).sort()
    : [];
  const text = `clone-pack v1\nofs-delta=${request.ofsDelta}\ninclude-tag=${request.includeTag}\n${[...new Set(request.wants)].sort().join('\n')}\ntags:\n${tags.join('\n')}\n`;
  return bytesToHex(codec.sha1().update(utf8(text)).digest());
}
