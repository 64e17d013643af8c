/** The JSON shapes of the grep route (grepRoutes.ts), as zod schemas that also document /openapi.json. */
import { z } from '@hono/zod-openapi';

/** A boolean query parameter: true or 1, false or 0 (default false). */
const Flag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1');

export const GrepQuery = z.object({
  pattern: z.string().max(4096).openapi({ description: 'what to look for; a pattern holding newlines is several patterns, any of which may match (as in git)' }),
  ref: z.string().min(1).max(1024).optional().openapi({ description: 'the revision to search (default HEAD); ignored with a cursor', example: 'main' }),
  regex: Flag.openapi({ description: 'true: a POSIX extended regex (git grep -E), matched in linear time; back-references and the buffer anchors \\` \\\' are refused (400); false: a fixed string (git grep -F)' }),
  ignore_case: Flag.openapi({ description: 'git grep -i' }),
  paths: z.union([z.string().max(4096), z.array(z.string().max(4096)).max(64)]).optional().openapi({
    description: 'pathspecs, repeatable, with git\'s :(glob) rules: `src` (a folder or file), `*.md` (root only), `**/*.ts`, `src/**`; `:!<spec>` excludes',
  }),
  context: z.coerce.number().int().min(0).max(100).default(0).openapi({ description: 'lines of context around each match (git grep -C)' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ description: 'matches per page, 1-1000' }),
  cursor: z.string().max(8192).optional().openapi({ description: 'next_cursor of the previous page (it names the commit searched)' }),
});

export const GrepMatch = z
  .object({
    path: z.string(),
    line_number: z.number().int().openapi({ description: '1-based' }),
    line: z.string().openapi({ description: 'the line without its LF (a CR before the LF stays)' }),
    before: z.array(z.string()).optional().openapi({ description: 'with context: the lines above, not already given with the previous match' }),
    after: z.array(z.string()).optional().openapi({ description: 'with context: the lines below, up to the next match' }),
  })
  .openapi('GrepMatch');

export const GrepResult = z
  .object({
    commit: z.string().openapi({ description: 'the commit searched' }),
    matches: z.array(GrepMatch),
    skipped: z.array(z.object({
      path: z.string(),
      reason: z.enum(['binary', 'too_large']).openapi({ description: 'binary: a binary file that matches (git: "Binary file … matches"); too_large: over the size searched, not read' }),
    })),
    next_cursor: z.string().nullable(),
  })
  .openapi('GrepResult');
