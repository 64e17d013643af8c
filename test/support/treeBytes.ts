/**
 * Raw tree bytes for tests that craft trees by hand (gitformat-tree):
 * `<octal mode> SP <name> NUL <20-byte id>` per entry, entries back to back.
 */
import { hexToBytes } from '../../src/git/objects/objectId.ts';

const encoder = new TextEncoder();

/** The concatenation of strings (as UTF-8) and byte arrays. */
export function concatBytes(...parts: (string | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part));
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** One tree entry; `mode` is written as given (so '040000' makes a zero-padded mode). */
export function treeEntry(mode: string, name: string | Uint8Array, oid: string): Uint8Array {
  return concatBytes(`${mode} `, name, '\0', hexToBytes(oid));
}
