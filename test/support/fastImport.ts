/**
 * Builds a `git fast-import` stream and feeds it to git. From git-fast-import(1):
 *
 *   blob LF mark? data
 *   commit SP <ref> LF mark? author? committer data from? merge* filemodify* LF?
 *   tag SP <name> LF mark? from tagger data
 *   reset SP <ref> LF (from SP <commit-ish> LF)? LF?
 *   data SP <count> LF <raw> LF?
 *
 * Dates use `--date-format=raw` (`<seconds> +0000`).
 */
import { git } from './git.ts';

const encoder = new TextEncoder();

export interface Identity {
  name: string;
  email: string;
}

export const IDENTITY: Identity = { name: 'Grove Test', email: 'test@grove.invalid' };

export class FastImportStream {
  readonly #chunks: Uint8Array[] = [];
  #nextMark = 1;

  /** Appends text verbatim. */
  line(text: string): this {
    this.#chunks.push(encoder.encode(`${text}\n`));
    return this;
  }

  /** Appends a `data` command with its payload. */
  data(payload: string | Uint8Array): this {
    const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
    this.#chunks.push(encoder.encode(`data ${bytes.length}\n`), bytes, encoder.encode('\n'));
    return this;
  }

  /** Allocates a fresh mark number. */
  mark(): number {
    return this.#nextMark++;
  }

  /** A `blob` command; returns its mark. */
  blob(payload: string | Uint8Array): number {
    const mark = this.mark();
    this.line('blob').line(`mark :${mark}`).data(payload);
    return mark;
  }

  /** `author`/`committer`/`tagger` line value at a raw time. */
  static who(time: number, who: Identity = IDENTITY): string {
    return `${who.name} <${who.email}> ${time} +0000`;
  }

  bytes(): Uint8Array {
    const total = this.#chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/** Runs `git fast-import` in `repoDir` on the stream; `force` lets it rewind branches. */
export async function runFastImport(repoDir: string, stream: FastImportStream, force = false): Promise<void> {
  stream.line('done');
  const args = ['fast-import', '--quiet', '--done', '--date-format=raw', ...(force ? ['--force'] : [])];
  await git(args, { cwd: repoDir, input: stream.bytes() });
}
