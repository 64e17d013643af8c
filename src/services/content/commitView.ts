/**
 * A commit as the content API shows it: `{sha, tree, parents, author,
 * committer, message}`, each identity's `date` in ISO 8601 with the offset
 * git recorded, as `git log --format=%aI` prints it
 * (e.g. `2005-04-07T15:13:13-07:00`).
 */
import type { Commit } from '../../git/objects/commit.ts';
import type { Ident } from '../../git/objects/ident.ts';
import type { Oid } from '../../git/objects/objectId.ts';

export interface IdentView {
  name: string;
  email: string;
  date: string;
}

export interface CommitView {
  sha: Oid;
  tree: Oid;
  parents: Oid[];
  author: IdentView;
  committer: IdentView;
  message: string;
}

export function commitView(sha: Oid, commit: Commit): CommitView {
  return {
    sha,
    tree: commit.tree,
    parents: commit.parents,
    author: identView(commit.author),
    committer: identView(commit.committer),
    message: commit.message,
  };
}

export function identView(ident: Ident): IdentView {
  return { name: ident.name, email: ident.email, date: gitDate(ident.timestamp, ident.timezone) };
}

const TIMEZONE = /^([+-])(\d\d)(\d\d)$/;

/**
 * `timestamp` (seconds) in the zone `timezone` (`+hhmm`), as git 2.39's strict ISO 8601: UTC is `+00:00`
 * (also for a recorded `-0000`), an unreadable zone counts as UTC.
 */
export function gitDate(timestamp: number, timezone: string): string {
  const match = TIMEZONE.exec(timezone);
  const sign = match?.[1] ?? '+';
  const hours = match?.[2] ?? '00';
  const minutes = match?.[3] ?? '00';
  const offset = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  const local = new Date((timestamp + offset * 60) * 1000);
  if (Number.isNaN(local.getTime())) return new Date(0).toISOString().replace('.000Z', '+00:00');
  const year = local.getUTCFullYear();
  const yyyy = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(6, '0');
  const pad = (n: number): string => String(n).padStart(2, '0');
  const zone = offset === 0 ? '+00:00' : `${sign}${hours}:${minutes}`;
  return `${yyyy}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${zone}`;
}
