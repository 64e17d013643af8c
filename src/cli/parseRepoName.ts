/** The `<ns>/<name>` arguments of the CLI. */
import { UsageError } from './UsageError.ts';

export interface RepoName {
  namespace: string;
  name: string;
}

/** `team/notes` → `{namespace: 'team', name: 'notes'}`; anything but exactly two non-empty parts is a usage error. */
export function parseRepoName(text: string): RepoName {
  const parts = text.split('/');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new UsageError(`expected <namespace>/<name>, got '${text}'`);
  }
  return { namespace: parts[0]!, name: parts[1]! };
}

/** A fork's target: `<ns>/<name>`, or a bare `<name>` in `defaultNamespace`. */
export function parseForkTarget(text: string, defaultNamespace: string): RepoName {
  if (!text.includes('/')) {
    if (text === '') throw new UsageError('expected <name> or <namespace>/<name> for the fork');
    return { namespace: defaultNamespace, name: text };
  }
  return parseRepoName(text);
}
