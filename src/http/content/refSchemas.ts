/** The JSON shapes of the refs routes (refRoutes.ts), as zod schemas that also document /openapi.json. */
import { z } from '@hono/zod-openapi';
import { RepoParams } from '../schemas.ts';

const Sha = z.string().regex(/^[0-9a-fA-F]{40}$/).openapi({ description: 'a full object id', example: 'e83c5163316f89bfbde7d9ab23ca2e25604af290' });

export const RefParams = RepoParams.extend({
  ref: z.string().min(1).max(1024).openapi({
    param: { name: 'ref', in: 'path' },
    description: 'a full ref name, URL-encoded (refs%2Fheads%2Fmain), or HEAD; reads also take a short name (main, v1)',
    example: 'refs%2Fheads%2Fmain',
  }),
});

export const Ref = z
  .object({
    name: z.string().openapi({ example: 'refs/heads/main' }),
    sha: z.string().nullable().openapi({ description: 'what the ref points at; null for HEAD while its branch does not exist' }),
    peeled: z.string().optional().openapi({ description: 'for a ref to an annotated tag: the object at the end of the tag chain' }),
    target: z.string().optional().openapi({ description: 'for HEAD, a symbolic ref: the ref it points at' }),
  })
  .openapi('Ref');

export const RefList = z.object({ refs: z.array(Ref) }).openapi('RefList');

export const ListRefsQuery = z.object({
  prefix: z.string().max(1024).optional().openapi({ description: 'only refs whose name starts with this', example: 'refs/heads/' }),
});

export const CreateRef = z
  .object({
    name: z.string().min(1).max(1024).openapi({ description: 'full ref name', example: 'refs/heads/feature' }),
    sha: Sha,
  })
  .strict();

export const UpdateRef = z
  .object({
    sha: Sha,
    expected_sha: Sha.optional().openapi({ description: 'compare-and-swap: the update fails with 409 REF_CONFLICT unless the ref is at this id' }),
    force: z.boolean().optional().openapi({ description: 'let a branch move to a commit that does not descend from its current one' }),
  })
  .strict();

export const DeleteRefQuery = z.object({
  expected_sha: Sha.optional().openapi({ description: 'compare-and-swap: delete only if the ref is at this id' }),
});
