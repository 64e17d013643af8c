/**
 * An archive of a revision (`GET …/archive/{ref}.tar.gz|.zip`), streamed:
 * the commit's tree under the folder `<repo>-<short id>/`, as tar (the bytes
 * `git archive --format=tar --prefix=<repo>-<short>/` writes) compressed with
 * `CompressionStream('gzip')`, or as zip with each file deflated
 * (archive/writeZip.ts). Objects are read as the stream is pulled, so a slow
 * client slows the reading and memory holds a batch of blobs at a time.
 */
import { GroveError } from '../../errors.ts';
import { parseCommit } from '../../git/objects/commit.ts';
import type { OpenRepository } from '../RepoService.ts';
import { archiveEntries } from './archive/archiveEntries.ts';
import type { ArchiveInfo } from './archive/ArchiveEntry.ts';
import { writeTar } from './archive/writeTar.ts';
import { writeZip } from './archive/writeZip.ts';
import { resolveRevision } from './resolveRevision.ts';

export type ArchiveFormat = 'tar.gz' | 'zip';

export const ARCHIVE_FORMATS: readonly ArchiveFormat[] = ['tar.gz', 'zip'];

export interface Archive {
  /** `<repo>-<short id>.<format>` */
  filename: string;
  contentType: string;
  /** The commit archived. */
  sha: string;
  body: ReadableStream<Uint8Array>;
}

export interface ArchiveOptions {
  /** Called once when the stream has ended, failed or been cancelled (e.g. to release the repository). */
  onEnd?: () => void;
}

/** Resolves `rev` at once (its errors are thrown here); the archive is produced as `body` is read. */
export async function openArchive(repo: OpenRepository, rev: string, format: ArchiveFormat, options: ArchiveOptions = {}): Promise<Archive> {
  const { sha } = await resolveRevision(repo, rev);
  const object = (await repo.objects.readObjects([sha])).get(sha);
  if (object?.type !== 'commit') throw new GroveError('MISSING_OBJECT', `commit ${sha} is missing`, { sha });
  const commit = parseCommit(object.data);
  const info: ArchiveInfo = { commit: sha, time: commit.committer.timestamp, offsetMinutes: offsetMinutes(commit.committer.timezone) };
  const base = `${repo.record.name}-${sha.slice(0, 7)}`;
  const entries = archiveEntries(repo.objects, commit.tree, new TextEncoder().encode(`${base}/`));
  const chunks = format === 'zip' ? writeZip(entries, info) : writeTar(entries, info);
  let body = streamOf(chunks, options.onEnd ?? (() => {}));
  if (format === 'tar.gz') body = body.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  return { filename: `${base}.${format}`, contentType: format === 'zip' ? 'application/zip' : 'application/gzip', sha, body };
}

/** A pull-driven stream of `chunks` that calls `onEnd` once, however it ends. */
function streamOf(chunks: AsyncGenerator<Uint8Array>, onEnd: () => void): ReadableStream<Uint8Array> {
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const step = await chunks.next();
        if (step.done) {
          end();
          controller.close();
        } else {
          controller.enqueue(step.value);
        }
      } catch (err) {
        end();
        controller.error(err);
      }
    },
    async cancel() {
      try {
        await chunks.return(undefined);
      } finally {
        end();
      }
    },
  }, { highWaterMark: 1 });
}

function offsetMinutes(timezone: string): number {
  const match = /^([+-])(\d\d)(\d\d)$/.exec(timezone);
  if (match === null) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}
