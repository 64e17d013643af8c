/**
 * Whether a glob could match some path below a folder — so a walk may skip
 * folders no pattern can reach, and a scoped token shows the folders on the
 * way to what it may read. The pattern is compared component by component
 * with the folder: wildmatch's `*`, `?` and `[...]` never match `/`, so
 * each pattern component before any `**` must match the folder component
 * at its place (`src/*\/*.ts` reaches `src/app`, not `test`; `*.md`, one
 * component long, reaches no folder). A component holding `**` (or an
 * escaped `/`) may stand for any number of components: from there on
 * anything is reachable. The answer errs only towards true.
 */
import { wildmatcher } from '../../content/match/wildmatch.ts';
import { normalizeGlob } from './compileGlob.ts';

/** A test of folders (components; `[]` the root) for one pattern. */
export function couldMatchBelow(pattern: string): (folder: readonly string[]) => boolean {
  const parts = normalizeGlob(pattern).split('/');
  const fixed: ((name: string) => boolean)[] = [];
  let open = -1;
  for (const part of parts) {
    const test = part.includes('**') || part.endsWith('\\') ? undefined : componentTest(part);
    if (test === undefined) {
      open = fixed.length;
      break;
    }
    fixed.push(test);
  }
  return (folder) => {
    for (let i = 0; i < folder.length; i++) {
      if (i === open) return true;
      const test = fixed[i];
      if (test === undefined) return false; // the pattern ends above this folder
      if (!test(folder[i]!)) return false;
    }
    return open >= 0 || parts.length > folder.length;
  };
}

/** The test of one component; undefined when it is not a pattern on its own (a `[...]` holding `/`). */
function componentTest(part: string): ((name: string) => boolean) | undefined {
  try {
    return wildmatcher(part);
  } catch {
    return undefined;
  }
}
