/**
 * What receive-pack with `receive.fsckObjects=true` says of some objects:
 * they are packed from one scratch repository (`git pack-objects`) and fed to
 * `git index-pack --strict --stdin` in another, as receive-pack does for a
 * push of `transfer.unpackLimit` (100) objects or more. Synchronous, like
 * scratchRepo.ts.
 */
import { gitBytes, gitRun } from './gitBytes.ts';
import type { ScratchRepo } from './scratchRepo.ts';

export interface IndexPackVerdict {
  accepted: boolean;
  /** The id of the first fsck finding git reports (`error: object <oid>: <id>: ...`), if any. */
  check: string | undefined;
  /** The object it is about. */
  oid: string | undefined;
  stderr: string;
}

const ERROR = /^error: object ([0-9a-f]{40}): (\w+): /m;

export function strictIndexPack(from: ScratchRepo, oids: string[], into: ScratchRepo): IndexPackVerdict {
  const pack = gitBytes(['pack-objects', '--stdout', '-q'], { cwd: from.dir, input: `${oids.join('\n')}\n` });
  const result = gitRun(['index-pack', '--strict', '--stdin'], { cwd: into.dir, input: pack });
  const match = ERROR.exec(result.stderr);
  return { accepted: result.status === 0, check: match?.[2], oid: match?.[1], stderr: result.stderr };
}
