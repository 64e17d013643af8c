/**
 * The body of a receive-pack request, made by hand (gitprotocol-pack,
 * "Reference Update Request and Packfile Transfer"):
 *
 *   command-list  =  PKT-LINE(command NUL capability-list) *PKT-LINE(command) flush-pkt
 *   command       =  old-id SP new-id SP name
 *
 * followed by the pack when any command creates or updates a ref.
 */
import { bytesOf } from '../../support/bytesOf.ts';
import { FLUSH, pkt } from '../../support/pktLines.ts';

export type Command = readonly [old: string, next: string, name: string];

export interface PushRequestOptions {
  /** Capabilities after the first command (default `report-status`). */
  capabilities?: readonly string[];
  /** Raw bytes after the command list (the pack). */
  pack?: Uint8Array;
}

/** The command list (each command a pkt-line, the first with the capabilities), a flush, then the pack. */
export function pushRequest(commands: readonly Command[], options: PushRequestOptions = {}): Uint8Array {
  const capabilities = (options.capabilities ?? ['report-status']).join(' ');
  const lines = commands.map(([old, next, name], i) => pkt(i === 0 ? `${old} ${next} ${name}\0${capabilities}\n` : `${old} ${next} ${name}\n`));
  return bytesOf(...lines, FLUSH, options.pack ?? new Uint8Array(0));
}
