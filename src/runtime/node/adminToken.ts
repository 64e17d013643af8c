/**
 * The deployment's admin token: `GROVE_ADMIN_TOKEN` when set, otherwise the
 * one saved in `<dataDir>/admin-token` (mode 0600), created on first start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AdminToken {
  token: string;
  /** True when this start created it (the caller prints it, once). */
  created: boolean;
  path: string | null;
}

export function resolveAdminToken(dataDir: string, configured: string | undefined): AdminToken {
  if (configured !== undefined && configured !== '') return { token: configured, created: false, path: null };
  const path = join(dataDir, 'admin-token');
  if (existsSync(path)) return { token: readFileSync(path, 'utf8').trim(), created: false, path };
  const token = `grove_admin_${randomBytes(32).toString('hex')}`;
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, created: true, path };
}
