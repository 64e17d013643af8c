/**
 * Runs the object enumeration of a fetch while its response is already
 * streaming, so the client hears from the server at once and keeps hearing
 * from it: at most once a second a band-2 progress line, "Enumerating
 * objects: <n>" (git's progress.c rewrites a line in place with CR and ends
 * it with ", done." and LF); when the client asked for `no-progress`, an
 * empty band-1 packet every few seconds instead — upload-pack.c's keep-alive:
 *
 *   "we want to send a keepalive packet [...] a zero-length packet on the
 *   sideband for the pack data, which the client will ignore" (0005\1).
 *
 * Without side-band there is nothing to send meanwhile.
 */
import { utf8 } from '../bytes.ts';
import type { Enumeration } from '../walk/enumerateObjects.ts';
import { WalkProgress } from '../walk/WalkProgress.ts';
import { sidebandPackets } from './pktLine.ts';

export interface EnumerationReports {
  sideband: boolean;
  /** The client wants progress lines (it did not say `no-progress`). */
  progress: boolean;
}

const PROGRESS_EVERY_MS = 1000;
const KEEPALIVE_EVERY_MS = 5000;
const KEEPALIVE = new Uint8Array([0x30, 0x30, 0x30, 0x35, 0x01]);

export async function* enumerateWithProgress(
  enumerate: (progress: WalkProgress) => Promise<Enumeration>,
  reports: EnumerationReports,
): AsyncGenerator<Uint8Array, Enumeration> {
  const counter = new WalkProgress();
  let settled = false;
  const job = enumerate(counter).finally(() => {
    settled = true;
  });
  job.catch(() => {}); // awaited below; this only keeps an abandoned response from leaving it unhandled
  if (reports.sideband) {
    const every = reports.progress ? PROGRESS_EVERY_MS : KEEPALIVE_EVERY_MS;
    while (!settled) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, every);
      });
      await Promise.race([job.then(() => {}, () => {}), tick]);
      clearTimeout(timer);
      if (settled) break;
      if (reports.progress) yield* sidebandPackets(2, utf8(`Enumerating objects: ${counter.count}\r`));
      else yield KEEPALIVE;
    }
  }
  const plan = await job;
  if (reports.sideband && reports.progress) yield* sidebandPackets(2, utf8(`Enumerating objects: ${plan.oids.length}, done.\n`));
  return plan;
}
