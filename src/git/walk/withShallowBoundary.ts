/**
 * A view of a store in which some commits have no parents: the shallow
 * boundary of a fetch (Documentation/technical/shallow.txt: "each line
 * contains the SHA-1 of a commit that is considered to be a root commit
 * [...] grafts which have no parents"). upload-pack registers the client's
 * shallow commits and the new boundary this way, so that history walks on
 * both sides — what to send, what the client has — stop there: the parents
 * of a shallow commit are neither sent nor assumed to be on the client.
 *
 * Generation numbers are left as they are: removing parents keeps them a
 * valid topological order, and a commit still reaches nothing of its own
 * generation or above.
 */
import type { Oid } from '../objects/objectId.ts';
import type { CommitInfo, ObjectStore } from '../ports.ts';

export function withShallowBoundary(store: ObjectStore, shallow: ReadonlySet<Oid>): ObjectStore {
  if (shallow.size === 0) return store;
  return {
    has: (oids) => store.has(oids),
    info: (oids) => store.info(oids),
    readObjects: (oids) => store.readObjects(oids),
    readPacked: (oids) => store.readPacked(oids),
    async readCommits(oids: readonly Oid[]): Promise<Map<Oid, CommitInfo>> {
      const commits = new Map<Oid, CommitInfo>();
      for (const [oid, info] of await store.readCommits(oids)) {
        commits.set(oid, shallow.has(oid) && info.parents.length > 0 ? { ...info, parents: [] } : info);
      }
      return commits;
    },
  };
}
