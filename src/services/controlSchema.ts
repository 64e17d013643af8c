/**
 * The control-plane schema: namespaces, repositories and tokens (one database
 * per deployment; docs/STORAGE.md, "Control database").
 */
import type { SqlPort } from '../store/sqlPort.ts';
import { migrate } from '../store/migrate.ts';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE namespaces (
    name       TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE repos (
    id             TEXT PRIMARY KEY,
    namespace      TEXT NOT NULL REFERENCES namespaces (name),
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    default_branch TEXT NOT NULL,
    read_only      INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    last_push_at   INTEGER,
    UNIQUE (namespace, name)
  ) WITHOUT ROWID;

  CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    repo_id      TEXT REFERENCES repos (id) ON DELETE CASCADE,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
    secret_hash  BLOB NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    revoked_at   INTEGER,
    last_used_at INTEGER,
    CHECK ((scope = 'admin') = (repo_id IS NULL))
  ) WITHOUT ROWID;
  CREATE INDEX tokens_by_repo ON tokens (repo_id);
  `,
  `
  ALTER TABLE repos ADD COLUMN parent_id TEXT;
  ALTER TABLE repos ADD COLUMN source TEXT;
  ALTER TABLE repos ADD COLUMN status TEXT NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'importing', 'failed'));
  ALTER TABLE repos ADD COLUMN status_reason TEXT;
  CREATE INDEX repos_by_parent ON repos (parent_id) WHERE parent_id IS NOT NULL;
  CREATE INDEX repos_by_created ON repos (namespace, created_at, id);

  CREATE TABLE retained (
    id        TEXT PRIMARY KEY,
    parent_id TEXT
  ) WITHOUT ROWID;
  CREATE INDEX retained_by_parent ON retained (parent_id) WHERE parent_id IS NOT NULL;

  CREATE INDEX tokens_by_created ON tokens (repo_id, created_at, id);
  `,
  `
  ALTER TABLE tokens ADD COLUMN draft_id TEXT;
  ALTER TABLE tokens ADD COLUMN paths TEXT;

  CREATE TABLE draft_sweeps (
    repo_id TEXT PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
    due_at  INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX draft_sweeps_by_due ON draft_sweeps (due_at);
  `,
];

export function migrateControlSchema(sql: SqlPort): void {
  migrate(sql, MIGRATIONS, 'control');
}
