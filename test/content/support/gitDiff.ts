/**
 * What `git diff -M` says about two commits, in forms a test can compare
 * with Grove's diff engine: `--raw` and `--numstat` entries (read with `-z`,
 * so no path is quoted) and the full patch text, split per file; and the
 * same three forms computed by Grove (diffTrees + unifiedPatch) over a
 * Grove object store holding the same objects.
 */
import type { ObjectStore } from '../../../src/git/ports.ts';
import { diffTrees, type DiffTreesOptions } from '../../../src/services/content/diff/diffTrees.ts';
import { statusLetter, type FileChange } from '../../../src/services/content/diff/FileChange.ts';
import { unifiedPatch } from '../../../src/services/content/diff/unifiedPatch.ts';
import type { DiffRepo } from './diffRepo.ts';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const ZERO = '0'.repeat(40);

/** The revisions to pass: `base head`, or `base` alone when head is '' (e.g. a `base...head` range). */
function revs(base: string, head: string): string[] {
  return head === '' ? [base] : [base, head];
}

/** One `--raw` line, normalised: `<old mode> <new mode> <old sha> <new sha> <status> <path>[ <- <old path>]`. */
export function gitRaw(repo: DiffRepo, base: string, head: string, args: string[] = []): string[] {
  const out = decoder.decode(repo.gitBytes(['diff', '--raw', '-M', '-z', '--no-abbrev', ...args, ...revs(base, head)]));
  const fields = out.split('\0');
  const lines: string[] = [];
  for (let i = 0; i + 1 < fields.length; ) {
    const [oldMode, newMode, oldSha, newSha, status] = fields[i]!.slice(1).split(' ');
    const letter = status!.slice(0, 1);
    if (letter === 'R' || letter === 'C') {
      lines.push(`${oldMode} ${newMode} ${oldSha} ${newSha} ${letter}${Number(status!.slice(1))} ${fields[i + 2]} <- ${fields[i + 1]}`);
      i += 3;
    } else {
      lines.push(`${oldMode} ${newMode} ${oldSha} ${newSha} ${letter} ${fields[i + 1]}`);
      i += 2;
    }
  }
  return lines;
}

export function ourRaw(changes: readonly FileChange[]): string[] {
  const mode = (m: number | null): string => (m ?? 0).toString(8).padStart(6, '0');
  return changes.map((c) => {
    const head = `${mode(c.old_mode)} ${mode(c.new_mode)} ${c.old_sha ?? ZERO} ${c.new_sha ?? ZERO}`;
    return c.status === 'renamed'
      ? `${head} R${c.similarity} ${c.path} <- ${c.old_path}`
      : `${head} ${statusLetter(c.status)} ${c.path}`;
  });
}

/** `git diff --numstat -M`: `<added> <deleted> <path>` (`-` for binary). */
export function gitNumstat(repo: DiffRepo, base: string, head: string, args: string[] = [], paths: string[] = []): string[] {
  const out = decoder.decode(repo.gitBytes(['diff', '--numstat', '-M', '-z', ...args, ...revs(base, head), '--', ...paths]));
  const fields = out.split('\0');
  const lines: string[] = [];
  for (let i = 0; i + 1 < fields.length; ) {
    const [added, deleted, ...rest] = fields[i]!.split('\t');
    const path = rest.join('\t');
    if (path === '') {
      lines.push(`${added} ${deleted} ${fields[i + 2]}`);
      i += 3;
    } else {
      lines.push(`${added} ${deleted} ${path}`);
      i += 1;
    }
  }
  return lines;
}

/** The full patch of `git diff -M`, split at each `diff --git` line. */
export function gitPatches(repo: DiffRepo, base: string, head: string, args: string[] = [], paths: string[] = []): string[] {
  const text = decoder.decode(repo.gitBytes(['diff', '-M', '--no-color', ...args, ...revs(base, head), '--', ...paths]));
  return splitPatches(text);
}

export function splitPatches(text: string): string[] {
  const parts = text.split(/(?=^diff --git )/m);
  return parts.filter((p) => p !== '');
}

export interface OurDiff {
  changes: FileChange[];
  raw: string[];
  numstat: string[];
  /** Patch text per change (a type change holds two `diff --git` parts). */
  patches: string[];
}

/** Grove's answer for the same two commits' trees. */
export async function ourDiff(store: ObjectStore, repo: DiffRepo, base: string, head: string, options: DiffTreesOptions = {}): Promise<OurDiff> {
  const tree = (commit: string): string => repo.git(['rev-parse', `${commit}^{tree}`]);
  const changes = await diffTrees(store, tree(base), tree(head), options);
  const blobs = await store.readObjects(changes.flatMap((c) => [c.old_sha, c.new_sha]).filter((s): s is string => s !== null));
  const numstat: string[] = [];
  const patches: string[] = [];
  for (const change of changes) {
    const bytes = (sha: string | null): Uint8Array | null => (sha === null ? null : blobs.get(sha)?.data ?? null);
    const patch = unifiedPatch(change, bytes(change.old_sha), bytes(change.new_sha));
    numstat.push(patch.binary ? `- - ${change.path}` : `${patch.additions} ${patch.deletions} ${change.path}`);
    patches.push(...splitPatches(patch.patch));
  }
  return { changes, raw: ourRaw(changes), numstat, patches };
}
