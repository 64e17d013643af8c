/**
 * The type numbers of pack entries (gitformat-pack, "Object types"):
 * "OBJ_COMMIT (1) OBJ_TREE (2) OBJ_BLOB (3) OBJ_TAG (4) OBJ_OFS_DELTA (6)
 * OBJ_REF_DELTA (7)", shared by the pack writer and the pack lister of the tests.
 */
import type { ObjectKind } from './rawObject.ts';

export const TYPE_CODE: Record<ObjectKind, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
export const OFS_DELTA = 6;
export const REF_DELTA = 7;
