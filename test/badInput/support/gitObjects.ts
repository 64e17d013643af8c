/**
 * Raw Git objects for hand-made packs, right or deliberately wrong.
 *
 * gitformat (tree entries): `<octal mode> SP <name> NUL <20-byte id>`, sorted
 * by name with directories compared as if their name ended in "/". A commit:
 *
 *     tree <hex> LF (parent <hex> LF)* author <ident> LF committer <ident> LF LF <message>
 *
 * with `<ident>` = `Name <email> <seconds> <+|-hhmm>`.
 */
import { bytesOf } from './pktLines.ts';

export interface TreeEntry {
  mode: string;
  name: string;
  oid: string;
}

/** The tree with these entries, in the order given (so an unsorted tree can be made). */
export function treeBytes(entries: readonly TreeEntry[]): Uint8Array {
  return bytesOf(...entries.flatMap((e) => [`${e.mode} ${e.name}\0`, Uint8Array.from(Buffer.from(e.oid, 'hex'))]));
}

export const IDENT = 'Bad Input <bad@grove.invalid> 1700000100 +0000';

export interface CommitSpec {
  tree: string;
  parents?: readonly string[];
  author?: string;
  committer?: string;
  message?: string;
}

export function commitBytes(spec: CommitSpec): Uint8Array {
  const lines = [`tree ${spec.tree}`, ...(spec.parents ?? []).map((p) => `parent ${p}`)];
  lines.push(`author ${spec.author ?? IDENT}`, `committer ${spec.committer ?? IDENT}`);
  return bytesOf(`${lines.join('\n')}\n\n${spec.message ?? 'hand-made commit\n'}`);
}
