/**
 * Fills a new, empty repository from any smart-HTTP Git remote (GitHub, C
 * Git's `git http-backend`, another Grove) with Grove's own client
 * (src/git/client): discover the refs (protocol v2, or v0), fetch one pack
 * of everything wanted in one request, and take it in exactly as a push is
 * taken in — every object hashed and checked, staged, the history checked
 * for completeness, then every ref, HEAD and the shallow boundary written in
 * one transaction. Any failure leaves the repository as it was.
 *
 * What is imported: every branch and every tag; or, with `branch`, that
 * branch and the tags that point into what it brings (git's tag following,
 * `include-tag` — as `git clone --single-branch` does). HEAD follows the
 * remote's HEAD (or is `branch`). With `depth`, the repository is shallow:
 * its boundary commits are kept (Repository.shallowSync) and served to
 * clients as git serves a shallow repository. A remote that is itself
 * shallow gives a shallow repository too.
 *
 * Refs git itself would not accept as names are skipped, as `git fetch`
 * skips them ("ignoring ref with broken name"), with a progress note.
 *
 * @example
 * const result = await importRepository(
 *   { repo, objects: repo.objects, codec },
 *   { url: 'https://github.com/owner/project.git', fetch, headers: { Authorization: `Bearer ${token}` }, depth: 1 },
 * );
 * // { head: 'refs/heads/main', refs: 12, objects: 3456, shallow: ['…'] }
 */
import { GroveError, isGroveError } from '../errors.ts';
import type { Codec } from '../git/codec.ts';
import { discoverRemote } from '../git/client/discoverRemote.ts';
import { fetchPack } from '../git/client/fetchPack.ts';
import type { RemoteInfo } from '../git/client/RemoteInfo.ts';
import type { FetchFunction } from '../git/client/SmartHttpTransport.ts';
import { ZERO_OID, type Oid } from '../git/objects/objectId.ts';
import { isValidRefName } from '../git/objects/refName.ts';
import { indexPack } from '../git/pack/indexPack.ts';
import type { ObjectStore, Ref } from '../git/ports.ts';
import { commitPush } from '../git/protocol/commitPush.ts';
import type { PushCommand } from '../git/protocol/parseReceivePackRequest.ts';
import { INFINITE_DEPTH } from '../git/protocol/shallowRequest.ts';
import type { Repository } from '../store/Repository.ts';

export interface ImportTarget {
  /** The new repository: no refs but HEAD. */
  repo: Repository;
  /** Its objects (what indexing and the connectivity check read). */
  objects: ObjectStore;
  codec: Codec;
}

export interface ImportRepositoryOptions {
  /** The remote repository, e.g. `https://github.com/owner/project.git`; no credentials in it. */
  url: string;
  /** The WHATWG fetch the requests go through. */
  fetch: FetchFunction;
  /** Sent with every request to the remote (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Import only this branch (a short name: `main`) and the tags pointing into it. */
  branch?: string;
  /** Import only this many commits of history below each tip (a shallow repository). */
  depth?: number;
  /** Largest pack accepted, in bytes (PAYLOAD_TOO_LARGE past it); default unbounded. */
  maxPackBytes?: number;
  /** Largest object accepted, in bytes (OBJECT_TOO_LARGE past it). */
  maxObjectBytes?: number;
  /** Receives the remote's progress messages. */
  onProgress?: (text: string) => void;
  /** Called with every URL before it is requested, redirects included (e.g. the remote URL policy); throws to refuse. */
  checkUrl?: (url: URL) => Promise<void>;
  signal?: AbortSignal;
  /** 2 (default): protocol v2 when the remote speaks it, else v0; 0: v0 only. */
  protocol?: 0 | 2;
}

export interface ImportResult {
  /** The ref HEAD points at after the import (null if the repository has no symbolic HEAD). */
  head: string | null;
  /** Refs written (branches and tags). */
  refs: number;
  /** Objects received. */
  objects: number;
  /** The repository's shallow commits, sorted (empty unless shallow). */
  shallow: Oid[];
}

