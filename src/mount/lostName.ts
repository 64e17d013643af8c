/**
 * True for a name that was not UTF-8: fuse-native hands paths over as
 * strings, decoded with U+FFFD for what is not UTF-8, so the name asked
 * for is lost. Making a file under the replaced name would leave one the
 * caller cannot find again: both mounts refuse such names (EILSEQ).
 */
export function lostName(path: string): boolean {
  return path.includes('\uFFFD');
}
