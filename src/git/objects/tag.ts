/**
 * Annotated tag objects. Git writes one as (builtin/tag.c, git-mktag(1)):
 *
 *     object <hex>
 *     type <commit|tree|blob|tag>
 *     tag <name>
 *     tagger <ident>            missing only in very old tags
 *
 *     <message>                 a signed tag's signature is appended to it
 *
 * Headers after `tagger` (git writes none) are kept in `extraHeaders`, so
 * `serializeTag(parseTag(data))` gives back git's bytes.
 */
import { GroveError } from '../../errors.ts';
import { isObjectType, type ObjectType } from './gitObject.ts';
import { formatHeaderLine, parseHeaderLines, splitHeader } from './headerLines.ts';
import { formatIdent, parseIdent, type Ident } from './ident.ts';
import { isOid, type Oid } from './objectId.ts';

export interface Tag {
  object: Oid;
  type: ObjectType;
  /** The tag's name, without `refs/tags/`. */
  tag: string;
  tagger?: Ident;
  /** Headers after `tagger`, in order (multi-line values joined by LF). */
  extraHeaders: [string, string][];
  message: string;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();
const HEX_OID = /^[0-9a-fA-F]{40}$/;

function bad(message: string): GroveError {
  return new GroveError('BAD_OBJECT', `malformed tag: ${message}`);
}

function field(fields: readonly [string, string][], index: number, key: string): string {
  const found = fields[index];
  if (found === undefined || found[0] !== key) throw bad(`expected a '${key}' line`);
  return found[1];
}

/** Parses a tag object's content. Throws BAD_OBJECT when its object, type or tag line is missing or bad. */
export function parseTag(data: Uint8Array): Tag {
  const { header, message } = splitHeader(data);
  const fields = parseHeaderLines(decoder.decode(header));
  const object = field(fields, 0, 'object');
  if (!HEX_OID.test(object)) throw bad(`bad object id "${object.slice(0, 60)}"`);
  const type = field(fields, 1, 'type');
  if (!isObjectType(type)) throw bad(`unknown type "${type.slice(0, 60)}"`);
  const tag: Tag = { object: object.toLowerCase(), type, tag: field(fields, 2, 'tag'), extraHeaders: [], message: decoder.decode(message) };
  let rest = 3;
  if (fields[3]?.[0] === 'tagger') {
    tag.tagger = parseIdent(fields[3][1]);
    rest = 4;
  }
  tag.extraHeaders = fields.slice(rest);
  return tag;
}

/** The content git stores for `tag`. */
export function serializeTag(tag: Tag): Uint8Array {
  if (!isOid(tag.object)) throw new GroveError('BAD_OBJECT', `bad tagged object id "${tag.object}"`);
  if (!isObjectType(tag.type)) throw new GroveError('BAD_OBJECT', `bad tagged object type "${String(tag.type)}"`);
  if (tag.tag === '' || /[\n\0]/.test(tag.tag)) throw new GroveError('BAD_OBJECT', `bad tag name ${JSON.stringify(tag.tag)}`);
  let text = `object ${tag.object}\ntype ${tag.type}\ntag ${tag.tag}\n`;
  if (tag.tagger !== undefined) text += `tagger ${formatIdent(tag.tagger)}\n`;
  for (const [key, value] of tag.extraHeaders) text += formatHeaderLine(key, value);
  return encoder.encode(`${text}\n${tag.message}`);
}
