/**
 * The draft routes the bench times (docs/API.md "Drafts"), over the scale
 * bench's keep-alive client, with one token (the admin token): create,
 * a file tool, checkpoint, apply, discard. An unexpected status is an error
 * carrying the answer's start.
 */
import type { HttpAnswer, HttpClient } from '../scale/HttpClient.ts';

export interface RepoRef {
  namespace: string;
  name: string;
}

export interface Timed<T> {
  value: T;
  ms: number;
}

export interface DraftApi {
  create(repo: RepoRef, body?: Record<string, unknown>): Promise<Timed<{ id: string; head: string }>>;
  tool(repo: RepoRef, id: string, tool: string, args: Record<string, unknown>): Promise<Timed<Record<string, unknown>>>;
  checkpoint(repo: RepoRef, id: string, message: string): Promise<Timed<{ sha: string; created: boolean }>>;
  apply(repo: RepoRef, id: string, message: string): Promise<Timed<{ sha: string; created: boolean }>>;
  discard(repo: RepoRef, id: string): Promise<number>;
}

export function draftApi(client: HttpClient, token: string): DraftApi {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const base = (repo: RepoRef): string => `/v1/namespaces/${repo.namespace}/repos/${repo.name}/drafts`;
  const expect = (what: string, answer: HttpAnswer, status: number | number[]): Record<string, unknown> => {
    const text = answer.body.toString('utf8');
    if (!(Array.isArray(status) ? status : [status]).includes(answer.status)) throw new Error(`${what}: HTTP ${answer.status} ${text.slice(0, 500)}`);
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  };
  return {
    async create(repo, body = {}) {
      const answer = await client.send('POST', base(repo), headers, JSON.stringify(body));
      const json = expect(`create a draft of ${repo.namespace}/${repo.name}`, answer, 201);
      return { value: { id: String(json['id']), head: String(json['head']) }, ms: answer.ms };
    },
    async tool(repo, id, tool, args) {
      const answer = await client.send('POST', `${base(repo)}/${id}/tools/${tool}`, headers, JSON.stringify(args));
      return { value: expect(`${tool} on draft ${id}`, answer, 200), ms: answer.ms };
    },
    async checkpoint(repo, id, message) {
      const answer = await client.send('POST', `${base(repo)}/${id}/checkpoint`, headers, JSON.stringify({ message }));
      const json = expect(`checkpoint of draft ${id}`, answer, [200, 201]);
      const revision = json['revision'] as { sha: string };
      return { value: { sha: revision.sha, created: json['created'] === true }, ms: answer.ms };
    },
    async apply(repo, id, message) {
      const answer = await client.send('POST', `${base(repo)}/${id}/apply`, headers, JSON.stringify({ message, strategy: 'ff-only' }));
      const json = expect(`apply of draft ${id}`, answer, 200);
      return { value: { sha: String(json['sha']), created: json['created'] === true }, ms: answer.ms };
    },
    async discard(repo, id) {
      const answer = await client.send('DELETE', `${base(repo)}/${id}`, { authorization: headers.authorization });
      expect(`discard of draft ${id}`, answer, 204);
      return answer.ms;
    },
  };
}
