/**
 * The answer of a byte route (`…/files/{ref}/{path}`, `…/blobs/{sha}`,
 * `…/archive/{ref}.{format}`), its body not yet read: stream it with `body`,
 * or read it whole with `bytes()` or `text()` (once, either way). `size` is
 * the whole content's size (from `Content-Range` for a range, from
 * `Content-Length` otherwise; null when the server streams without one, as
 * for archives).
 */

export interface ContentRange {
  /** First byte sent, 0-based. */
  start: number;
  /** Last byte sent, inclusive. */
  end: number;
}

export class StreamedContent {
  /** 200 the content, 206 a range of it, 304 not modified (`ifNoneMatch` matched; empty body). */
  readonly status: number;
  /** The bytes, streamed as they come. */
  readonly body: ReadableStream<Uint8Array>;
  /** The sniffed `Content-Type` (files), `application/octet-stream` (blobs), `application/gzip` or `application/zip`. */
  readonly contentType: string | null;
  /** `ETag` as sent, e.g. `"<blob id>"`: pass it back as `ifNoneMatch`. */
  readonly etag: string | null;
  /** The whole content's size in bytes, when the server says. */
  readonly size: number | null;
  /** With a 206: the bytes sent. */
  readonly range: ContentRange | null;
  /** The file name of `Content-Disposition` (archives), else null. */
  readonly filename: string | null;

  constructor(response: Response) {
    this.status = response.status;
    this.body = response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
    const headers = response.headers;
    this.contentType = headers.get('content-type');
    this.etag = headers.get('etag');
    const contentRange = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers.get('content-range') ?? '');
    const length = headers.get('content-length');
    this.range = contentRange === null ? null : { start: Number(contentRange[1]), end: Number(contentRange[2]) };
    this.size = contentRange !== null ? Number(contentRange[3]) : response.status === 200 && length !== null && /^\d+$/.test(length) ? Number(length) : null;
    this.filename = /filename="([^"]*)"/.exec(headers.get('content-disposition') ?? '')?.[1] ?? null;
  }

  /** True for a 304: the content is the one `ifNoneMatch` named. */
  get notModified(): boolean {
    return this.status === 304;
  }

  /**
   * The whole body as bytes.
   *
   * ```ts
   * const data = await (await repo.file('main', 'logo.png')).bytes();
   * ```
   */
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await new Response(this.body).arrayBuffer());
  }

  /**
   * The whole body as UTF-8 text.
   *
   * ```ts
   * const readme = await (await repo.file('main', 'README.md')).text();
   * ```
   */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }
}
