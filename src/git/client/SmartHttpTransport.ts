/**
 * The HTTP half of the smart protocol, client side (gitprotocol-http):
 *
 *   S: GET $GIT_URL/info/refs?service=git-upload-pack   → 200,
 *      Content-Type: application/x-git-upload-pack-advertisement
 *   C: POST $GIT_URL/git-upload-pack                     → 200,
 *      Content-Type: application/x-git-upload-pack-result
 *
 * "Clients MUST validate the Content-Type [...] If the content type is not
 * [the advertisement type], the client MUST treat the server as a dumb
 * server" — Grove speaks only the smart protocol, so anything else (an HTML
 * page, a file server) is refused with a message saying so.
 *
 * Redirects are followed for the discovery GET only, as git does by default
 * (`http.followRedirects=initial`): the repository URL becomes the
 * redirected one, every target passes `checkUrl` first, and the caller's
 * headers (credentials) go only to the same host. Every HTTP or network
 * failure becomes a REMOTE_ERROR naming the remote without secrets.
 */
import { GroveError, isGroveError } from '../../errors.ts';
import { AGENT } from '../protocol/serverInfo.ts';
import { displayUrl, networkReason, remoteError } from './remoteError.ts';
import { responseChunks, type ResponseChunks } from './responseChunks.ts';

/** The WHATWG `fetch` signature (global `fetch` satisfies it; tests and runtimes pass their own). */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RemoteOptions {
  /** The repository, e.g. `https://github.com/owner/repo.git` (`/info/refs` and `/git-upload-pack` are appended). */
  url: string;
  fetch: FetchFunction;
  /** Sent with every request, e.g. `{ Authorization: 'Bearer …' }`; never put credentials in `url`. */
  headers?: Record<string, string>;
  /** Called with every URL before it is requested (redirect targets too); throws to refuse it. */
  checkUrl?: (url: URL) => Promise<void>;
  signal?: AbortSignal;
}

const ADVERTISEMENT_TYPE = 'application/x-git-upload-pack-advertisement';
const RESULT_TYPE = 'application/x-git-upload-pack-result';
const MAX_REDIRECTS = 5;
/**
 * Some Git hosts only speak the smart protocol to agents that look like git
 * (libgit2 sends "git/2.0 (libgit2 …)" for the same reason).
 */
const USER_AGENT = `git/2.0 (${AGENT})`;

export class SmartHttpTransport {
  readonly #fetch: FetchFunction;
  readonly #headers: Record<string, string>;
  readonly #checkUrl: ((url: URL) => Promise<void>) | undefined;
  readonly #signal: AbortSignal | undefined;
  /** The repository URL, without a trailing slash. */
  #base: URL;
  /** Whether the caller's headers still go with the requests (not after a redirect to another host). */
  #sendHeaders = true;

  constructor(options: RemoteOptions) {
    this.#base = repositoryUrl(options.url);
    this.#fetch = options.fetch;
    this.#headers = options.headers ?? {};
    this.#checkUrl = options.checkUrl;
    this.#signal = options.signal;
  }

