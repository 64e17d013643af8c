/**
 * The arguments every MCP tool of a repository or a draft shares: `repo` as
 * `namespace/name` (each a Grove name: 2–63 of A-Z a-z 0-9 . _ -, starting
 * with a letter or digit) and `draft`, a draft's id.
 */
import { z } from 'zod';

const NAME = '[A-Za-z0-9][A-Za-z0-9._-]{1,62}';

export const repoArg = z
  .string()
  .regex(new RegExp(`^${NAME}/${NAME}$`), "must be 'namespace/name', each 2-63 of A-Z a-z 0-9 . _ - starting with a letter or digit")
  .describe("The repository, as 'namespace/name' (e.g. 'team/notes').");

export const draftArg = z
  .string()
  .min(1)
  .max(64)
  .describe("The draft's id, as create_draft or list_drafts gave it.");

export interface RepoName {
  namespace: string;
  name: string;
}

/** `team/notes` → `{namespace: 'team', name: 'notes'}` (the schema has checked the shape). */
export function splitRepo(repo: string): RepoName {
  const slash = repo.indexOf('/');
  return { namespace: repo.slice(0, slash), name: repo.slice(slash + 1) };
}
