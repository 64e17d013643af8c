/**
 * The body of one protocol v2 command request (gitprotocol-v2, "Command
 * Request"):
 *
 *   request = empty-request | command-request
 *   command-request = command
 *                     capability-list
 *                     delim-pkt
 *                     command-args
 *                     flush-pkt
 *   command = PKT-LINE("command=" key LF)
 *
 * The capability lines are the ones the remote advertised and a client may
 * echo (agent, object-format: src/git/client/commandCapabilities.ts).
 */
import { concatBytes } from '../../git/bytes.ts';
import { commandCapabilities } from '../../git/client/commandCapabilities.ts';
import { DELIM_PKT, FLUSH_PKT, pktLine } from '../../git/protocol/pktLine.ts';

export function commandRequest(command: string, advertised: ReadonlyMap<string, string>, args: readonly string[]): Uint8Array {
  return concatBytes([
    pktLine(`command=${command}\n`),
    ...commandCapabilities(advertised).map((c) => pktLine(`${c}\n`)),
    DELIM_PKT,
    ...args.map((a) => pktLine(`${a}\n`)),
    FLUSH_PKT,
  ]);
}
