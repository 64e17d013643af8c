/**
 * Whether a FUSE file system is mounted at `dir`, from /proc/self/mountinfo
 * (never by touching `dir`: from the process serving the mount, a stat of it
 * would wait on that process itself). Mount points there escape space, tab,
 * newline and backslash as octal (`\040`).
 */
import { opendir, readFile } from 'node:fs/promises';

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export async function isMounted(dir: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return true; // no procfs: assume it is
  }
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (fields.length < 5 || dash < 0) continue;
    if (unescape(fields[4]!) === dir && (fields[dash + 1] ?? '').startsWith('fuse')) return true;
  }
  return false;
}

/**
 * Whether `dir` is a mount some process still serves: mounted, and opening
 * it answers (a mount whose process died answers ENOTCONN, and mounting over
 * it is fine; a stat could come from the kernel's cache of attributes). One that does not answer within `waitMs` counts as served.
 * Only for a process that does not serve `dir` itself.
 */
export async function isServedMount(dir: string, waitMs = 2000): Promise<boolean> {
  if (!(await isMounted(dir))) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(true), waitMs);
  });
  const answered = opendir(dir).then(
    async (handle) => {
      await handle.close();
      return true;
    },
    (err: { code?: string }) => err.code !== 'ENOTCONN' && err.code !== 'ENXIO',
  );
  try {
    return await Promise.race([answered, hung]);
  } finally {
    clearTimeout(timer);
  }
}
