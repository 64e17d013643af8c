/** Access checks shared by the Git and REST routes. */
import { GroveError } from '../errors.ts';
import { assertReady, type RepoRecord } from '../services/RepoService.ts';
import type { TokenGrant, TokenService } from '../services/TokenService.ts';
import { presentedToken } from './credentials.ts';

/** The grant of the request's token; throws UNAUTHORIZED without a valid one. */
export async function authenticate(tokens: TokenService, authorization: string | undefined): Promise<TokenGrant> {
  const token = presentedToken(authorization);
  if (token === null) throw new GroveError('UNAUTHORIZED', 'authentication required: send a Grove token as a Bearer token or as the Basic auth password');
  const grant = await tokens.verify(token);
  if (grant === null) throw new GroveError('UNAUTHORIZED', 'invalid, expired or revoked token');
  return grant;
}

export function requireAdmin(grant: TokenGrant): void {
  if (grant.scope !== 'admin') throw new GroveError('FORBIDDEN', 'this operation needs an admin token');
}

/**
 * The repository named in the request, if `grant` opens it for `access`.
 * A repository token learns nothing of other repositories: whether the name
 * exists or not, it gets the same 403. Only an admin token sees a 404.
 */
export function authorizeRepo(
  grant: TokenGrant,
  repo: RepoRecord | null,
  name: { namespace: string; name: string },
  access: 'read' | 'write',
  options: { allowNotReady?: boolean; draftId?: string } = {},
): RepoRecord {
  const full = `${name.namespace}/${name.name}`;
  if (grant.draft !== undefined && grant.draft.id !== options.draftId) {
    throw new GroveError('FORBIDDEN', `this token opens only draft ${grant.draft.id} of its repository, through its file tools`, { draft: grant.draft.id });
  }
  if (grant.scope !== 'admin' && (repo === null || grant.repoId !== repo.id)) {
    throw new GroveError('FORBIDDEN', `this token does not open ${full}`, { namespace: name.namespace, name: name.name });
  }
  if (repo === null) throw new GroveError('NOT_FOUND', `repository ${full} does not exist`, { namespace: name.namespace, name: name.name });
  if (options.allowNotReady !== true) assertReady(repo);
  if (access === 'write' && grant.scope === 'read') throw new GroveError('FORBIDDEN', `this token can read ${full} but not push to it`);
  if (access === 'write' && repo.readOnly) throw new GroveError('FORBIDDEN', `repository ${full} is read-only`);
  return repo;
}
