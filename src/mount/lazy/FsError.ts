/**
 * A file-system failure of the mounted tree, named by its POSIX errno
 * (FUSE answers with the negative number: lazyFuseOps.ts).
 */
export type Errno = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EINVAL' | 'EROFS' | 'EPERM' | 'EIO' | 'EBADF' | 'EACCES' | 'EILSEQ';

export const ERRNO: Readonly<Record<Errno, number>> = {
  EPERM: 1, ENOENT: 2, EIO: 5, EBADF: 9, EACCES: 13, EEXIST: 17, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, EROFS: 30, ENOTEMPTY: 39, EILSEQ: 84,
};


export class FsError extends Error {
  readonly errno: Errno;

  constructor(errno: Errno, message: string = errno) {
    super(message);
    this.name = 'FsError';
    this.errno = errno;
  }
}
