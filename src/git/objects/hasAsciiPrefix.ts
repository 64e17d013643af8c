/** Whether the ASCII text `prefix` sits at `offset` of `data` (C's `skip_prefix`/`starts_with` on object bytes). */
export function hasAsciiPrefix(data: Uint8Array, offset: number, prefix: string): boolean {
  if (offset + prefix.length > data.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[offset + i] !== prefix.charCodeAt(i)) return false;
  return true;
}
