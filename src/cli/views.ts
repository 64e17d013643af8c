/** The text views of namespaces, repositories and tokens (output.ts formats them). */
import type { CreatedToken, Namespace, Repo, RepoSource, RepoWithToken, Token } from '../sdk/types.ts';
import { formatFields, formatTable, type Cell } from './output.ts';

export const SHOWN_ONCE_NOTE = 'This token is shown once: store it now, it cannot be read again.';

export function namespaceView(ns: Namespace): string {
  return formatFields([
    ['name', ns.name],
    ['repo_count', ns.repo_count],
    ['created_at', ns.created_at],
  ]);
}

export function namespaceTable(list: readonly Namespace[]): string {
  return formatTable(['NAME', 'REPO_COUNT', 'CREATED_AT'], list.map((ns) => [ns.name, ns.repo_count, ns.created_at]));
}

/** A repository; with its token (create, fork, import) the token comes first, followed by the shown-once note. */
export function repoView(repo: Repo | RepoWithToken): string {
  const fields: Array<readonly [string, Cell]> = [
    ['name', `${repo.namespace}/${repo.name}`],
    ['id', repo.id],
    ['description', repo.description],
    ['default_branch', repo.default_branch],
    ['read_only', repo.read_only],
    ['status', repo.status],
  ];
  if (repo.status_reason !== null && repo.status_reason !== undefined) fields.push(['status_reason', repo.status_reason]);
  fields.push(
    ['source', sourceText(repo.source)],
    ['remote', repo.remote],
    ['created_at', repo.created_at],
    ['updated_at', repo.updated_at],
    ['last_push_at', repo.last_push_at],
  );
  if ('token' in repo) {
    fields.push(['token', repo.token]);
    return `${formatFields(fields)}${SHOWN_ONCE_NOTE}\n`;
  }
  return formatFields(fields);
}

export function repoTable(list: readonly Repo[]): string {
  return formatTable(
    ['NAME', 'STATUS', 'DEFAULT_BRANCH', 'READ_ONLY', 'LAST_PUSH_AT', 'DESCRIPTION'],
    list.map((r) => [r.name, r.status, r.default_branch, r.read_only, r.last_push_at, r.description]),
  );
}

export function createdTokenView(token: CreatedToken): string {
  return formatFields([
    ['id', token.id],
    ['scope', token.scope],
    ['label', token.label],
    ['created_at', token.created_at],
    ['expires_at', token.expires_at],
    ['token', token.token],
  ]) + `${SHOWN_ONCE_NOTE}\n`;
}

export function tokenTable(list: readonly Token[]): string {
  return formatTable(
    ['ID', 'SCOPE', 'STATE', 'LABEL', 'EXPIRES_AT', 'LAST_USED_AT'],
    list.map((t) => [t.id, t.scope, t.state, t.label, t.expires_at, t.last_used_at]),
  );
}

function sourceText(source: RepoSource | undefined): string | null {
  if (source === null || source === undefined) return null;
  if (source.kind === 'fork') return `fork of ${source.namespace}/${source.name}`;
  const extra = [source.branch === null ? '' : `branch ${source.branch}`, source.depth === null ? '' : `depth ${source.depth}`].filter((s) => s !== '');
  return `import of ${source.url}${extra.length === 0 ? '' : ` (${extra.join(', ')})`}`;
}
