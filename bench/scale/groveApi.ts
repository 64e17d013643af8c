/**
 * The two control-plane calls the scale bench times (docs/API.md):
 * `POST /v1/namespaces/:ns/repos` and `POST /v1/namespaces/:ns/repos/:name/fork`,
 * with the admin token. Anything but 201 is an error.
 */
import type { HttpAnswer, HttpClient } from './HttpClient.ts';

export interface RepoAnswer {
  id: string;
  name: string;
  namespace: string;
  token: string;
  remote: string;
}

export interface TimedRepo {
  repo: RepoAnswer;
  ms: number;
}

function jsonHeaders(adminToken: string): Record<string, string> {
  return { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
}

function created(what: string, answer: HttpAnswer): TimedRepo {
  const text = answer.body.toString('utf8');
  if (answer.status !== 201) throw new Error(`${what}: HTTP ${answer.status} ${text.slice(0, 500)}`);
  return { repo: JSON.parse(text) as RepoAnswer, ms: answer.ms };
}

export async function createRepo(client: HttpClient, adminToken: string, namespace: string, name: string, defaultBranch = 'main'): Promise<TimedRepo> {
  const body = JSON.stringify({ name, default_branch: defaultBranch });
  return created(`create ${namespace}/${name}`, await client.send('POST', `/v1/namespaces/${namespace}/repos`, jsonHeaders(adminToken), body));
}

/** Forks `namespace/parent` into `target/name` (HEAD and the default branch: the API's default). */
export async function forkRepo(client: HttpClient, adminToken: string, namespace: string, parent: string, target: string, name: string): Promise<TimedRepo> {
  const body = JSON.stringify({ name, namespace: target });
  return created(`fork ${namespace}/${parent} → ${target}/${name}`, await client.send('POST', `/v1/namespaces/${namespace}/repos/${parent}/fork`, jsonHeaders(adminToken), body));
}
