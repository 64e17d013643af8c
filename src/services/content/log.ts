/**
 * A page of history (`GET …/log`): the commits `git log` lists for a
 * revision, optionally for one path, first parents only, or a date range
 * (walkLog.ts), `limit` at a time.
 *
 * The cursor pins the commit the walk started from, how many commits
 * earlier pages listed and the filters (a cursor is refused with others), so
 * a page continues the same listing even after the ref moved. Git's walk keeps state a cursor cannot carry (every commit it
 * has seen), so the next page walks again from the tip and skips what was
 * listed: exact, at the cost of re-reading the history before the page.
 */
import { GroveError } from '../../errors.ts';
import { parseCommit } from '../../git/objects/commit.ts';
import { isOid, type Oid } from '../../git/objects/objectId.ts';
import { withShallowBoundary } from '../../git/walk/withShallowBoundary.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { OpenRepository } from '../RepoService.ts';
import { commitView, type CommitView } from './commitView.ts';
import { parseRepoPath } from './parseRepoPath.ts';
import { resolveRevision } from './resolveRevision.ts';
import { walkLog } from './walkLog.ts';

export interface LogOptions {
  /** The revision to list from (default HEAD); ignored with a cursor, which pins it. */
  ref?: string;
  /** Only commits that change this file or folder, as `git log -- <path>` (taken literally: no glob patterns). */
  path?: string;
  /** 1-1000. */
  limit: number;
  cursor?: string;
  firstParent?: boolean;
  /** Seconds since the epoch: no commit with an older committer date, nor history beyond it. */
  since?: number;
  /** Seconds since the epoch: no commit with a newer committer date. */
  until?: number;
}

export interface LogPage {
  commits: CommitView[];
  nextCursor: string | null;
}

export const MAX_LOG_LIMIT = 1000;

export async function readLog(repo: OpenRepository, options: LogOptions): Promise<LogPage> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_LOG_LIMIT) {
    throw new GroveError('BAD_REQUEST', `limit must be a whole number from 1 to ${MAX_LOG_LIMIT}`, { field: 'limit' });
  }
  const path = parseRepoPath(options.path ?? '');
  const query = [path.join('/'), options.firstParent === true ? '1' : '0', options.since ?? '', options.until ?? ''].join(' ');
  const { tip, skip } = options.cursor === undefined
    ? { tip: (await resolveRevision(repo, options.ref ?? 'HEAD')).sha, skip: 0 }
    : await readCursor(repo, options.cursor, query);
  const objects = withShallowBoundary(repo.objects, new Set(repo.repo.shallowSync()));
  const walk = walkLog(objects, tip, {
    path,
    ...(options.firstParent === undefined ? {} : { firstParent: options.firstParent }),
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
  });
  const page: Oid[] = [];
  let listed = 0;
  let more = false;
  for await (const oid of walk) {
    if (listed++ < skip) continue;
    if (page.length === options.limit) {
      more = true;
      break;
    }
    page.push(oid);
  }
  await walk.return(undefined);
  const found = await repo.objects.readObjects(page);
  const commits = page.map((oid) => {
    const object = found.get(oid);
    if (object?.type !== 'commit') throw new GroveError('MISSING_OBJECT', `commit ${oid} is missing`, { sha: oid });
    return commitView(oid, parseCommit(object.data));
  });
  return { commits, nextCursor: more ? encodeCursor([tip, skip + page.length, query]) : null };
}

async function readCursor(repo: OpenRepository, cursor: string, query: string): Promise<{ tip: Oid; skip: number }> {
  const [tip, skip, made] = decodeCursor(cursor, ['string', 'number', 'string']) as [string, number, string];
  const invalid = (why: string): GroveError => new GroveError('BAD_REQUEST', `invalid cursor: ${why}`, { field: 'cursor' });
  if (!isOid(tip) || !Number.isSafeInteger(skip) || skip < 0) throw invalid('pass back the next_cursor of a previous page unchanged');
  if (made !== query) throw invalid('it belongs to a listing with another path, first_parent, since or until');
  if (!(await repo.objects.readCommits([tip])).has(tip)) throw invalid('its commit is not in this repository');
  return { tip, skip };
}
