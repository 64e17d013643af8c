/**
 * The record of every change made through the mount, one JSON object a line,
 * appended before the call that made it returns. After a restart (even a
 * kill -9) the base tree plus this journal, replayed in order, give back the
 * tree as it was; contents written to files live in the upper layer, whose
 * files are the truth for their size and modification time.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FsError } from './FsError.ts';
import type { FileTree } from './FileTree.ts';

export type JournalOp =
  | { op: 'create'; path: string; upper: string; perm: number; t: number }
  | { op: 'copyup'; path: string; upper: string; t: number }
  | { op: 'mkdir'; path: string; perm: number; t: number }
  | { op: 'symlink'; path: string; target: string; t: number }
  | { op: 'unlink'; path: string; t: number }
  | { op: 'rmdir'; path: string; t: number }
  | { op: 'rename'; from: string; to: string; t: number }
  | { op: 'chmod'; path: string; perm: number; t: number }
  | { op: 'times'; path: string; mtime: number; t: number };

export class OverlayJournal {
  readonly #file: string;
  #count: number;

  constructor(file: string) {
    this.#file = file;
    this.#count = existsSync(file) ? readOps(file).length : 0;
  }

  /** Changes recorded so far. */
  get length(): number {
    return this.#count;
  }

  append(op: JournalOp): void {
    appendFileSync(this.#file, `${JSON.stringify(op)}\n`);
    this.#count++;
  }

  read(): JournalOp[] {
    return existsSync(this.#file) ? readOps(this.#file) : [];
  }
}

function readOps(file: string): JournalOp[] {
  const ops: JournalOp[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      ops.push(JSON.parse(line) as JournalOp);
    } catch {
      break; // a line cut short by a crash: nothing after it was acknowledged
    }
  }
  return ops;
}

/** Applies `op` to `tree`; returns the upper files it made unreachable. */
export function applyOp(tree: FileTree, op: JournalOp): string[] {
  const freed: string[] = [];
  const free = (node: { kind: string; upper?: string } | undefined): void => {
    if (node !== undefined && node.kind === 'file' && node.upper !== undefined) freed.push(node.upper);
  };
  switch (op.op) {
    case 'create': {
      const old = tree.lookup(op.path);
      if (old?.kind === 'symlink' || old?.kind === 'file') {
        tree.unlink(op.path, op.t);
        free(old);
      }
      tree.createFile(op.path, op.upper, op.perm, op.t);
      break;
    }
    case 'copyup': {
      const node = tree.get(op.path);
      if (node.kind !== 'file') throw new FsError('EINVAL', `copy-up of ${op.path}, which is not a file`);
      free(node);
      delete node.blob;
      node.upper = op.upper;
      break;
    }
    case 'mkdir':
      tree.mkdir(op.path, op.perm, op.t);
      break;
    case 'symlink':
      tree.symlink(op.path, op.target, op.t);
      break;
    case 'unlink':
      free(tree.unlink(op.path, op.t));
      break;
    case 'rmdir':
      tree.rmdir(op.path, op.t);
      break;
    case 'rename':
      free(tree.rename(op.from, op.to, op.t));
      break;
    case 'chmod': {
      const node = tree.get(op.path);
      if (node.kind !== 'symlink') node.perm = op.perm & 0o7777;
      node.ctimeMs = op.t;
      break;
    }
    case 'times': {
      const node = tree.get(op.path);
      node.mtimeMs = op.mtime;
      node.ctimeMs = op.t;
      break;
    }
  }
  return freed;
}

/**
 * After a replay: every upper file's size and modification time are read
 * from the file itself (writes are not journaled). Returns the upper files
 * the tree uses.
 */
export function syncUpperFiles(tree: FileTree, upperDir: string): Set<string> {
  const used = new Set<string>();
  for (const [, node] of tree.walk('')) {
    if (node.kind !== 'file' || node.upper === undefined) continue;
    used.add(node.upper);
    try {
      const stat = statSync(join(upperDir, node.upper));
      node.size = stat.size;
      node.mtimeMs = Math.floor(stat.mtimeMs);
    } catch {
      node.size = 0;
    }
  }
  return used;
}
