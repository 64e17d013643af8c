/**
 * Checks a repository database against the numbered rules of docs/STORAGE.md
 * that can be read off the tables (1, 2, 3, 6, 7, 8 and the staging part of
 * 10), straight from SQL and independently of Grove's readers: streams are
 * joined and inflated with node:zlib, deltas applied by a small applier here.
 * Returns one line per violation (none: the database follows the rules).
 */
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type { SqlPort } from '../../src/store/sqlPort.ts';

const CHUNK = 1024 * 1024;
const TYPES = ['', 'commit', 'tree', 'blob', 'tag'];
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

interface Row {
  oid: string;
  type: number;
  size: number;
  base: string | null;
  depth: number;
  storedSize: number;
  chunks: number;
  data: Uint8Array;
}

function readSize(delta: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = delta[at++]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (!(byte & 0x80)) return [value, at];
  }
}

/** gitformat-pack "Deltified representation": copy (1xxxxxxx offset/size bytes) and insert (0nnnnnnn) instructions. */
function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  let [baseSize, at] = readSize(delta, 0);
  let resultSize: number;
  [resultSize, at] = readSize(delta, at);
  if (baseSize !== base.length) throw new Error(`delta expects a base of ${baseSize} bytes, got ${base.length}`);
  const out = new Uint8Array(resultSize);
  let pos = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += delta[at++]! * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += delta[at++]! * 2 ** (8 * i);
      if (size === 0) size = 0x10000;
      out.set(base.subarray(offset, offset + size), pos);
      pos += size;
    } else {
      out.set(delta.subarray(at, at + op), pos);
      pos += op;
      at += op;
    }
  }
  if (pos !== resultSize) throw new Error(`delta produced ${pos} bytes, announced ${resultSize}`);
  return out;
}

