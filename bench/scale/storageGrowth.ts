/**
 * How a data directory grew between two measures (dataDirSize.ts): files that
 * are new (the forks' databases), the control database (`grove.sqlite` and
 * its WAL, if any), and everything else.
 */
import type { DirSize } from './dataDirSize.ts';

export interface Growth {
  newFiles: number;
  newBytes: number;
  newAllocated: number;
  controlBytes: number;
  controlAllocated: number;
  otherAllocated: number;
}

export function storageGrowth(before: DirSize, after: DirSize): Growth {
  const growth: Growth = { newFiles: 0, newBytes: 0, newAllocated: 0, controlBytes: 0, controlAllocated: 0, otherAllocated: 0 };
  for (const [path, [bytes, allocated]] of after.byFile) {
    const old = before.byFile.get(path);
    if (old === undefined) {
      growth.newFiles++;
      growth.newBytes += bytes;
      growth.newAllocated += allocated;
    } else if (path.startsWith('grove.sqlite')) {
      growth.controlBytes += bytes - old[0];
      growth.controlAllocated += allocated - old[1];
    } else {
      growth.otherAllocated += allocated - old[1];
    }
  }
  for (const [path, [, allocated]] of before.byFile) if (!after.byFile.has(path)) growth.otherAllocated -= allocated;
  return growth;
}
