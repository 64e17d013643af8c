/**
 * The targets of the symlinks among some listed entries: a symlink's blob is
 * its target, fetched with the listing (a few bytes each, 8 at a time) so
 * that `readlink` never waits on the network.
 */
import type { DraftFileInfo } from '../../sdk/draftTypes.ts';
import type { MountCache } from './MountCache.ts';

export async function symlinkTargets(cache: Pick<MountCache, 'drafts' | 'draftId'>, entries: readonly DraftFileInfo[]): Promise<Map<string, string>> {
  const links = entries.filter((e) => e.kind === 'symlink');
  const targets = new Map<string, string>();
  const decoder = new TextDecoder();
  for (let i = 0; i < links.length; i += 8) {
    await Promise.all(links.slice(i, i + 8).map(async (link) => {
      targets.set(link.path, decoder.decode(await cache.drafts.readFile(cache.draftId, link.path)));
    }));
  }
  return targets;
}