export function storageViolations(sql: SqlPort): string[] {
  const problems: string[] = [];
  const rows = new Map<string, Row>();
  for (const r of sql.query<{ oid: Uint8Array; type: number; size: number; base_oid: Uint8Array | null; depth: number; stored_size: number; chunks: number; data: Uint8Array }>(
    'SELECT oid, type, size, base_oid, depth, stored_size, chunks, data FROM objects',
  )) {
    rows.set(hex(r.oid), {
      oid: hex(r.oid), type: r.type, size: r.size, base: r.base_oid === null ? null : hex(r.base_oid),
      depth: r.depth, storedSize: r.stored_size, chunks: r.chunks, data: r.data,
    });
  }

  // Rule 2: the stored stream is data + chunks in seq order, every piece but the last exactly 1 MiB.
  const chunkRows = sql.query<{ oid: Uint8Array; seq: number; data: Uint8Array }>('SELECT oid, seq, data FROM object_chunks ORDER BY oid, seq');
  const chunksOf = new Map<string, { seq: number; data: Uint8Array }[]>();
  for (const c of chunkRows) {
    const oid = hex(c.oid);
    if (!rows.has(oid)) problems.push(`rule 2: chunk ${c.seq} of ${oid} has no object row`);
    chunksOf.set(oid, [...(chunksOf.get(oid) ?? []), { seq: c.seq, data: c.data }]);
  }
  const streams = new Map<string, Uint8Array>();
  for (const row of rows.values()) {
    const rest = chunksOf.get(row.oid) ?? [];
    if (rest.length !== row.chunks - 1 || rest.some((c, i) => c.seq !== i + 1)) {
      problems.push(`rule 2: ${row.oid} has chunks=${row.chunks} but chunk rows ${JSON.stringify(rest.map((c) => c.seq))}`);
    }
    const pieces = [row.data, ...rest.map((c) => c.data)];
    pieces.forEach((piece, i) => {
      if (i < pieces.length - 1 ? piece.length !== CHUNK : piece.length > CHUNK || piece.length === 0) {
        problems.push(`rule 2: piece ${i} of ${row.oid} is ${piece.length} bytes`);
      }
    });
    streams.set(row.oid, Buffer.concat(pieces));
  }

  // Rules 1 and 3: content hashes to the id; bases exist, depth = 1 + base depth, chains end.
  const contents = new Map<string, Uint8Array | null>();
  const contentOf = (oid: string, seen: Set<string>): Uint8Array | null => {
    if (contents.has(oid)) return contents.get(oid)!;
    const row = rows.get(oid);
    if (row === undefined || seen.has(oid)) return null;
    seen.add(oid);
    let content: Uint8Array | null = null;
    try {
      const stored = new Uint8Array(inflateSync(streams.get(oid)!));
      if (stored.length !== row.storedSize) problems.push(`stored stream of ${oid} inflates to ${stored.length} bytes, stored_size says ${row.storedSize}`);
      if (row.base === null) content = stored;
      else {
        const base = contentOf(row.base, seen);
        content = base === null ? null : applyDelta(base, stored);
      }
    } catch (err) {
      problems.push(`rule 1: ${oid} cannot be read: ${(err as Error).message}`);
    }
    contents.set(oid, content);
    return content;
  };
  for (const row of rows.values()) {
    if (row.base === null) {
      if (row.depth !== 0) problems.push(`rule 3: whole object ${row.oid} has depth ${row.depth}`);
    } else {
      const base = rows.get(row.base);
      if (base === undefined) problems.push(`rule 3: base ${row.base} of ${row.oid} is missing`);
      else if (row.depth !== base.depth + 1) problems.push(`rule 3: ${row.oid} has depth ${row.depth}, its base ${row.base} has ${base.depth}`);
    }
    // A chain must end at a whole object within as many steps as there are rows.
    let at: string | null = row.oid;
    for (let steps = 0; at !== null && steps <= rows.size; steps++) at = rows.get(at)?.base ?? null;
    if (at !== null) {
      problems.push(`rule 3: the delta chain of ${row.oid} is a cycle`);
      contents.set(row.oid, null);
      continue;
    }
    const content = contentOf(row.oid, new Set());
    if (content === null) continue;
    if (content.length !== row.size) problems.push(`rule 1: ${row.oid} is ${content.length} bytes, size says ${row.size}`);
    const id = createHash('sha1').update(`${TYPES[row.type]} ${content.length}\0`).update(content).digest('hex');
    if (id !== row.oid) problems.push(`rule 1: ${row.oid} hashes to ${id}`);
  }

  // Rule 6: every commit has its row in `commits`, consistent with its content.
  const commitRows = new Map(sql.query<{ oid: Uint8Array; tree: Uint8Array; parents: Uint8Array; time: number; generation: number }>(
    'SELECT oid, tree, parents, time, generation FROM commits',
  ).map((c) => [hex(c.oid), c]));
  for (const row of rows.values()) {
    if (row.type !== 1) continue;
    const c = commitRows.get(row.oid);
    const content = contents.get(row.oid);
    if (c === undefined) {
      problems.push(`rule 6: commit ${row.oid} has no row in commits`);
      continue;
    }
    if (content == null) continue;
    const text = new TextDecoder().decode(content);
    const head = text.slice(0, text.indexOf('\n\n')).split('\n');
    const tree = head.find((l) => l.startsWith('tree '))?.slice(5);
    const parents = head.filter((l) => l.startsWith('parent ')).map((l) => l.slice(7));
    const time = Number(/^committer .* (\d+) [+-]\d{4}$/m.exec(text.slice(0, text.indexOf('\n\n')))?.[1]);
    const parentBytes = hex(c.parents).match(/.{40}/g) ?? [];
    if (hex(c.tree) !== tree || parentBytes.join() !== parents.join() || c.time !== time) {
      problems.push(`rule 6: commits row of ${row.oid} does not match its content`);
    }
    const generation = 1 + Math.max(0, ...parentBytes.map((p) => commitRows.get(p)?.generation ?? 0));
    if (c.generation !== generation) problems.push(`rule 6: generation of ${row.oid} is ${c.generation}, expected ${generation}`);
  }

  // Rules 7 and 8: refs name present objects, peeled exactly for tags; HEAD alone is symbolic.
  const refs = sql.query<{ name: string; oid: Uint8Array | null; target: string | null; peeled: Uint8Array | null }>('SELECT name, oid, target, peeled FROM refs');
  for (const ref of refs) {
    if (ref.target !== null) {
      if (ref.name !== 'HEAD') problems.push(`rule 8: ${ref.name} is symbolic`);
      continue;
    }
    if (ref.name === 'HEAD') problems.push('rule 8: HEAD is not symbolic');
    const oid = hex(ref.oid!);
    const row = rows.get(oid);
    if (row === undefined) {
      problems.push(`rule 7: ${ref.name} points at missing ${oid}`);
      continue;
    }
    let peeled: string | null = null;
    for (let at: Row | undefined = row; at?.type === 4; ) {
      const content = contents.get(at.oid);
      if (content == null) break;
      peeled = new TextDecoder().decode(content).slice(7, 47);
      at = rows.get(peeled);
    }
    if ((ref.peeled === null ? null : hex(ref.peeled)) !== peeled) problems.push(`rule 7: peeled of ${ref.name} should be ${peeled}`);
  }
  if (!refs.some((r) => r.name === 'HEAD')) problems.push('rule 8: HEAD is missing');
  return problems;
}

/** Rows of the staging tables (rule 10: none once every push is committed or discarded). */
export function stagedRows(sql: SqlPort): number {
  const count = (table: string): number => Number(sql.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n);
  return count('incoming') + count('incoming_chunks');
}

/** Every row of `objects`, `object_chunks`, `commits` and `refs`, as text (rule 11: "exactly as before"). */
export function repositoryTables(sql: SqlPort): string {
  const lines: string[] = [];
  const show = (v: unknown): string =>
    v instanceof Uint8Array ? (v.length <= 20 ? hex(v) : `sha1:${createHash('sha1').update(v).digest('hex')}`) : String(v);
  for (const table of ['objects', 'object_chunks', 'commits', 'refs']) {
    for (const row of sql.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY 1, 2`)) {
      lines.push(`${table} ${Object.entries(row).map(([k, v]) => `${k}=${show(v)}`).join(' ')}`);
    }
  }
  return lines.join('\n');
}
