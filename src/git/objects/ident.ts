/**
 * Identities: the value of a commit's `author`/`committer` header and of a
 * tag's `tagger` header.
 *
 * Git spells one as (see `fsck_ident` in git's fsck.c, and git-commit-tree(1)
 * "DATE FORMATS", internal format):
 *
 *     <name> SP "<" <email> ">" SP <seconds since the epoch> SP <+|-><hhmm>
 *
 * where neither name nor email contains "<", ">" or LF. Git trims the name, so
 * the single space before "<" is a separator, not part of the name.
 *
 * `parseIdent` reads what git writes (and tolerates an odd time zone, which
 * old repositories contain); `formatIdent` only writes idents that
 * `git fsck --strict` accepts. A timestamp above 2^53 loses precision.
 */
import { GroveError } from '../../errors.ts';

export interface Ident {
  name: string;
  email: string;
  /** Seconds since the Unix epoch. */
  timestamp: number;
  /** The offset from UTC as git writes it, e.g. "+0100" or "-0430". */
  timezone: string;
}

const TAIL = /^ ([0-9]+) ([^ ]+)$/;
const TIMEZONE = /^[+-][0-9]{4}$/;
const FORBIDDEN = /[<>\n\0]/;

function badIdent(text: string, why: string): GroveError {
  return new GroveError('BAD_OBJECT', `malformed identity "${text.slice(0, 200)}": ${why}`);
}

/** Parses `Name <email> 1700000000 +0000` (a header value, without the header name or LF). */
export function parseIdent(text: string): Ident {
  const lt = text.indexOf('<');
  if (lt < 0) throw badIdent(text, 'missing "<"');
  const gt = text.indexOf('>', lt + 1);
  if (gt < 0) throw badIdent(text, 'missing ">"');
  const match = TAIL.exec(text.slice(gt + 1));
  if (match === null) throw badIdent(text, 'expected " <seconds> <timezone>" after the email');
  const name = text.charCodeAt(lt - 1) === 0x20 ? text.slice(0, lt - 1) : text.slice(0, lt);
  return { name, email: text.slice(lt + 1, gt), timestamp: Number(match[1]), timezone: match[2]! };
}

/** The header value git writes for `ident`; throws BAD_OBJECT for one `git fsck` would refuse. */
export function formatIdent(ident: Ident): string {
  const { name, email, timestamp, timezone } = ident;
  if (FORBIDDEN.test(name)) throw new GroveError('BAD_OBJECT', 'an identity name cannot contain "<", ">", LF or NUL');
  if (FORBIDDEN.test(email)) throw new GroveError('BAD_OBJECT', 'an email cannot contain "<", ">", LF or NUL');
  if (!Number.isInteger(timestamp) || timestamp < 0 || timestamp >= 2 ** 63) {
    throw new GroveError('BAD_OBJECT', `bad timestamp ${timestamp}: expected whole seconds since the epoch`);
  }
  if (!TIMEZONE.test(timezone)) throw new GroveError('BAD_OBJECT', `bad time zone "${timezone}": expected +hhmm or -hhmm`);
  return `${name} <${email}> ${BigInt(timestamp)} ${timezone}`;
}
