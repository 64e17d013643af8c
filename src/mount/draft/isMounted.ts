/**
 * Whether a FUSE file system is mounted at `dir`, from /proc/self/mountinfo
 * (never by touching `dir`: from the process serving the mount, a stat of it
 * would wait on that process itself). Mount points there escape space, tab,
 * newline and backslash as octal (`\040`).
 */
import { readFile } from 'node:fs/promises';

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