interface Selection {
  branches: Ref[];
  tags: Ref[];
  /** The branch HEAD should point at; null to leave HEAD as it is. */
  head: string | null;
}

export async function importRepository(target: ImportTarget, options: ImportRepositoryOptions): Promise<ImportResult> {
  checkOptions(options);
  const before = target.repo.listRefsSync();
  const existing = before.find((r) => r.name !== 'HEAD');
  if (existing !== undefined) throw new GroveError('REF_CONFLICT', `the repository is not empty (it has ${existing.name}): an import needs an empty repository`);
  const currentHead = before.find((r) => r.name === 'HEAD')?.target ?? null;

  const remote = await discoverRemote({
    url: options.url,
    fetch: options.fetch,
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.checkUrl === undefined ? {} : { checkUrl: options.checkUrl }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
    refPrefixes: options.branch === undefined ? ['refs/heads/', 'refs/tags/'] : [`refs/heads/${options.branch}`, 'refs/tags/'],
  });
  const selection = selectRefs(remote, options, currentHead);
  const wants = options.branch === undefined
    ? [...new Set([...selection.branches, ...selection.tags].map((r) => r.oid!))]
    : selection.branches.map((r) => r.oid!);
  if (wants.length === 0) {
    // An empty remote: nothing to fetch; HEAD still names the remote's (unborn) branch.
    if (selection.head !== null && selection.head !== currentHead) target.repo.setHead(selection.head);
    return { head: selection.head ?? currentHead, refs: 0, objects: 0, shallow: [] };
  }

  const maxPackBytes = options.maxPackBytes;
  const fetched = await fetchPack(remote, {
    wants,
    includeTag: options.branch !== undefined,
    ...(options.depth === undefined ? {} : { depth: options.depth }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    // The side-band framing adds 5 bytes a packet; progress messages and the shallow list get some room too.
    ...(maxPackBytes === undefined ? {} : { maxResponseBytes: maxPackBytes + Math.ceil(maxPackBytes / 8192) + 64 * 1024 * 1024 }),
  });
  let finish: { head: string | null; shallow: Oid[] } = { head: null, shallow: [] };
  const staging = target.repo.beginImport(() => finish);
  try {
    const index = await indexPack(fetched.pack, target.codec, staging, target.objects, {
      ...(maxPackBytes === undefined ? {} : { maxBytes: maxPackBytes }),
      ...(options.maxObjectBytes === undefined ? {} : { maxObjectBytes: options.maxObjectBytes }),
    }).catch((err: unknown) => {
      throw fromRemote(remote, err);
    });
    // Clone keeps "any shallow points that exist in the pack" (fetch-pack.c, update_shallow).
    const shallow = [...new Set([...fetched.shallow, ...remote.shallow])].filter((oid) => index.typeOf(oid) === 'commit').sort();
    const tags = options.branch === undefined ? selection.tags : selection.tags.filter((r) => index.typeOf(r.oid!) !== undefined);
    const commands: PushCommand[] = [...selection.branches, ...tags].map((r) => ({ old: ZERO_OID, new: r.oid!, name: r.name }));
    finish = { head: selection.head, shallow };
    const report = await commitPush(target.objects, staging, commands, index, { atomic: true, acceptShallow: shallow });
    const refused = report.refs.find((r) => !r.ok && r.reason !== 'atomic push failure') ?? report.refs.find((r) => !r.ok);
    if (refused !== undefined) throw refusal(remote, refused.name, refused.reason ?? 'refused');
    return { head: selection.head ?? currentHead, refs: commands.length, objects: index.types.size, shallow };
  } finally {
    staging.discard();
    await fetched.cancel();
  }
}

function checkOptions(options: ImportRepositoryOptions): void {
  if (options.branch !== undefined && !isValidRefName(`refs/heads/${options.branch}`)) {
    throw new GroveError('BAD_REF_NAME', `invalid branch name '${options.branch.slice(0, 80)}'`, { field: 'branch' });
  }
  if (options.depth !== undefined && !(Number.isInteger(options.depth) && options.depth >= 1 && options.depth <= INFINITE_DEPTH)) {
    throw new GroveError('BAD_REQUEST', 'depth must be a whole number from 1 to 2147483647', { field: 'depth' });
  }
  if (options.maxPackBytes !== undefined && !(options.maxPackBytes >= 0)) {
    throw new GroveError('INTERNAL', `bad maxPackBytes ${options.maxPackBytes}`);
  }
}

/** The branches and tags to import, and where HEAD goes. */
function selectRefs(remote: RemoteInfo, options: ImportRepositoryOptions, currentHead: string | null): Selection {
  const direct = remote.refs.filter((r) => r.name !== 'HEAD' && r.oid !== null && r.target === undefined);
  const named = direct.filter((r) => {
    if (isValidRefName(r.name)) return true;
    options.onProgress?.(`warning: ignoring ref with broken name ${JSON.stringify(r.name.slice(0, 200))}\n`);
    return false;
  });
  const tags = named.filter((r) => r.name.startsWith('refs/tags/'));
  if (options.branch !== undefined) {
    const name = `refs/heads/${options.branch}`;
    const branch = named.find((r) => r.name === name);
    if (branch === undefined) {
      throw new GroveError('NOT_FOUND', `remote ${remote.transport.url} has no branch '${options.branch}'`, { branch: options.branch, url: remote.transport.url });
    }
    return { branches: [branch], tags, head: name };
  }
  const branches = named.filter((r) => r.name.startsWith('refs/heads/'));
  return { branches, tags, head: chooseHead(remote.refs.find((r) => r.name === 'HEAD'), branches, currentHead) };
}

/**
 * HEAD: the remote's HEAD branch when it names one (even an unborn one, for
 * an empty remote); for a detached HEAD, a branch at the same commit, as
 * `git clone` guesses (`guess_remote_head`: the default names first);
 * otherwise the current HEAD if that branch comes, else main, master or the
 * first branch.
 */
function chooseHead(head: Ref | undefined, branches: readonly Ref[], currentHead: string | null): string | null {
  if (head?.target !== undefined && head.target.startsWith('refs/heads/') && isValidRefName(head.target)) {
    if (head.oid === null || branches.some((b) => b.name === head.target)) return head.target;
  }
  const preferred = (candidates: readonly Ref[]): string | null => {
    for (const name of [currentHead, 'refs/heads/main', 'refs/heads/master']) {
      if (candidates.some((b) => b.name === name)) return name;
    }
    return candidates[0]?.name ?? null;
  };
  if (head?.oid != null) {
    const same = preferred(branches.filter((b) => b.oid === head.oid));
    if (same !== null) return same;
  }
  return preferred(branches);
}

/** An error of the pack's reception, as the import reports it: naming the remote. */
function fromRemote(remote: RemoteInfo, err: unknown): unknown {
  if (!isGroveError(err) || err.code === 'REMOTE_ERROR' || err.code === 'INTERNAL') return err;
  const message = `remote ${remote.transport.url}: ${err.code === 'BAD_PACK' ? 'sent a bad pack: ' : ''}${err.message}`;
  const code = err.code === 'BAD_PACK' || err.code === 'PROTOCOL_ERROR' ? 'REMOTE_ERROR' : err.code;
  return new GroveError(code, message, { ...err.details, url: remote.transport.url }, { cause: err });
}

/** Why the refs could not be written, as an error. */
function refusal(remote: RemoteInfo, ref: string, reason: string): GroveError {
  const url = remote.transport.url;
  if (reason === 'missing necessary objects') {
    return new GroveError('REMOTE_ERROR', `remote ${url}: sent an incomplete pack (${ref}: missing necessary objects)`, { url, ref });
  }
  if (reason === 'reference already exists' || reason.startsWith('failed to update ref')) {
    return new GroveError('REF_CONFLICT', `the repository changed during the import (${ref}: ${reason})`, { ref });
  }
  return new GroveError('REMOTE_ERROR', `remote ${url}: ${ref} cannot be imported: ${reason}`, { url, ref, reason });
}
