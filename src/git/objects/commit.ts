/**
 * Commit objects. Git writes one as (commit.c `commit_tree_extended`):
 *
 *     tree <hex>
 *     parent <hex>              zero or more
 *     author <ident>
 *     committer <ident>
 *     encoding <name>           only when the message is not UTF-8
 *     mergetag <tag object>     merges of signed tags, continued lines start with SP
 *     gpgsig <signature>        signed commits, continued lines start with SP
 *
 *     <message>
 *
 * `parseCommit` reads the fields positionally, as git's `parse_commit_buffer`
 * does (parents are the `parent` lines right after `tree`); every header after
 * `committer` is kept in order in `extraHeaders`, so `serializeCommit` gives
 * back git's bytes. Text is UTF-8, except in a commit whose `encoding` names
 * another charset: there every byte maps to one char (U+0000..U+00FF) both
 * ways, which is exact for ISO-8859-1 and lossless for any other charset.
 * Not byte-exact: invalid UTF-8 in a commit without such an `encoding` header
 * (it reads as U+FFFD), upper-case hex ids, and a missing empty line before
 * an empty message.
 */
import { GroveError } from '../../errors.ts';
import { formatIdent, parseIdent, type Ident } from './ident.ts';
import { formatHeaderLine, parseHeaderLines, splitHeader } from './headerLines.ts';
import { isOid, type Oid } from './objectId.ts';
import { readHexOid } from './readHexOid.ts';

export interface Commit {
  tree: Oid;
  parents: Oid[];
  author: Ident;
  committer: Ident;
  /** Headers after `committer`, in order: `encoding`, `mergetag`, `gpgsig`... (multi-line values joined by LF). */
  extraHeaders: [string, string][];
  message: string;
}

/** What a history walk needs from a commit. */
export interface CommitLinks {
  tree: Oid;
  parents: Oid[];
  /** The committer timestamp (0 when it cannot be read, as in git). */
  time: number;
}

const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();
const HEX_OID = /^[0-9a-fA-F]{40}$/;

function bad(message: string): GroveError {
  return new GroveError('BAD_OBJECT', `malformed commit: ${message}`);
}

function isUtf8Name(encoding: string): boolean {
  const name = encoding.toLowerCase();
  return name === 'utf-8' || name === 'utf8';
}

function legacyEncoding(headers: readonly [string, string][]): boolean {
  for (const [key, value] of headers) if (key === 'encoding') return !isUtf8Name(value);
  return false;
}

/** One char per byte: the lossless reading of a commit in a non-UTF-8 charset. */
function decodeBytewise(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

function encodeBytewise(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new GroveError('BAD_OBJECT', 'a commit with a non-UTF-8 encoding header must hold only chars U+0000..U+00FF');
    bytes[i] = code;
  }
  return bytes;
}

function hexField(fields: readonly [string, string][], index: number, key: string): Oid | undefined {
  const field = fields[index];
  if (field === undefined || field[0] !== key) return undefined;
  if (!HEX_OID.test(field[1])) throw bad(`bad ${key} id "${field[1].slice(0, 60)}"`);
  return field[1].toLowerCase();
}

function identField(fields: readonly [string, string][], index: number, key: string): Ident {
  const field = fields[index];
  if (field === undefined || field[0] !== key) throw bad(`expected a '${key}' line`);
  return parseIdent(field[1]);
}

function commitFromText(header: string, message: string): Commit {
  const fields = parseHeaderLines(header);
  const tree = hexField(fields, 0, 'tree');
  if (tree === undefined) throw bad("expected a 'tree' line first");
  const parents: Oid[] = [];
  let i = 1;
  for (let parent = hexField(fields, i, 'parent'); parent !== undefined; parent = hexField(fields, ++i, 'parent')) {
    parents.push(parent);
  }
  const author = identField(fields, i++, 'author');
  const committer = identField(fields, i++, 'committer');
  return { tree, parents, author, committer, extraHeaders: fields.slice(i), message };
}

/** Parses a commit object's content. Throws BAD_OBJECT when it lacks its tree, author or committer. */
export function parseCommit(data: Uint8Array): Commit {
  const { header, message } = splitHeader(data);
  const commit = commitFromText(utf8Decoder.decode(header), utf8Decoder.decode(message));
  if (!legacyEncoding(commit.extraHeaders)) return commit;
  return commitFromText(decodeBytewise(header), decodeBytewise(message));
}

/** The content git stores for `commit` (its id is the hash of `commit` + size + this). */
export function serializeCommit(commit: Commit): Uint8Array {
  if (!isOid(commit.tree)) throw new GroveError('BAD_OBJECT', `bad tree id "${commit.tree}"`);
  let text = `tree ${commit.tree}\n`;
  for (const parent of commit.parents) {
    if (!isOid(parent)) throw new GroveError('BAD_OBJECT', `bad parent id "${parent}"`);
    text += `parent ${parent}\n`;
  }
  text += `author ${formatIdent(commit.author)}\ncommitter ${formatIdent(commit.committer)}\n`;
  for (const [key, value] of commit.extraHeaders) text += formatHeaderLine(key, value);
  text += `\n${commit.message}`;
  return legacyEncoding(commit.extraHeaders) ? encodeBytewise(text) : utf8Encoder.encode(text);
}

const LF = 0x0a;
const TREE = [0x74, 0x72, 0x65, 0x65, 0x20]; // "tree "
const PARENT = [0x70, 0x61, 0x72, 0x65, 0x6e, 0x74, 0x20]; // "parent "
const AUTHOR = [0x61, 0x75, 0x74, 0x68, 0x6f, 0x72]; // "author"
const COMMITTER = [0x63, 0x6f, 0x6d, 0x6d, 0x69, 0x74, 0x74, 0x65, 0x72]; // "committer"

function hasPrefix(data: Uint8Array, offset: number, prefix: readonly number[]): boolean {
  if (offset + prefix.length > data.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[offset + i] !== prefix[i]) return false;
  return true;
}

/** Like git's `parse_commit_date`: the number after the first '>' of a `committer` line right after `author`. */
function committerTime(data: Uint8Array, offset: number): number {
  if (!hasPrefix(data, offset, AUTHOR)) return 0;
  let pos = data.indexOf(LF, offset);
  if (pos < 0 || !hasPrefix(data, pos + 1, COMMITTER)) return 0;
  const gt = data.indexOf(0x3e, pos + 1);
  const eol = data.indexOf(LF, pos + 1);
  if (gt < 0 || eol < gt) return 0;
  pos = gt + 1;
  while (data[pos] === 0x20) pos++;
  let time = 0;
  for (let digit = data[pos]! - 0x30; digit >= 0 && digit <= 9; digit = data[++pos]! - 0x30) time = time * 10 + digit;
  return time;
}

/** Only the header lines a history walk needs (tree, parents, committer time); much cheaper than `parseCommit`. */
export function readCommitLinks(data: Uint8Array): CommitLinks {
  const tree = hasPrefix(data, 0, TREE) ? readHexOid(data, 5) : undefined;
  if (tree === undefined || data[45] !== LF) throw bad("expected a 'tree' line first");
  const parents: Oid[] = [];
  let pos = 46;
  while (hasPrefix(data, pos, PARENT)) {
    const parent = readHexOid(data, pos + 7);
    if (parent === undefined || data[pos + 47] !== LF) throw bad('bad parent line');
    parents.push(parent);
    pos += 48;
  }
  return { tree, parents, time: committerTime(data, pos) };
}
