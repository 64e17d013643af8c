/**
 * Reads the `filter <filter-spec>` of a fetch request (gitprotocol-v2,
 * "filter <filter-spec>: Request that various objects from the packfile be
 * omitted using one of several filtering techniques"), as git's
 * list-objects-filter-options.c parses it:
 *
 *   blob:none | blob:limit=<n>[kmg] | tree:<depth> | combine:<f1>+<f2>+...
 *
 * Numbers are unsigned C literals in any base (`strtoumax(.., 0)`), with an
 * optional k, m or g suffix (case-insensitive, powers of 1024). Sub-filters
 * of `combine:` are URL-encoded and may not hold the reserved characters
 * unencoded.
 *
 * Grove serves blob:none, blob:limit and tree:<depth>, and `combine:` of the
 * blob filters. `sparse:oid=` and `object:type=` are refused by name, and so
 * is `combine:` with a tree filter: git's combine walks mark objects seen per
 * sub-filter in its own traversal order, which Grove's walk does not
 * reproduce, and a different pack is worse than a clear refusal.
 */
import { GroveError } from '../../errors.ts';
import type { ObjectFilter } from '../walk/objectFilter.ts';

const RESERVED = '~`!@#$^&*()[]{}\\;\'",<>?';

export function parseFilterSpec(spec: string): ObjectFilter {
  const filter = parseOne(spec, spec);
  if (filter.kind === 'combine' && filter.filters.some((f) => f.kind !== 'blob:none' && f.kind !== 'blob:limit')) {
    throw unsupported(spec);
  }
  return filter;
}

function parseOne(spec: string, whole: string): ObjectFilter {
  if (spec === 'blob:none') return { kind: 'blob:none' };
  if (spec.startsWith('blob:limit=')) {
    const bytes = parseUnsigned(spec.slice('blob:limit='.length));
    if (bytes !== null) return { kind: 'blob:limit', bytes };
  } else if (spec.startsWith('tree:')) {
    const depth = parseUnsigned(spec.slice('tree:'.length));
    if (depth === null) throw new GroveError('PROTOCOL_ERROR', `expected 'tree:<depth>'`);
    return { kind: 'tree', depth };
  } else if (spec.startsWith('sparse:oid=') || spec.startsWith('object:type=')) {
    throw unsupported(whole);
  } else if (spec.startsWith('sparse:path=')) {
    throw new GroveError('PROTOCOL_ERROR', 'sparse:path filters support has been dropped');
  } else if (spec.startsWith('combine:')) {
    const parts = splitSubSpecs(spec.slice('combine:'.length));
    if (parts.length === 0) throw new GroveError('PROTOCOL_ERROR', 'expected something after combine:');
    return { kind: 'combine', filters: parts.map((part) => parseOne(decodeSubSpec(part), whole)) };
  }
  throw new GroveError('PROTOCOL_ERROR', `invalid filter-spec '${spec.slice(0, 200)}'`);
}

/** `a+b+c` → a, b, c as git's `strbuf_split_str` cuts it: a `+` ending the text stays on the last part. */
function splitSubSpecs(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let at = text.indexOf('+'); at >= 0; at = text.indexOf('+', start)) {
    parts.push(text.slice(start, at + 1));
    start = at + 1;
  }
  if (start < text.length) parts.push(text.slice(start));
  return parts.map((part, i) => (i < parts.length - 1 ? part.slice(0, -1) : part));
}

/** A sub-filter of `combine:`: reserved characters must be %-encoded, which is then undone. */
function decodeSubSpec(part: string): string {
  for (const char of part) {
    if (char <= ' ' || RESERVED.includes(char)) throw new GroveError('PROTOCOL_ERROR', `must escape char in sub-filter-spec: '${char}'`);
  }
  return part.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** git's `git_parse_ulong`: a whole unsigned C literal with an optional k/m/g factor, or null. */
export function parseUnsigned(text: string): number | null {
  if (text.includes('-')) return null;
  const match = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([kKmMgG]?)$/.exec(text);
  if (match === null) return null;
  const digits = match[1]!;
  const value = /^0[xX]/.test(digits) ? BigInt(digits)
    : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`)
    : BigInt(digits);
  const factor = { '': 1n, k: 1024n, m: 1024n ** 2n, g: 1024n ** 3n }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const result = value * factor;
  return result > 0xffff_ffff_ffff_ffffn ? null : Number(result);
}

function unsupported(spec: string): GroveError {
  return new GroveError('PROTOCOL_ERROR', `filter '${spec.slice(0, 200)}' not supported`, { filter: spec.slice(0, 200) });
}
