/**
 * What Linux's /proc tells about a server process (proc(5)):
 *
 *   /proc/[pid]/stat  (14) utime (15) stime — clock ticks of the process, all threads;
 *                     (16) cutime (17) cstime — of its children that it has waited for
 *                     (each child's own count includes the children it waited for).
 *   /proc/[pid]/status  VmHWM: peak resident set size.
 *   /proc/[pid]/clear_refs  writing 5 "resets the peak resident set size (VmHWM)".
 *   /proc/[pid]/task/[tid]/children  the process's children (space-separated pids).
 *   /proc/[pid]/statm  (2) resident pages.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;
const PAGE_SIZE = 4096;

/** CPU milliseconds used so far: the process's own, plus its reaped children's when asked. */
export function cpuMs(pid: number, withChildren: boolean): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const ticks = (n: number): number => Number(fields[n - 3] ?? 0);
  const own = ticks(14) + ticks(15);
  const children = withChildren ? ticks(16) + ticks(17) : 0;
  return ((own + children) * 1000) / TICKS_PER_SECOND;
}

/** Peak resident set size since start or since the last resetPeakRss, in bytes. */
export function peakRss(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
}

export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** The pids of a process's children (all threads' children). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      for (const word of readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').split(' ')) {
        if (word.trim() !== '') out.push(Number(word));
      }
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** Resident bytes of a process and all its descendants, now. */
export function treeRss(pid: number): number {
  let total = 0;
  const pending = [pid];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    try {
      total += Number(readFileSync(`/proc/${next}/statm`, 'latin1').split(' ')[1] ?? 0) * PAGE_SIZE;
    } catch {
      continue;
    }
    pending.push(...childrenOf(next));
  }
  return total;
}
