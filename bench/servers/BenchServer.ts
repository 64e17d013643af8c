/**
 * A Git server as the benchmarks drive it: Grove (startGroveServer.ts) or C
 * Git's `git http-backend` behind a Node CGI wrapper (startCGitServer.ts), each
 * a process of its own on 127.0.0.1.
 */
import type { Corpus } from '../corpus/ensureCorpus.ts';

export type ServerName = 'grove' | 'cgit';

export interface RemoteRepo {
  /** The smart-HTTP URL a git client clones. */
  url: string;
  /** Headers every request needs (authorization). */
  headers: Record<string, string>;
  /** The same, as `git -c` arguments. */
  gitConfig: string[];
}

export interface BenchServer {
  name: ServerName;
  /** The process whose CPU and memory are measured. */
  pid: number;
  /** Base URL, http://127.0.0.1:<port> */
  url: string;
  /** Whether the work happens in children (CPU then includes reaped children, memory is the tree's). */
  forks: boolean;
  /** An empty repository (HEAD → refs/heads/<defaultBranch>, main by default), ready for a push. */
  createRepo(name: string, defaultBranch?: string): Promise<RemoteRepo>;
  /** A repository holding every head, tag and note of the corpus. */
  importCorpus(name: string, corpus: Corpus): Promise<RemoteRepo>;
  /** A repository made earlier (by this process, or an earlier one on the same data), as this process serves it. */
  existingRepo(name: string): RemoteRepo;
  /** Resolves once the server has no work left for finished requests. */
  settle(): Promise<void>;
  /** Forgets whatever the server kept to answer a repeated request faster (Grove's pack cache); C Git keeps nothing. */
  dropCaches(): Promise<void>;
  stop(): Promise<void>;
}

/** `git push` refspecs that carry a whole corpus. */
export const CORPUS_REFSPECS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*', '+refs/notes/*:refs/notes/*'];
