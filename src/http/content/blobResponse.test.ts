import { describe, expect, it } from 'vitest';
import { blobResponse, matchesEtag, parseRange } from './blobResponse.ts';

describe('parseRange', () => {
  it('reads one byte range: a-b, a-, -n; clamps the end; ignores other units', () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=50-5000', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('items=0-1', 100)).toBeNull();
  });

  it('is unsatisfiable past the end, backwards, for several ranges or nonsense', () => {
    for (const header of ['bytes=100-', 'bytes=5-2', 'bytes=0-1,3-4', 'bytes=-0', 'bytes=-', 'bytes=a-b']) {
      expect(parseRange(header, 100), header).toBe('unsatisfiable');
    }
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
  });
});

describe('blobResponse', () => {
  const sha = 'a'.repeat(40);
  const data = new TextEncoder().encode('0123456789');
  const answer = (headers: Record<string, string>): Promise<Response> =>
    blobResponse(new Request('http://x/', { headers }), { sha, read: async () => data, contentType: () => 'text/plain' });

  it('matches If-None-Match lists, weak tags and *', () => {
    expect(matchesEtag(`"b", "${sha}"`, sha)).toBe(true);
    expect(matchesEtag(`W/"${sha}"`, sha)).toBe(true);
    expect(matchesEtag('*', sha)).toBe(true);
    expect(matchesEtag('"b"', sha)).toBe(false);
  });

  it('answers 200, 304, 206 and 416 with their headers', async () => {
    const whole = await answer({});
    expect([whole.status, whole.headers.get('etag'), await whole.text()]).toEqual([200, `"${sha}"`, '0123456789']);
    expect((await answer({ 'if-none-match': `"${sha}"` })).status).toBe(304);
    const part = await answer({ range: 'bytes=2-4' });
    expect([part.status, part.headers.get('content-range'), await part.text()]).toEqual([206, 'bytes 2-4/10', '234']);
    const refused = await answer({ range: 'bytes=10-' });
    expect([refused.status, refused.headers.get('content-range')]).toEqual([416, 'bytes */10']);
  });
});
