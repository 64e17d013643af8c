/**
 * Bare repositories built commit by commit from file maps (through a
 * synchronous `git fast-import`), for the tests of the diff engine and of
 * `compare`: each commit lists its whole tree (files, executables, symlinks,
 * submodules) and its parents, so any history shape can be made, and the
 * real `git` answers `diff`, `merge-base` and `rev-list` on it. Commit dates
 * are `time` (default: one second after the previous commit).
 */
import { gitBytes, gitText } from '../../support/gitBytes.ts';
import { tempDir, type TempDir } from '../../support/tempDir.ts';

export type FileSpec =
  | string
  | Uint8Array
  | { mode: '100644' | '100755' | '120000'; content: string | Uint8Array }
  | { mode: '160000'; commit: string };

export interface CommitSpec {
  files: Record<string, FileSpec>;
  parents?: string[];
  /** Committer and author time, seconds. */
  time?: number;
  message?: string;
  /** Also point this branch at the commit. */
  branch?: string;
}

export interface DiffRepo {
  dir: string;
  /** Makes a commit; returns its id. */
  commit(spec: CommitSpec): string;
  /** `git <args>` in the repository, stdout trimmed. */
  git(args: string[]): string;
  /** `git <args>` in the repository, stdout bytes as they are. */
  gitBytes(args: string[]): Uint8Array;
  remove(): void;
}

const encoder = new TextEncoder();

/** A path as fast-import reads it: C-quoted when it holds a quote, backslash or control char. */
function fastImportPath(path: string): string {
  if (!/["\\\x00-\x1f]/.test(path)) return path;
  return `"${path.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\x00-\x1f]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`)}"`;
}

function dataOf(payload: string | Uint8Array): Uint8Array[] {
  const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
  return [encoder.encode(`data ${bytes.length}\n`), bytes, encoder.encode('\n')];
}

export function diffRepo(): DiffRepo {
  const made: TempDir = tempDir('grove-diff-');
  const dir = made.dir;
  gitBytes(['init', '--quiet', '--bare', dir]);
  let clock = 1_700_000_000;
  let serial = 0;
  return {
    dir,
    commit(spec) {
      const time = spec.time ?? ++clock;
      clock = Math.max(clock, time);
      const ref = `refs/grove-test/c${++serial}`;
      const chunks: Uint8Array[] = [encoder.encode(`commit ${ref}\n`)];
      const who = `Grove Test <test@grove.invalid> ${time} +0000`;
      chunks.push(encoder.encode(`author ${who}\ncommitter ${who}\n`), ...dataOf(spec.message ?? `commit ${serial}\n`));
      const [first, ...merges] = spec.parents ?? [];
      if (first !== undefined) chunks.push(encoder.encode(`from ${first}\n`));
      for (const merge of merges) chunks.push(encoder.encode(`merge ${merge}\n`));
      chunks.push(encoder.encode('deleteall\n'));
      for (const [path, file] of Object.entries(spec.files)) {
        if (typeof file === 'string' || file instanceof Uint8Array) {
          chunks.push(encoder.encode(`M 100644 inline ${fastImportPath(path)}\n`), ...dataOf(file));
        } else if (file.mode === '160000') {
          chunks.push(encoder.encode(`M 160000 ${file.commit} ${fastImportPath(path)}\n`));
        } else {
          chunks.push(encoder.encode(`M ${file.mode} inline ${fastImportPath(path)}\n`), ...dataOf(file.content));
        }
      }
      chunks.push(encoder.encode('\ndone\n'));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const input = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) {
        input.set(chunk, at);
        at += chunk.length;
      }
      gitBytes(['fast-import', '--quiet', '--done', '--date-format=raw'], { cwd: dir, input });
      const oid = gitText(['rev-parse', ref], { cwd: dir });
      if (spec.branch !== undefined) gitBytes(['update-ref', `refs/heads/${spec.branch}`, oid], { cwd: dir });
      return oid;
    },
    git: (args) => gitText(args, { cwd: dir }),
    gitBytes: (args) => gitBytes(args, { cwd: dir }),
    remove: () => made.remove(),
  };
}
