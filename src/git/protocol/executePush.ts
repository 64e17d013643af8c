/**
 * Carries out a push the way receive-pack does: receive and verify the pack
 * (every object hashed and checked, thin deltas completed from the
 * repository: indexPack.ts), then check the commands and apply the ref
 * updates in one transaction (commitPush.ts). Nothing becomes visible unless
 * it is all consistent. A pack that cannot be received is reported
 * (`unpack <reason>`, every ref `unpacker error`), not thrown.
 */
import { isGroveError } from '../../errors.ts';
import { ZERO_OID, type Oid } from '../objects/objectId.ts';
import { indexPack, type IndexedPack } from '../pack/indexPack.ts';
import { commitPush, type PushReport } from './commitPush.ts';
import type { PushCommand } from './parseReceivePackRequest.ts';
import type { PushTarget } from './pushTarget.ts';

export type { PushReport } from './commitPush.ts';

export interface PushOptions {
  atomic: boolean;
  maxPackBytes: number;
  /** Largest object accepted, in bytes (OBJECT_TOO_LARGE past it). */
  maxObjectBytes?: number;
  /** Bytes the repository may still grow by: a bigger pack is refused. */
  roomBytes?: number;
  /** The client's shallow commits (`shallow` lines of the request). */
  shallow?: readonly Oid[];
}

export async function executePush(
  target: PushTarget,
  commands: readonly PushCommand[],
  pack: AsyncIterable<Uint8Array>,
  options: PushOptions,
): Promise<PushReport> {
  const staging = target.beginPush();
  try {
    let index: IndexedPack | undefined;
    if (commands.some((c) => c.new !== ZERO_OID)) {
      const room = Math.max(0, options.roomBytes ?? Number.POSITIVE_INFINITY);
      const roomBinds = room < options.maxPackBytes;
      try {
        index = await indexPack(pack, target.codec, staging, target.objects, {
          maxBytes: Math.min(options.maxPackBytes, room),
          ...(options.maxObjectBytes === undefined ? {} : { maxObjectBytes: options.maxObjectBytes }),
        });
      } catch (err) {
        if (!isGroveError(err) || err.code === 'INTERNAL') throw err;
        const reason = err.code === 'OBJECT_TOO_LARGE' ? `OBJECT_TOO_LARGE: ${err.message}`
          : err.code !== 'PAYLOAD_TOO_LARGE' ? err.message
          : roomBinds ? `REPO_TOO_LARGE: the pack would take the repository over its maximum size (room for ${room} more bytes)`
          : 'pack exceeds the maximum allowed size';
        return { unpack: reason, refs: commands.map((c) => ({ name: c.name, ok: false, reason: 'unpacker error' })) };
      }
    }
    return await commitPush(target.objects, staging, commands, index, {
      atomic: options.atomic,
      ...(options.shallow === undefined ? {} : { shallow: options.shallow }),
    });
  } finally {
    staging.discard();
  }
}
