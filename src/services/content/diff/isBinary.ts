/**
 * Binary detection as git does it without attributes (xdiff-interface.c
 * `buffer_is_binary`): "Count NUL bytes in the first 8000 bytes"; any NUL
 * makes the content binary. Blobs larger than `core.bigFileThreshold`
 * (512 MiB) are binary too (diff.c `diff_filespec_is_binary`).
 */
const FIRST_FEW_BYTES = 8000;
export const BIG_FILE_THRESHOLD = 512 * 1024 * 1024;

export function isBinary(bytes: Uint8Array): boolean {
  if (bytes.length > BIG_FILE_THRESHOLD) return true;
  return bytes.subarray(0, FIRST_FEW_BYTES).includes(0);
}
