/**
 * What checking one object (checkObject.ts) tells the caller besides "valid":
 * the objects it links to, with the type each link implies, and the blobs a
 * tree names `.gitmodules` / `.gitattributes`, whose content git's fsck checks
 * too (checkSpecialBlobs.ts). git's fsck.c collects the latter in
 * `gitmodules_found` / `gitattributes_found` while reading trees, and in
 * `fsck_finish` reports each one that is missing (gitmodulesMissing...), not
 * a blob (gitmodulesBlob...) or a blob with bad content.
 */
import type { ObjectType } from './gitObject.ts';
import type { Oid } from './objectId.ts';

export interface ObjectLink {
  oid: Oid;
  /**
   * The type the link implies: a commit's tree → 'tree', its parents →
   * 'commit'; a tree entry's mode (40000 → 'tree', files and symlinks →
   * 'blob'; gitlinks are not links); a tag's `type` header.
   */
  type: ObjectType;
}

export interface ObjectCheck {
  links: ObjectLink[];
  /**
   * Ids of the non-symlink entries of a tree that git treats as `.gitmodules`
   * (HFS+/NTFS aliases included, as fsck_tree does; gitlinks and trees
   * included, as git inserts every non-symlink entry). No id twice.
   */
  gitmodules: Oid[];
  /** The same for `.gitattributes`. */
  gitattributes: Oid[];
}
