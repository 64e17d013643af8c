/** The `/v1` paths of docs/API.md, each name percent-encoded as one path segment. */

const segment = encodeURIComponent;

export function namespacesPath(): string {
  return '/v1/namespaces';
}

export function namespacePath(namespace: string): string {
  return `/v1/namespaces/${segment(namespace)}`;
}

export function reposPath(namespace: string): string {
  return `${namespacePath(namespace)}/repos`;
}

export function repoPath(namespace: string, name: string): string {
  return `${reposPath(namespace)}/${segment(name)}`;
}

export function repoTokensPath(namespace: string, name: string): string {
  return `${repoPath(namespace, name)}/tokens`;
}

export function repoTokenPath(namespace: string, name: string, id: string): string {
  return `${repoTokensPath(namespace, name)}/${segment(id)}`;
}

export function adminTokensPath(): string {
  return '/v1/tokens';
}

export function adminTokenPath(id: string): string {
  return `${adminTokensPath()}/${segment(id)}`;
}
