/** Access checks shared by the Git and REST routes. */
import { GroveError } from '../errors.ts';
import type { RepoRecord } from '../services/RepoService.ts';
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

/** Checks that `grant` opens `repo` for reading or writing. */
export function requireRepoAccess(grant: TokenGrant, repo: RepoRecord, access: 'read' | 'write'): void {
  if (grant.scope === 'admin') return;
  if (grant.repoId !== repo.id) throw new GroveError('FORBIDDEN', `this token does not open ${repo.namespace}/${repo.name}`);
  if (access === 'write' && grant.scope !== 'write') throw new GroveError('FORBIDDEN', 'this token is read-only');
}
