/**
 * A blob as an HTTP answer (RFC 9110): `ETag: "<blob id>"` — the id names the
 * bytes, so it is a strong validator —, `If-None-Match` answered 304 before
 * the blob is read, and one byte range (`Range: bytes=a-b`, `a-`, `-n`)
 * answered 206 with `Content-Range`. A range that starts past the end, or a
 * header asking for several ranges or that cannot be read, is 416 with
 * `Content-Range: bytes * /<size>` (and the error JSON, code RANGE_NOT_SATISFIABLE); a
 * range in another unit is ignored. The
 * bytes go out as the one array the store resolved (a range is a view of it).
 * Every answer carries a sandboxing Content-Security-Policy and nosniff, so
 * a repository's file cannot run script in this origin.
 */
import type { Oid } from '../../git/objects/objectId.ts';

export interface BlobAnswer {
  sha: Oid;
  /** Reads the bytes, only when they are to be sent. */
  read: () => Promise<Uint8Array>;
  /** Content-Type, from the bytes once read. */
  contentType: (data: Uint8Array) => string;
  /** Cache-Control (default `private, no-cache`). */
  cacheControl?: string;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'x-content-type-options': 'nosniff',
};

export async function blobResponse(request: Request, answer: BlobAnswer): Promise<Response> {
  const etag = `"${answer.sha}"`;
  const common: Record<string, string> = {
    etag,
    'accept-ranges': 'bytes',
    'cache-control': answer.cacheControl ?? 'private, no-cache',
    ...SECURITY_HEADERS,
  };
  if (matchesEtag(request.headers.get('if-none-match'), answer.sha)) return new Response(null, { status: 304, headers: common });
  const data = await answer.read();
  const headers = { ...common, 'content-type': answer.contentType(data) };
  const range = parseRange(request.headers.get('range'), data.length);
  if (range === 'unsatisfiable') {
    const error = { code: 'RANGE_NOT_SATISFIABLE', message: `range not satisfiable: the blob has ${data.length} bytes; ask for one range of them`, details: { field: 'range', size: data.length } };
    return new Response(JSON.stringify({ error }), {
      status: 416,
      headers: { ...common, 'content-type': 'application/json; charset=utf-8', 'content-range': `bytes */${data.length}` },
    });
  }
  if (range === null) return new Response(data as Uint8Array<ArrayBuffer>, { status: 200, headers: { ...headers, 'content-length': String(data.length) } });
  const part = data.subarray(range.start, range.end + 1);
  return new Response(part as Uint8Array<ArrayBuffer>, {
    status: 206,
    headers: { ...headers, 'content-length': String(part.length), 'content-range': `bytes ${range.start}-${range.end}/${data.length}` },
  });
}

/** True when an If-None-Match header lists this blob's tag (weak or strong) or is `*`. */
export function matchesEtag(header: string | null, sha: Oid): boolean {
  if (header === null) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === `"${sha}"` || t === `W/"${sha}"`;
  });
}

/** The one byte range a Range header asks for; null to send everything; 'unsatisfiable' for 416. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (header === null) return null;
  const value = header.trim();
  if (!/^bytes\s*=/i.test(value)) return null;
  const spec = value.slice(value.indexOf('=') + 1).trim();
  const match = /^(\d*)-(\d*)$/.exec(spec);
  if (match === null) return 'unsatisfiable';
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return 'unsatisfiable';
  if (first === '') {
    const length = Number(last);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || (last !== '' && Number(last) < start)) return 'unsatisfiable';
  return { start, end };
}
