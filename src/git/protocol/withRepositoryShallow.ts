/**
 * Serving from a shallow repository (Documentation/technical/shallow.txt:
 * "each line contains the SHA-1 of a commit that is considered to be a root
 * commit"). git's upload-pack reads such a repository through its grafts:
 * every walk — wants, negotiation, the pack — stops at those commits, and
 * they are reported to the client as shallow (upload-pack.c: when
 * `is_repository_shallow`, a v2 fetch always answers `shallow-info`; the v0
 * advertisement lists them as `shallow` lines).
 */
import type { Oid } from '../objects/objectId.ts';
import { withShallowBoundary } from '../walk/withShallowBoundary.ts';
import type { UploadPackContext } from './uploadPackContext.ts';

export interface ShallowAwareContext extends UploadPackContext {
  /** The repository's own shallow commits (empty for a whole repository). */
  repositoryShallow: ReadonlySet<Oid>;
}

/** The context with its object store seen through the repository's shallow boundary. */
export async function withRepositoryShallow(ctx: UploadPackContext): Promise<ShallowAwareContext> {
  const shallow = new Set(ctx.refs.shallow === undefined ? [] : await ctx.refs.shallow());
  if (shallow.size === 0) return { ...ctx, repositoryShallow: shallow };
  return { ...ctx, objects: withShallowBoundary(ctx.objects, shallow), repositoryShallow: shallow };
}
