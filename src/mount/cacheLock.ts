/**
 * One mount process per cache: a `lock` file in the cache folder holding the
 * pid of the process using it. A lock whose process is gone (killed) is
 * taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GroveError } from '../errors.ts';

/** True for a running process (a zombie, killed and not yet reaped, is not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Takes the cache's lock; ALREADY_EXISTS when a live process holds it. Returns the release. */
export function lockCache(cacheDir: string): () => void {
  const file = join(cacheDir, 'lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
        } catch {
          // gone already
        }
      };
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new GroveError('ALREADY_EXISTS', `the cache ${cacheDir} is in use by process ${pid}, another mount: unmount it, or give this mount another --cache`, { pid });
      }
      rmSync(file, { force: true });
    }
  }
  throw new GroveError('INTERNAL', `could not lock the cache ${cacheDir}`);
}
