/**
 * The device number the kernel gives a mount (what stat(2) reports as
 * st_dev for files in it), read from /proc/self/mountinfo: "36 35 98:0
 * /mnt1 /mnt2 ... — (3) major:minor: the value of st_dev for files on this
 * filesystem" (proc(5)). Also tells whether a directory is mounted at all.
 */
import { readFileSync } from 'node:fs';

/** st_dev of the mount at `dir`, or undefined when nothing is mounted there. */
export function mountDevice(dir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
  let found: number | undefined;
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 5 || unescape(fields[4]!) !== dir) continue;
    const [major = 0, minor = 0] = fields[2]!.split(':').map(Number);
    // glibc's makedev: minor low byte, major in bits 8-19, minor's rest above.
    found = ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0;
  }
  return found;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
