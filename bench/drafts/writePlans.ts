/**
 * What the bench writes. Small writes: `n` new files of ~100 bytes spread
 * over the big repository's top folders (`src/m<NN>/note-<i>.txt`, one
 * folder after another, so ~20 folders). Changes: `n` existing files of the
 * big repository, evenly spaced over its paths (so every leaf folder is
 * touched), each rewritten with contents of the run's own.
 */
import type { FileWrite } from './runWrites.ts';

const NOTE_BYTES = 100;

export function smallWrites(n: number, folders: number): FileWrite[] {
  const out: FileWrite[] = [];
  for (let i = 0; i < n; i++) {
    const folder = `src/m${String(i % folders).padStart(2, '0')}`;
    const head = `note ${i} in ${folder}: `;
    out.push({ path: `${folder}/note-${String(i).padStart(5, '0')}.txt`, content: `${head}${'x'.repeat(Math.max(0, NOTE_BYTES - head.length - 1))}\n` });
  }
  return out;
}

/** The `n` paths changed: every ⌊paths / n⌋-th one. */
export function changedPaths(paths: readonly string[], n: number): string[] {
  const step = Math.max(1, Math.floor(paths.length / n));
  const out: string[] = [];
  for (let i = 0; i < paths.length && out.length < n; i += step) out.push(paths[i] as string);
  return out;
}

/** New contents of `paths` for run `run` (each file a few lines, distinct per run and path). */
export function changes(paths: readonly string[], run: string): FileWrite[] {
  return paths.map((path) => ({
    path,
    content: `// ${path}: rewritten by ${run}\nexport const revision = '${run}';\nexport function describe(): string {\n  return '${path} at ${run}';\n}\n`,
  }));
}
