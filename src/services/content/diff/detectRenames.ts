/**
 * Rename detection as `git diff -M` does it by default (diffcore-rename.c,
 * git 2.39), over the additions and deletions of a tree diff:
 *
 * 1. exact renames: an added file whose blob id a deleted file has (modes of
 *    the same kind unless both are regular files); among several sources the
 *    first with the same basename wins, else the first;
 * 2. basename matches: a source and a destination that are the only ones
 *    left with their basename are paired if at least 75% similar
 *    ("min_basename_score": halfway between 50% and 100%);
 * 3. the rest, unless destinations × sources exceeds `renameLimit`²
 *    (`diff.renameLimit`, 1000): every pair is scored, each destination keeps
 *    its 4 best sources, and the best pairs at or over 50% are taken, highest
 *    score first (same basename breaks ties), each file used once.
 *
 * Similarity (`estimate_similarity`) is between regular files only: 0 when
 * the sizes differ by more than the threshold allows, else the bytes of the
 * destination copied from the source (spanCounts.ts) over the larger size,
 * on git's scale of 60000. Renames take the place of their destination in
 * the list; their sources leave it.
 */
import type { Oid } from '../../../git/objects/objectId.ts';
import { isFileMode } from '../../../git/objects/tree.ts';
import type { ObjectStore } from '../../../git/ports.ts';
import type { FileChange } from './FileChange.ts';
import { copiedBytes, spanCounts, type SpanCounts } from './spanCounts.ts';

export interface RenameOptions {
  /** Most sources × destinations compared for inexact renames is this squared (default 1000, as `diff.renameLimit`). */
  renameLimit?: number;
  /** Least similarity of a rename, in percent (default 50, as `-M`). */
  threshold?: number;
}

const MAX_SCORE = 60000;
const CANDIDATES_PER_DST = 4;
const EXACT_ALTERNATIVES = 100;
const READ_BATCH = 128;

interface Candidate {
  src: number;
  dst: number;
  score: number;
  nameScore: number;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `score_compare`: negative when `a` is the better pair; unused slots (dst < 0) sink. */
function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.dst < 0) return b.dst >= 0 ? 1 : 0;
  if (b.dst < 0) return -1;
  if (a.score === b.score) return b.nameScore - a.nameScore;
  return b.score - a.score;
}

/** Blob sizes and span counts, read in batches. */
class BlobMeasures {
  readonly #objects: ObjectStore;
  readonly #sizes = new Map<Oid, number>();
  readonly #spans = new Map<Oid, SpanCounts>();

  constructor(objects: ObjectStore) {
    this.#objects = objects;
  }

