/**
 * Raw commit objects made by hand, right or deliberately wrong (any text may
 * stand in the author and committer lines). gitformat (commit):
 *
 *     tree <hex> LF (parent <hex> LF)* author <ident> LF committer <ident> LF LF <message>
 *
 * with `<ident>` = `Name <email> <seconds> <+|-hhmm>`.
 */
import { bytesOf } from './bytesOf.ts';

/** The author and committer of hand-made commits unless a test gives others. */
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
