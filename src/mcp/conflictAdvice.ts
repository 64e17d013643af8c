/**
 * The text an agent gets with apply_draft's MERGE_CONFLICT: each conflicting
 * path with its kind and the blob ids of the three sides (the server's
 * `details.conflicts`), and how to get out of it with the other tools.
 */
import type { DraftConflict } from '../sdk/draftTypes.ts';

export function conflictAdvice(details: Record<string, unknown> | undefined, draft: string): string {
  const conflicts = Array.isArray(details?.['conflicts']) ? (details['conflicts'] as DraftConflict[]) : [];
  const branch = typeof details?.['branch'] === 'string' ? details['branch'].replace(/^refs\/heads\//, '') : 'the branch';
  const short = (sha: string | null): string => (sha === null ? 'none' : sha.slice(0, 12));
  const lines = [`Conflicting paths (blob ids: base = where draft ${draft} started, branch = ${branch} now, draft = this draft):`];
  for (const c of conflicts) lines.push(`- ${c.path} (${c.kind}): base ${short(c.base)}, branch ${short(c.ours)}, draft ${short(c.theirs)}`);
  lines.push(
    `The branch and the draft are unchanged. To resolve: call update_draft {draft: '${draft}'}: it merges ${branch} into the draft, `
      + 'leaving git-style conflict markers (<<<<<<< ======= >>>>>>>) in each conflicting text file; read those files, edit them to what they should hold '
      + '(no markers left), then call apply_draft again.',
  );
  return lines.join('\n');
}
