/**
 * Partial clone filters (rev-list-options, "--filter=<filter-spec>"), as a
 * fetch applies them to the objects it finds below the wanted commits:
 *
 *   The form --filter=blob:none omits all blobs.
 *   The form --filter=blob:limit=<n>[kmg] omits blobs larger than n bytes
 *   or units. [...] The value may be zero.
 *   The form --filter=tree:<depth> omits all blobs and trees whose depth
 *   from the root tree is >= <depth> (minimum depth if an object is located
 *   at multiple depths in the commits traversed). <depth>=0 will not include
 *   any trees or blobs unless included explicitly in the command-line.
 *   The form --filter=combine:<filter1>+<filter2>+... combines several
 *   filters. Only objects which are accepted by every filter are included.
 *
 * "Larger than" is git's loose wording: list-objects-filter.c keeps a blob
 * only when its size is below the limit. Depth counts from a commit's root
 * tree (depth 0); the entries of an explicitly wanted tree are at depth 0.
 * Commits and tags are never filtered, nor are objects wanted by id.
 */

export type ObjectFilter =
  | { kind: 'blob:none' }
  | { kind: 'blob:limit'; bytes: number }
  | { kind: 'tree'; depth: number }
  | { kind: 'combine'; filters: ObjectFilter[] };

/** Whether a tree met at `depth` is kept (and walked into). */
export function keepsTree(filter: ObjectFilter, depth: number): boolean {
  switch (filter.kind) {
    case 'blob:none':
    case 'blob:limit':
      return true;
    case 'tree':
      return depth < filter.depth;
    case 'combine':
      return filter.filters.every((f) => keepsTree(f, depth));
  }
}

/** Whether a blob of `size` bytes met at `depth` is kept. */
export function keepsBlob(filter: ObjectFilter, depth: number, size: number): boolean {
  switch (filter.kind) {
    case 'blob:none':
      return false;
    case 'blob:limit':
      return size < filter.bytes;
    case 'tree':
      return depth < filter.depth;
    case 'combine':
      return filter.filters.every((f) => keepsBlob(f, depth, size));
  }
}

/** Whether `keepsBlob` looks at blob sizes (they must then be read). */
export function needsBlobSizes(filter: ObjectFilter): boolean {
  if (filter.kind === 'blob:limit') return true;
  return filter.kind === 'combine' && filter.filters.some(needsBlobSizes);
}
