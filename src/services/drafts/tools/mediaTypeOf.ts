/**
 * The media type `read` reports: by the file's extension when it names a
 * type of the right kind (a text type for a text file, a binary one for a
 * binary file), else by the magic numbers of PNG, JPEG, GIF, WebP and PDF,
 * else `text/plain` or `application/octet-stream`. No parameters
 * (text is always UTF-8: isTextFile.ts).
 */
const TEXT_TYPES: Record<string, string> = {
  txt: 'text/plain', md: 'text/markdown', markdown: 'text/markdown', html: 'text/html', htm: 'text/html',
  css: 'text/css', csv: 'text/csv', tsv: 'text/tab-separated-values', js: 'text/javascript', mjs: 'text/javascript',
  cjs: 'text/javascript', jsx: 'text/javascript', ts: 'text/x-typescript', tsx: 'text/x-typescript',
  mts: 'text/x-typescript', cts: 'text/x-typescript', py: 'text/x-python', rb: 'text/x-ruby', go: 'text/x-go',
  rs: 'text/x-rust', java: 'text/x-java', c: 'text/x-c', h: 'text/x-c', cc: 'text/x-c++', cpp: 'text/x-c++',
  hpp: 'text/x-c++', sh: 'text/x-shellscript', json: 'application/json', xml: 'application/xml',
  yaml: 'application/yaml', yml: 'application/yaml', toml: 'application/toml', svg: 'image/svg+xml',
};

const BINARY_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  bmp: 'image/bmp', ico: 'image/vnd.microsoft.icon', pdf: 'application/pdf', zip: 'application/zip',
  gz: 'application/gzip', tar: 'application/x-tar', wasm: 'application/wasm', woff: 'font/woff', woff2: 'font/woff2',
};

const MAGIC: readonly [readonly number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[0x47, 0x49, 0x46, 0x38, 0x37, 0x61], 'image/gif'], // GIF87a
  [[0x47, 0x49, 0x46, 0x38, 0x39, 0x61], 'image/gif'], // GIF89a
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'application/pdf'], // %PDF-
];

export function mediaTypeOf(path: string, bytes: Uint8Array, text: boolean): string {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1) : '';
  const table = text ? TEXT_TYPES : BINARY_TYPES;
  const byName = Object.hasOwn(table, extension) ? table[extension] : undefined;
  if (byName !== undefined) return byName;
  for (const [magic, type] of MAGIC) if (startsWith(bytes, magic)) return type;
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes.subarray(8), [0x57, 0x45, 0x42, 0x50])) return 'image/webp'; // RIFF <size> WEBP
  return text ? 'text/plain' : 'application/octet-stream';
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}