  /** The repository URL as shown in messages (no secrets). */
  get url(): string {
    return displayUrl(this.#base);
  }

  /** The repository URL (after any redirect of the discovery request). */
  get base(): URL {
    return new URL(this.#base.href);
  }

  /** GET info/refs: the ref (v0) or capability (v2) advertisement. */
  async advertisement(version: 0 | 2): Promise<ResponseChunks> {
    let url = this.#at('info/refs');
    url.search = '?service=git-upload-pack';
    for (let redirects = 0; ; redirects++) {
      const response = await this.#send(url, {
        method: 'GET',
        headers: this.#requestHeaders({ accept: '*/*', pragma: 'no-cache', ...(version === 2 ? { 'git-protocol': 'version=2' } : {}) }),
      });
      const location = response.headers.get('location');
      if (!isRedirect(response.status) || location === null) {
        await this.#expectGit(response, ADVERTISEMENT_TYPE);
        return responseChunks(response, this.#base);
      }
      await response.body?.cancel().catch(() => {});
      if (redirects >= MAX_REDIRECTS) throw remoteError(this.#base, `more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, url);
      if (!next.pathname.endsWith('/info/refs')) {
        throw remoteError(this.#base, `redirects to ${displayUrl(next)}, which is not the advertisement of a Git repository`);
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw remoteError(this.#base, `redirects to a ${next.protocol} URL`);
      const sameHost = next.hostname === url.hostname && (next.protocol === url.protocol || next.protocol === 'https:');
      if (!sameHost) this.#sendHeaders = false;
      url = next;
      this.#base = new URL(next.href.slice(0, next.href.length - next.search.length - next.hash.length).replace(/\/info\/refs$/, ''));
    }
  }

  /** POST git-upload-pack with `body` (one v2 command, or one v0 negotiation round). */
  async uploadPack(body: Uint8Array, version: 0 | 2): Promise<ResponseChunks> {
    const url = this.#at('git-upload-pack');
    const response = await this.#send(url, {
      method: 'POST',
      headers: this.#requestHeaders({
        'content-type': 'application/x-git-upload-pack-request',
        accept: RESULT_TYPE,
        ...(version === 2 ? { 'git-protocol': 'version=2' } : {}),
      }),
      body: body as Uint8Array<ArrayBuffer>,
    });
    if (isRedirect(response.status)) {
      await response.body?.cancel().catch(() => {});
      throw remoteError(this.#base, `answered the POST to git-upload-pack with a redirect (HTTP ${response.status})`);
    }
    await this.#expectGit(response, RESULT_TYPE);
    return responseChunks(response, this.#base);
  }

  #at(path: string): URL {
    const url = new URL(this.#base.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
    return url;
  }

  #requestHeaders(own: Record<string, string>): Headers {
    let headers: Headers;
    try {
      headers = new Headers(this.#sendHeaders ? this.#headers : {});
    } catch (err) {
      throw new GroveError('BAD_REQUEST', `invalid request header: ${networkReason(err)}`, { field: 'headers' });
    }
    if (!headers.has('user-agent')) headers.set('user-agent', USER_AGENT);
    for (const [name, value] of Object.entries(own)) headers.set(name, value);
    return headers;
  }

  async #send(url: URL, init: RequestInit): Promise<Response> {
    await this.#checkUrl?.(url);
    try {
      return await this.#fetch(url.href, { ...init, redirect: 'manual', ...(this.#signal === undefined ? {} : { signal: this.#signal }) });
    } catch (err) {
      if (isGroveError(err)) throw err;
      const reason = this.#signal?.aborted === true ? 'the request was aborted' : `could not connect: ${networkReason(err)}`;
      throw remoteError(this.#base, reason, {}, err);
    }
  }

  /** Throws a REMOTE_ERROR unless `response` is a 200 of the Git content type `type` (its body then stays unread). */
  async #expectGit(response: Response, type: string): Promise<void> {
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (response.status === 200 && contentType === type) return;
    const text = contentType.startsWith('text/plain') ? await leadingText(response) : '';
    await response.body?.cancel().catch(() => {});
    const said = text === '' ? '' : ` (it says: ${text})`;
    const status = response.status;
    const fail = (message: string): GroveError => remoteError(this.#base, message, { status, contentType });
    if (status === 200) {
      const what = contentType === 'text/html' ? 'an HTML page' : contentType === '' ? 'a body without a Content-Type' : `Content-Type ${contentType}`;
      throw fail(`is not a smart Git HTTP server: it answered with ${what}, not ${type}${said}`);
    }
    if (status === 401) {
      const sent = this.#sendHeaders && Object.keys(this.#headers).some((h) => h.toLowerCase() === 'authorization');
      throw fail(sent ? `did not accept the credentials sent (HTTP 401)${said}` : `needs authentication (HTTP 401): pass credentials as a header, e.g. Authorization${said}`);
    }
    if (status === 403) throw fail(`refused access (HTTP 403)${said}`);
    if (status === 404) throw fail(`has no Git repository here (HTTP 404)${said}`);
    if (status >= 500) throw fail(`failed with HTTP ${status}${said}`);
    throw fail(`answered HTTP ${status}${said}`);
  }
}

/** The URL of a repository as given: http(s), no credentials, no query, no trailing slash. */
function repositoryUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new GroveError('BAD_REQUEST', `not a URL: ${JSON.stringify(text.slice(0, 200))}`, { field: 'url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new GroveError('BAD_REQUEST', `only http and https remotes are supported, not ${url.protocol}`, { field: 'url' });
  }
  if (url.username !== '' || url.password !== '') {
    throw new GroveError('BAD_REQUEST', 'the remote URL must not hold credentials: send them as a header (e.g. Authorization)', { field: 'url' });
  }
  if (url.search !== '') throw new GroveError('BAD_REQUEST', 'the remote URL must not have a query string', { field: 'url' });
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The first line of a short text body (at most 200 characters, printable only). */
async function leadingText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  let text = '';
  try {
    while (text.length < 200) {
      const step = await reader.read();
      if (step.done) break;
      text += new TextDecoder().decode(step.value);
    }
  } catch {
    // The status says enough.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return (text.split('\n')[0] ?? '').replace(/[^\x20-\x7e]/g, '').trim().slice(0, 200);
}
