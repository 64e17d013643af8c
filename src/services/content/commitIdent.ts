/**
 * The author and committer of a commit made through the content API, from
 * `{name, email, date?}` as a request gives them. `date` is ISO 8601 with a
 * zone (`2005-04-07T15:13:13-07:00`, `…Z`), kept in git's form: seconds
 * since the epoch and the zone as `-0700`. Without a date: now, in UTC
 * (`+0000`). Without an identity: the configured default.
 *
 * Git's ident rules (ident.c, fsck.c `fsck_ident`): neither name nor email
 * may hold `<`, `>`, LF or NUL; the name may not be empty.
 */
import { GroveError } from '../../errors.ts';
import type { Ident } from '../../git/objects/ident.ts';

export interface IdentInput {
  name: string;
  email: string;
  /** ISO 8601 with a zone; default now. */
  date?: string;
}

/** Who commits when a request names nobody. */
export const DEFAULT_IDENTITY: Readonly<{ name: string; email: string }> = { name: 'Grove', email: 'grove@localhost' };

const FORBIDDEN = /[<>\n\0]/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** `input` as a git identity; BAD_REQUEST (`details.field`) for one git would refuse. */
export function commitIdent(input: IdentInput | undefined, fallback: { name: string; email: string }, nowMs: number, field: string): Ident {
  const { name, email } = input ?? fallback;
  if (name.trim() === '') throw bad(`${field}.name`, 'the name is empty');
  if (FORBIDDEN.test(name)) throw bad(`${field}.name`, 'a name cannot contain "<", ">", a line feed or NUL');
  if (FORBIDDEN.test(email)) throw bad(`${field}.email`, 'an email cannot contain "<", ">", a line feed or NUL');
  if (input?.date === undefined) return { name, email, timestamp: Math.floor(nowMs / 1000), timezone: '+0000' };
  return { name, email, ...parseDate(input.date, `${field}.date`) };
}

/** `2005-04-07T15:13:13-07:00` → { timestamp: 1112911993, timezone: '-0700' }. */
export function parseDate(date: string, field: string): { timestamp: number; timezone: string } {
  const match = ISO.exec(date);
  if (match === null) throw bad(field, `'${date.slice(0, 64)}' is not an ISO 8601 date with a time zone, e.g. 2005-04-07T15:13:13-07:00`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const zone = match[7]!;
  const digits = zone === 'Z' ? '0000' : zone.slice(1).replace(':', '');
  const offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59 || Number(digits.slice(2)) > 59) {
    throw bad(field, `'${date}' is not a valid date`);
  }
  const timestamp = local / 1000 - offsetMinutes * 60;
  if (timestamp < 0) throw bad(field, `'${date}' is before 1970`);
  return { timestamp, timezone: `${zone.startsWith('-') ? '-' : '+'}${digits}` };
}

function bad(field: string, why: string): GroveError {
  return new GroveError('BAD_REQUEST', `invalid ${field}: ${why}`, { field });
}

/**
 * The author and committer of a new commit: the committer as given or the
 * default identity, dated now unless a date is given; the author as given,
 * else the committer (as `git commit` does when no author is named).
 */
export function commitIdents(
  inputs: { author?: IdentInput | undefined; committer?: IdentInput | undefined },
  identity: { name: string; email: string } = DEFAULT_IDENTITY,
  nowMs: number = Date.now(),
): { author: Ident; committer: Ident } {
  const committer = commitIdent(inputs.committer, identity, nowMs, 'committer');
  const author = inputs.author === undefined ? committer : commitIdent(inputs.author, identity, nowMs, 'author');
  return { author, committer };
}
