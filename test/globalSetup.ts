/**
 * One temporary root for the whole test run: every test's temporary files go
 * under it (TMPDIR, which `os.tmpdir()` and git read), and it is deleted when
 * the run ends — so no test can leave litter in /tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'grove-test-run-'));
  process.env['TMPDIR'] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
