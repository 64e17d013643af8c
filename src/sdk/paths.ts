/** The `/v1` paths of docs/API.md, each name percent-encoded as one path segment. */
import { GroveApiError } from './GroveApiError.ts';

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

/** A repository path (`dir/file.txt`) in a URL: each segment encoded, the slashes kept. */
export function filePathSegments(path: string): string {
  const parts = path.split('/');
  // A URL parser drops `.` and folds `..` (even encoded) before the server sees them: refuse them here, as the server would.
  if (parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new GroveApiError({ status: 0, code: 'BAD_REQUEST', message: `invalid path '${path}': empty, '.' or '..' segments`, details: { path } });
  }
  return parts.map(segment).join('/');
}

/** `…/refs/{ref}`: the whole ref one segment (`refs%2Fheads%2Fmain`). */
export function refPath(namespace: string, name: string, ref: string): string {
  return `${repoPath(namespace, name)}/refs/${segment(ref)}`;
}

/** `…/files/{ref}/{path…}`: the ref one segment, the path's slashes kept. */
export function filePath(namespace: string, name: string, ref: string, path: string): string {
  return `${repoPath(namespace, name)}/files/${segment(ref)}/${filePathSegments(path)}`;
}

/** `…/compare/{base}...{head}`, each side one segment. */
export function comparePath(namespace: string, name: string, base: string, head: string): string {
  return `${repoPath(namespace, name)}/compare/${segment(base)}...${segment(head)}`;
}

/** `…/archive/{ref}.tar.gz` or `.zip`. */
export function archivePath(namespace: string, name: string, ref: string, format: 'tar.gz' | 'zip'): string {
  return `${repoPath(namespace, name)}/archive/${segment(ref)}.${format}`;
}