  async loadSizes(oids: Iterable<Oid>): Promise<void> {
    const missing = [...new Set(oids)].filter((oid) => !this.#sizes.has(oid));
    if (missing.length === 0) return;
    for (const [oid, info] of await this.#objects.info(missing)) this.#sizes.set(oid, info.size);
  }

  async loadSpans(oids: Iterable<Oid>): Promise<void> {
    const missing = [...new Set(oids)].filter((oid) => !this.#spans.has(oid));
    for (let at = 0; at < missing.length; at += READ_BATCH) {
      const batch = missing.slice(at, at + READ_BATCH);
      const objects = await this.#objects.readObjects(batch);
      for (const oid of batch) {
        const object = objects.get(oid);
        if (object !== undefined) this.#spans.set(oid, spanCounts(object.data));
      }
    }
  }

  size(oid: Oid): number | undefined {
    return this.#sizes.get(oid);
  }

  spans(oid: Oid): SpanCounts | undefined {
    return this.#spans.get(oid);
  }
}

/** `estimate_similarity` without the content: 0 when the pair cannot reach `minScore`, else undefined (content needed). */
function sizeGate(measures: BlobMeasures, src: FileChange, dst: FileChange, minScore: number): number | undefined {
  if (!isFileMode(src.old_mode!) || !isFileMode(dst.new_mode!)) return 0;
  const srcSize = measures.size(src.old_sha!);
  const dstSize = measures.size(dst.new_sha!);
  if (srcSize === undefined || dstSize === undefined) return 0;
  const max = Math.max(srcSize, dstSize);
  const delta = max - Math.min(srcSize, dstSize);
  if (max * (MAX_SCORE - minScore) < delta * MAX_SCORE) return 0;
  return undefined;
}

function similarity(measures: BlobMeasures, src: FileChange, dst: FileChange, minScore: number): number {
  const gate = sizeGate(measures, src, dst, minScore);
  if (gate !== undefined) return gate;
  const srcSpans = measures.spans(src.old_sha!);
  const dstSpans = measures.spans(dst.new_sha!);
  const dstSize = measures.size(dst.new_sha!)!;
  if (srcSpans === undefined || dstSpans === undefined || dstSize === 0) return 0;
  const max = Math.max(measures.size(src.old_sha!)!, dstSize);
  return Math.trunc((copiedBytes(srcSpans, dstSpans) * MAX_SCORE) / max);
}

/** Turns matching deletions and additions of `changes` (in tree-diff order) into renames. */
export async function detectRenames(objects: ObjectStore, changes: readonly FileChange[], options: RenameOptions = {}): Promise<FileChange[]> {
  const minScore = Math.trunc(((options.threshold ?? 50) * MAX_SCORE) / 100);
  const renameLimit = options.renameLimit ?? 1000;
  const dsts = changes.filter((c) => c.status === 'added');
  let srcs = changes.filter((c) => c.status === 'deleted');
  if (dsts.length === 0 || srcs.length === 0) return [...changes];

  const renamedFrom = new Map<FileChange, { src: FileChange; score: number }>();
  const used = new Set<FileChange>();
  const record = (dst: FileChange, src: FileChange, score: number): void => {
    renamedFrom.set(dst, { src, score });
    used.add(src);
  };

  // 1. Exact renames.
  const srcsByOid = new Map<Oid, FileChange[]>();
  for (const src of srcs) {
    const list = srcsByOid.get(src.old_sha!);
    if (list === undefined) srcsByOid.set(src.old_sha!, [src]);
    else list.push(src);
  }
  for (const dst of dsts) {
    let best: FileChange | undefined;
    let bestScore = -1;
    let alternatives = EXACT_ALTERNATIVES;
    for (const src of srcsByOid.get(dst.new_sha!) ?? []) {
      if ((!isFileMode(src.old_mode!) || !isFileMode(dst.new_mode!)) && src.old_mode !== dst.new_mode) continue;
      if (used.has(src)) continue;
      const score = 1 + Number(basename(src.path) === basename(dst.path));
      if (score > bestScore) {
        best = src;
        bestScore = score;
        if (score === 2) break;
      }
      if (--alternatives === 0) break;
    }
    if (best !== undefined) record(dst, best, MAX_SCORE);
  }
  if (minScore < MAX_SCORE) {
    srcs = srcs.filter((s) => !used.has(s));
    const measures = new BlobMeasures(objects);
    const regular = (sha: Oid | null, mode: number | null): Oid[] => (sha !== null && mode !== null && isFileMode(mode) ? [sha] : []);
    await measures.loadSizes([...srcs.flatMap((s) => regular(s.old_sha, s.old_mode)), ...dsts.filter((d) => !renamedFrom.has(d)).flatMap((d) => regular(d.new_sha, d.new_mode))]);

    // 2. Unique basenames, at a higher threshold.
    const basenameScore = minScore + Math.trunc(0.5 * (MAX_SCORE - minScore));
    const uniqueIndex = <T extends FileChange>(list: readonly T[]): Map<string, T | null> => {
      const map = new Map<string, T | null>();
      for (const item of list) {
        const base = basename(item.path);
        map.set(base, map.has(base) ? null : item);
      }
      return map;
    };
    const srcByBase = uniqueIndex(srcs);
    const dstByBase = uniqueIndex(dsts.filter((d) => !renamedFrom.has(d)));
    const pairs: [FileChange, FileChange][] = [];
    for (const src of srcs) {
      const base = basename(src.path);
      const dst = dstByBase.get(base);
      if (srcByBase.get(base) !== src || dst === undefined || dst === null) continue;
      pairs.push([src, dst]);
    }
    await measures.loadSpans(pairs.filter(([s, d]) => sizeGate(measures, s, d, basenameScore) === undefined).flatMap(([s, d]) => [s.old_sha!, d.new_sha!]));
    for (const [src, dst] of pairs) {
      if (renamedFrom.has(dst)) continue;
      const score = similarity(measures, src, dst, basenameScore);
      if (score >= basenameScore) record(dst, src, score);
    }
    srcs = srcs.filter((s) => !used.has(s));

    // 3. Every remaining pair, within the rename limit.
    const remaining = dsts.filter((d) => !renamedFrom.has(d));
    const withinLimit = renameLimit <= 0 || remaining.length * srcs.length <= renameLimit * renameLimit;
    if (remaining.length > 0 && srcs.length > 0 && withinLimit) {
      const needed = new Set<Oid>();
      for (const dst of remaining) {
        for (const src of srcs) {
          if (sizeGate(measures, src, dst, minScore) === undefined) needed.add(src.old_sha!).add(dst.new_sha!);
        }
      }
      await measures.loadSpans(needed);
      const matrix: Candidate[] = [];
      remaining.forEach((dst, d) => {
        const best: Candidate[] = Array.from({ length: CANDIDATES_PER_DST }, () => ({ src: -1, dst: -1, score: 0, nameScore: 0 }));
        srcs.forEach((src, s) => {
          const candidate = {
            src: s,
            dst: d,
            score: similarity(measures, src, dst, minScore),
            nameScore: Number(basename(src.path) === basename(dst.path)),
          };
          let worst = 0;
          for (let i = 1; i < CANDIDATES_PER_DST; i++) if (compareCandidates(best[i]!, best[worst]!) > 0) worst = i;
          if (compareCandidates(best[worst]!, candidate) > 0) best[worst] = candidate;
        });
        matrix.push(...best);
      });
      matrix.sort(compareCandidates);
      for (const candidate of matrix) {
        if (candidate.dst < 0 || candidate.score < minScore) break;
        const dst = remaining[candidate.dst]!;
        const src = srcs[candidate.src]!;
        if (renamedFrom.has(dst) || used.has(src)) continue;
        record(dst, src, candidate.score);
      }
    }
  }

  const out: FileChange[] = [];
  for (const change of changes) {
    if (change.status === 'deleted' && used.has(change)) continue;
    const rename = change.status === 'added' ? renamedFrom.get(change) : undefined;
    if (rename === undefined) {
      out.push(change);
      continue;
    }
    out.push({
      path: change.path,
      old_path: rename.src.path,
      status: 'renamed',
      old_mode: rename.src.old_mode,
      new_mode: change.new_mode,
      old_sha: rename.src.old_sha,
      new_sha: change.new_sha,
      similarity: Math.trunc((rename.score * 100) / MAX_SCORE),
    });
  }
  return out;
}
