/**
 * Helpers for tests (the `./testing` entry; never imported by Grove itself).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * A deterministic text of everything a repository holds — every ref (HEAD
 * included) and every object with its stored form — read straight from its
 * database, so a test can prove a failed request changed nothing.
 */
export function dumpRepository(dataDir: string, namespace: string, name: string): string {
  const control = new DatabaseSync(join(dataDir, 'grove.sqlite'), { readOnly: true });
  let id: string;
  try {
    const row = control.prepare('SELECT id FROM repos WHERE namespace = ? AND name = ?').get(namespace, name) as { id: string } | undefined;
    if (row === undefined) throw new Error(`no repository ${namespace}/${name}`);
    id = row.id;
  } finally {
    control.close();
  }
  const db = new DatabaseSync(join(dataDir, 'repos', `${id}.sqlite`), { readOnly: true });
  try {
    const lines: string[] = [];
    const hex = (v: unknown): string => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v));
    for (const r of db.prepare('SELECT name, oid, target, peeled FROM refs ORDER BY name').all()) {
      lines.push(`ref ${r['name']} ${r['target'] === null ? hex(r['oid']) : `-> ${r['target']}`}${r['peeled'] === null ? '' : ` ^{} ${hex(r['peeled'])}`}`);
    }
    for (const r of db.prepare('SELECT oid, type, size, base_oid, depth, stored_size, chunks, data FROM objects ORDER BY oid').all()) {
      const digest = createHash('sha1').update(r['data'] as Uint8Array);
      for (const c of db.prepare('SELECT data FROM object_chunks WHERE oid = ? ORDER BY seq').all(r['oid'] as Uint8Array)) {
        digest.update(c['data'] as Uint8Array);
      }
      lines.push(`object ${hex(r['oid'])} ${r['type']} ${r['size']} base=${r['base_oid'] === null ? '-' : hex(r['base_oid'])} depth=${r['depth']} stored=${r['stored_size']} chunks=${r['chunks']} data=${digest.digest('hex')}`);
    }
    const orphanChunks = db.prepare('SELECT count(*) AS n FROM object_chunks WHERE oid NOT IN (SELECT oid FROM objects)').get() as { n: number };
    lines.push(`orphan-chunks ${orphanChunks.n}`);
    for (const r of db.prepare('SELECT oid, tree, parents, time, generation, indexed FROM commits ORDER BY oid').all()) {
      lines.push(`commit ${hex(r['oid'])} tree=${hex(r['tree'])} parents=${hex(r['parents'])} time=${r['time']} gen=${r['generation']} indexed=${r['indexed']}`);
    }
    const brought = db.prepare(
      `SELECT c.oid AS commit_oid, o.oid AS object_oid FROM commit_objects co
       JOIN objects c ON c.id = co.commit_id JOIN objects o ON o.id = co.object_id ORDER BY c.oid, o.oid`,
    ).all();
    const digest = createHash('sha1');
    for (const r of brought) digest.update(hex(r['commit_oid'])).update(hex(r['object_oid']));
    lines.push(`commit-objects ${brought.length} ${digest.digest('hex')}`);
    const staged = db.prepare('SELECT (SELECT count(*) FROM incoming) + (SELECT count(*) FROM incoming_chunks) AS n').get() as { n: number };
    lines.push(`staged ${staged.n}`);
    return lines.join('\n') + '\n';
  } finally {
    db.close();
  }
}
