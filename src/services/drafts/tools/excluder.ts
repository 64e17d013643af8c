/**
 * The exclude patterns of glob and grep (compileGlob.ts), relative to the
 * folder searched. A file is excluded when a pattern matches its path; a
 * folder is pruned when a pattern matches its path (`node_modules`,
 * `**\/dist`) or everything in it (`build/**` prunes `build`).
 */
import { compileGlob, normalizeGlob, type PathTest } from './compileGlob.ts';

export interface Excluder {
  file: PathTest;
  /** True when nothing in the folder can be wanted. */
  folder: PathTest;
}

export function excluder(patterns: readonly string[], field: string): Excluder {
  const tests = patterns.map((p, i) => compileGlob(p, `${field}[${i}]`));
  const contents = patterns.flatMap((p, i) => {
    const q = normalizeGlob(p);
    return q.endsWith('/**') && q.length > 3 ? [compileGlob(q.slice(0, -3), `${field}[${i}]`)] : [];
  });
  return {
    file: (path) => tests.some((t) => t(path)),
    folder: (path) => tests.some((t) => t(path)) || contents.some((t) => t(path)),
  };
}
