/**
 * The FUSE operations of a lazy mount before its file system exists: FUSE
 * is mounted while the remote is still being asked for the tree (mounting
 * costs 10–40 ms that would otherwise come after it), and every call that
 * arrives meanwhile waits until the file system is ready, then goes to it.
 * If the mount fails before that, waiting calls answer EIO.
 *
 * fuse-native registers only the operations the object has when it mounts,
 * so the names are listed here; DeferredOps.test.ts checks the list
 * against what the file system implements.
 */
import type { FuseOps } from './fuseNative.ts';
import { ERRNO } from './FsError.ts';

export const LAZY_OPERATIONS = [
  'init', 'getattr', 'fgetattr', 'readdir', 'access', 'statfs', 'open', 'create', 'read', 'write', 'release', 'flush', 'fsync',
  'truncate', 'ftruncate', 'unlink', 'rmdir', 'mkdir', 'symlink', 'rename', 'readlink', 'link', 'mknod', 'chmod', 'chown', 'utimens',
] as const satisfies readonly (keyof FuseOps)[];

type AnyOp = (...args: unknown[]) => void;

export class DeferredOps {
  #real: Partial<FuseOps> | undefined;
  #failed = false;
  readonly #waiting: (() => void)[] = [];

  /** From now on, calls go to `ops` (those that waited first, in order). */
  ready(ops: Partial<FuseOps>): void {
    this.#real = ops;
    for (const run of this.#waiting.splice(0)) run();
  }

  /** The mount failed before it was ready: waiting and later calls answer EIO. */
  fail(): void {
    this.#failed = true;
    for (const run of this.#waiting.splice(0)) run();
  }

  ops(): Partial<FuseOps> {
    const out: Record<string, AnyOp> = {};
    for (const name of LAZY_OPERATIONS) {
      if (name === 'init') {
        out[name] = (cb: unknown) => (cb as (code: number) => void)(0);
        continue;
      }
      out[name] = (...args: unknown[]) => {
        const run = (): void => {
          const real = this.#real?.[name] as AnyOp | undefined;
          if (real !== undefined) return real(...args);
          (args.at(-1) as (code: number) => void)(this.#failed ? -ERRNO.EIO : -38); // ENOSYS: not implemented
        };
        if (this.#real !== undefined || this.#failed) run();
        else this.#waiting.push(run);
      };
    }
    return out as Partial<FuseOps>;
  }
}
