/** Annotated tags followed to what they end at (git's `deref_tag`). */
import type { Oid } from '../objects/objectId.ts';
import { parseTag } from '../objects/tag.ts';
import type { ObjectStore } from '../ports.ts';

/** `oids` with every annotated tag replaced by the object at the end of its chain; absent ids are dropped. */
export async function peelTags(store: ObjectStore, oids: readonly Oid[]): Promise<Oid[]> {
  const out: Oid[] = [];
  let pending = [...oids];
  for (let hops = 0; pending.length > 0 && hops < 100; hops++) {
    const infos = await store.info(pending);
    const tags = pending.filter((oid) => infos.get(oid)?.type === 'tag');
    for (const oid of pending) {
      const type = infos.get(oid)?.type;
      if (type !== undefined && type !== 'tag') out.push(oid);
    }
    const objects = await store.readObjects(tags);
    pending = tags.map((oid) => parseTag(objects.get(oid)!.data).object);
  }
  return out;
}
