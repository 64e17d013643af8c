/**
 * Imports: a new repository filled from a smart-HTTP Git remote. The
 * repository exists at once with status `importing`; the transfer runs in
 * the background and ends in `ready`, or `failed` with the reason (and an
 * empty repository: nothing half-written). An import cut short by a stopped
 * server is marked failed when the server starts again.
 */
import { GroveError, isGroveError } from '../errors.ts';
import type { Codec } from '../git/codec.ts';
import { isValidRefName } from '../git/objects/refName.ts';
import { importRepository } from './importRepository.ts';
import { checkRemoteUrl } from './remoteUrl.ts';
import type { RepoRecord, RepoService } from './RepoService.ts';
import type { SqlPort } from '../store/sqlPort.ts';

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** How the server reaches remotes. */
export interface RemoteAccess {
  fetch: FetchFn;
  /** The addresses a host name resolves to. */
  lookup(host: string): Promise<string[]>;
  /** Allow remotes on loopback, private and link-local addresses. */
  allowPrivate: boolean;
}

export interface ImportOptions {
  namespace: string;
  name: string;
  url: string;
  branch?: string;
  depth?: number;
  /** Sent to the remote on every request (e.g. Authorization); never stored. */
  headers?: Record<string, string>;
  description?: string;
  readOnly?: boolean;
}

/** What an import may bring: the same limits a push has. */
export interface ImportLimits {
  maxRepoBytes?: number;
  maxObjectBytes?: number;
  /** Largest pack one transfer may bring (as for a push). */
  maxPackBytes?: number;
}

const MAX_HEADERS = 32;

export class ImportService {
  readonly #sql: SqlPort;
  readonly #repos: RepoService;
  readonly #remote: RemoteAccess;
  readonly #codec: Codec;
  readonly #running = new Map<string, { abort: AbortController; done: Promise<RepoRecord> }>();

  readonly #limits: ImportLimits;

  constructor(sql: SqlPort, repos: RepoService, remote: RemoteAccess, codec: Codec, limits: ImportLimits = {}) {
    this.#limits = limits;
    this.#sql = sql;
    this.#repos = repos;
    this.#remote = remote;
    this.#codec = codec;
    sql.run(`UPDATE repos SET status = 'failed', status_reason = 'the server stopped before the import ended' WHERE status = 'importing'`);
  }

  /** Creates the repository (status `importing`) and starts the transfer; `done` settles with its final record. */
  async start(options: ImportOptions): Promise<{ record: RepoRecord; done: Promise<RepoRecord> }> {
    if (options.branch !== undefined && !isValidRefName(`refs/heads/${options.branch}`)) {
      throw new GroveError('BAD_REF_NAME', `invalid branch name '${options.branch.slice(0, 80)}'`, { field: 'branch' });
    }
    if (options.depth !== undefined && !(Number.isInteger(options.depth) && options.depth >= 1 && options.depth <= 2 ** 31 - 1)) {
      throw new GroveError('BAD_REQUEST', 'depth must be a positive whole number', { field: 'depth' });
    }
    const headers = options.headers ?? {};
    if (Object.keys(headers).length > MAX_HEADERS) throw new GroveError('BAD_REQUEST', `at most ${MAX_HEADERS} headers`, { field: 'headers' });
    for (const [key, value] of Object.entries(headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/.test(key) || /[\r\n\0]/.test(value) || value.length > 8192) {
        throw new GroveError('BAD_REQUEST', `invalid header '${key.slice(0, 64)}'`, { field: 'headers' });
      }
    }
    const url = await checkRemoteUrl(options.url, this.#policy());
    const record = this.#repos.create({
      namespace: options.namespace,
      name: options.name,
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.readOnly === undefined ? {} : { readOnly: options.readOnly }),
      status: 'importing',
      source: { kind: 'import', url: url.href, branch: options.branch ?? null, depth: options.depth ?? null },
    });
    const abort = new AbortController();
    const done = this.#run(record, url, headers, options, abort.signal).finally(() => this.#running.delete(record.id));
    this.#running.set(record.id, { abort, done });
    return { record, done };
  }

  #policy(): { allowPrivate: boolean; lookup: (host: string) => Promise<string[]> } {
    return { allowPrivate: this.#remote.allowPrivate, lookup: (host) => this.#remote.lookup(host) };
  }

  /** Stops every running import (each ends `failed`) and waits for them. */
  async close(): Promise<void> {
    const running = [...this.#running.values()];
    for (const r of running) r.abort.abort(new GroveError('REMOTE_ERROR', 'the server stopped before the import ended'));
    await Promise.allSettled(running.map((r) => r.done));
  }

  async #run(record: RepoRecord, url: URL, headers: Record<string, string>, options: ImportOptions, signal: AbortSignal): Promise<RepoRecord> {
    const fetch: FetchFn = (input, init) => this.#remote.fetch(input, { ...init, signal });
    // The remote's progress ("Receiving objects: 45% …") shows as status_reason while importing, at most once a second.
    let shownAt = 0;
    const onProgress = (text: string): void => {
      const line = text.split(/[\r\n]+/).map((l) => l.trim()).filter((l) => l !== '').at(-1);
      const now = Date.now();
      if (line === undefined || now - shownAt < 1000) return;
      shownAt = now;
      this.#sql.run(`UPDATE repos SET status_reason = ? WHERE id = ? AND status = 'importing'`, line.slice(0, 200), record.id);
    };
    try {
      const open = this.#repos.open(record);
      let head: string | null;
      try {
        ({ head } = await importRepository(
          { repo: open.repo, objects: open.objects, codec: this.#codec },
          {
            url: url.href,
            headers,
            fetch,
            signal,
            onProgress,
            // Redirects are checked too: a public name must not lead to a private address.
            checkUrl: async (next) => void (await checkRemoteUrl(next.href, this.#policy())),
            maxPackBytes: Math.min(this.#limits.maxRepoBytes ?? Infinity, this.#limits.maxPackBytes ?? Infinity),
            ...(this.#limits.maxObjectBytes === undefined ? {} : { maxObjectBytes: this.#limits.maxObjectBytes }),
            ...(options.branch === undefined ? {} : { branch: options.branch }),
            ...(options.depth === undefined ? {} : { depth: options.depth }),
          },
        ));
      } finally {
        open.release();
      }
      const branch = head?.startsWith('refs/heads/') === true ? head.slice('refs/heads/'.length) : null;
      this.#sql.run(
        `UPDATE repos SET status = 'ready', status_reason = NULL, default_branch = coalesce(?, default_branch), updated_at = ?, last_push_at = ? WHERE id = ?`,
        branch, Date.now(), Date.now(), record.id,
      );
    } catch (err) {
      const reason = signal.aborted ? 'the server stopped before the import ended' : isGroveError(err) ? (err.code === 'REMOTE_ERROR' ? err.message : `${err.code}: ${err.message}`) : `unexpected failure: ${String(err)}`;
      this.#repos.setStatus(record, 'failed', reason.slice(0, 1000));
    }
    return this.#repos.find(record.namespace, record.name) ?? record;
  }
}
