/**
 * The per-repository schema, as specified in docs/STORAGE.md. Migrations are
 * numbered and append-only; `meta.schema_version` records the last one applied.
 * A new database is made from `REPO_BASELINE` in one step instead: the schema
 * the migrations end at, without the pages of the tables they dropped on the
 * way (an empty repository — a new fork — must stay a few pages small).
 * `repoSchema.test.ts` checks that both roads give the same schema.
 */
import type { SqlPort } from './sqlPort.ts';
import { migrate } from './migrate.ts';

/** Stored compressed streams are split into rows of at most this many bytes (a Durable Object row holds 2 MB). */
export const CHUNK_BYTES = 1024 * 1024;

export const REPO_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE objects (
    id          INTEGER PRIMARY KEY,
    oid         BLOB NOT NULL UNIQUE,
    type        INTEGER NOT NULL CHECK (type BETWEEN 1 AND 4),
    size        INTEGER NOT NULL,
    base_oid    BLOB,
    depth       INTEGER NOT NULL,
    stored_size INTEGER NOT NULL,
    chunks      INTEGER NOT NULL CHECK (chunks >= 1),
    data        BLOB NOT NULL
  );

  CREATE TABLE object_chunks (
    oid   BLOB NOT NULL,
    seq   INTEGER NOT NULL CHECK (seq >= 1),
    data  BLOB NOT NULL,
    PRIMARY KEY (oid, seq)
  );

  CREATE TABLE commits (
    oid        BLOB PRIMARY KEY,
    tree       BLOB NOT NULL,
    parents    BLOB NOT NULL,
    time       INTEGER NOT NULL,
    generation INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE refs (
    name   TEXT PRIMARY KEY,
    oid    BLOB,
    target TEXT,
    peeled BLOB,
    CHECK ((oid IS NULL) <> (target IS NULL))
  ) WITHOUT ROWID;

  CREATE TABLE incoming (
    push_id     INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    pack_offset INTEGER NOT NULL,
    oid         BLOB,
    type        INTEGER,
    size        INTEGER,
    base_oid    BLOB,
    depth       INTEGER,
    stored_size INTEGER NOT NULL,
    chunks      INTEGER NOT NULL,
    data        BLOB NOT NULL,
    PRIMARY KEY (push_id, seq)
  );
  CREATE UNIQUE INDEX incoming_by_offset ON incoming (push_id, pack_offset);

  CREATE TABLE incoming_chunks (
    push_id INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    chunk   INTEGER NOT NULL,
    data    BLOB NOT NULL,
    PRIMARY KEY (push_id, seq, chunk)
  );
  `,
  `
  INSERT INTO meta (key, value) VALUES ('refs_version', '0');

  CREATE TABLE pack_cache (
    key          TEXT PRIMARY KEY,
    chunk_key    TEXT NOT NULL,
    refs_version INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    chunks       INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE pack_cache_chunks (
    chunk_key TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (chunk_key, seq)
  );
  `,
  `
  ALTER TABLE commits ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE commit_objects (
    commit_id INTEGER NOT NULL,
    object_id INTEGER NOT NULL,
    PRIMARY KEY (commit_id, object_id)
  ) WITHOUT ROWID;
  `,
  // Staging keyed by one integer: no index pages besides the tables'. Staging rows are
  // scratch (a Repository deletes them when it opens), so nothing is carried over.
  `
  DROP TABLE incoming;
  DROP TABLE incoming_chunks;

  CREATE TABLE incoming (
    id          INTEGER PRIMARY KEY,
    pack_offset INTEGER NOT NULL,
    oid         BLOB,
    type        INTEGER,
    size        INTEGER,
    base_oid    BLOB,
    depth       INTEGER,
    stored_size INTEGER NOT NULL,
    chunks      INTEGER NOT NULL CHECK (chunks >= 1),
    first_chunk INTEGER,
    data        BLOB NOT NULL,
    CHECK ((chunks = 1) = (first_chunk IS NULL))
  );

  CREATE TABLE incoming_chunks (
    id   INTEGER PRIMARY KEY,
    data BLOB NOT NULL
  );
  `,
];

/** A new database at the latest version: equal to every migration run in order (kept so by repoSchema.test.ts). */
export const REPO_BASELINE = `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO meta (key, value) VALUES ('refs_version', '0');

  CREATE TABLE objects (
    id          INTEGER PRIMARY KEY,
    oid         BLOB NOT NULL UNIQUE,
    type        INTEGER NOT NULL CHECK (type BETWEEN 1 AND 4),
    size        INTEGER NOT NULL,
    base_oid    BLOB,
    depth       INTEGER NOT NULL,
    stored_size INTEGER NOT NULL,
    chunks      INTEGER NOT NULL CHECK (chunks >= 1),
    data        BLOB NOT NULL
  );

  CREATE TABLE object_chunks (
    oid   BLOB NOT NULL,
    seq   INTEGER NOT NULL CHECK (seq >= 1),
    data  BLOB NOT NULL,
    PRIMARY KEY (oid, seq)
  );

  CREATE TABLE commits (
    oid        BLOB PRIMARY KEY,
    tree       BLOB NOT NULL,
    parents    BLOB NOT NULL,
    time       INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    indexed    INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;

  CREATE TABLE refs (
    name   TEXT PRIMARY KEY,
    oid    BLOB,
    target TEXT,
    peeled BLOB,
    CHECK ((oid IS NULL) <> (target IS NULL))
  ) WITHOUT ROWID;

  CREATE TABLE incoming (
    id          INTEGER PRIMARY KEY,
    pack_offset INTEGER NOT NULL,
    oid         BLOB,
    type        INTEGER,
    size        INTEGER,
    base_oid    BLOB,
    depth       INTEGER,
    stored_size INTEGER NOT NULL,
    chunks      INTEGER NOT NULL CHECK (chunks >= 1),
    first_chunk INTEGER,
    data        BLOB NOT NULL,
    CHECK ((chunks = 1) = (first_chunk IS NULL))
  );

  CREATE TABLE incoming_chunks (
    id   INTEGER PRIMARY KEY,
    data BLOB NOT NULL
  );

  CREATE TABLE pack_cache (
    key          TEXT PRIMARY KEY,
    chunk_key    TEXT NOT NULL,
    refs_version INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    chunks       INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE pack_cache_chunks (
    chunk_key TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (chunk_key, seq)
  );

  CREATE TABLE commit_objects (
    commit_id INTEGER NOT NULL,
    object_id INTEGER NOT NULL,
    PRIMARY KEY (commit_id, object_id)
  ) WITHOUT ROWID;
`;

export const SCHEMA_VERSION = REPO_MIGRATIONS.length;

/** Brings a repository database up to the current schema (a new one straight from the baseline); a no-op when it is current. */
export function migrateRepoSchema(sql: SqlPort): void {
  migrate(sql, REPO_MIGRATIONS, 'repository', { baseline: REPO_BASELINE });
}
