/**
 * The Content-Type a file is served with, from its first bytes and its name.
 * Images and PDFs by their magic numbers; JSON by extension when it is
 * UTF-8; SVG as image/svg+xml (served with a sandboxing
 * Content-Security-Policy, so its scripts cannot run); anything else that is
 * valid UTF-8 without NUL in its first 64 KiB — HTML included, so a repository cannot serve a page
 * that runs in this origin — as text/plain; the rest as octet-stream.
 */

/** How many leading bytes decide (git's binary check reads 8000). */
const SNIFF_BYTES = 64 * 1024;

const MAGIC: readonly [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[0x47, 0x49, 0x46, 0x38, 0x37, 0x61], 'image/gif'], // GIF87a
  [[0x47, 0x49, 0x46, 0x38, 0x39, 0x61], 'image/gif'], // GIF89a
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'application/pdf'], // %PDF-
];

export const TEXT_PLAIN = 'text/plain; charset=utf-8';

export function contentTypeOf(path: string, data: Uint8Array): string {
  for (const [magic, type] of MAGIC) if (startsWith(data, magic)) return type;
  if (isWebp(data)) return 'image/webp';
  if (!isText(data)) return 'application/octet-stream';
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.json')) return 'application/json; charset=utf-8';
  if (name.endsWith('.svg')) return 'image/svg+xml; charset=utf-8';
  return TEXT_PLAIN;
}

/** Valid UTF-8 without NUL, judged by the first SNIFF_BYTES (a character cut at that point is fine). */
export function isText(data: Uint8Array): boolean {
  const sample = data.subarray(0, SNIFF_BYTES);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: data.length > SNIFF_BYTES });
    return true;
  } catch {
    return false;
  }
}

function startsWith(data: Uint8Array, magic: readonly number[]): boolean {
  if (data.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (data[i] !== magic[i]) return false;
  return true;
}

/** "RIFF" <size> "WEBP" */
function isWebp(data: Uint8Array): boolean {
  return startsWith(data, [0x52, 0x49, 0x46, 0x46]) && data.length >= 12
    && data[8] === 0x57 && data[9] === 0x45 && data[10] === 0x42 && data[11] === 0x50;
}
