/**
 * The v2 `ls-refs` command, client side (gitprotocol-v2, "ls-refs"):
 *
 *   symrefs    In addition to the object pointed by it, show the underlying
 *              ref pointed by it when showing a symbolic ref.
 *   peel       Show peeled tags.
 *   ref-prefix <prefix>  When specified, only references having a prefix
 *              matching one of the provided prefixes are displayed.
 *   unborn     The server will send information about HEAD even if it is a
 *              symref pointing to an unborn branch [...]
 *
 *   output = *ref flush-pkt
 *   obj-id-or-unborn = (obj-id | "unborn")
 *   ref = PKT-LINE(obj-id-or-unborn SP refname *(SP ref-attribute) LF)
 *   ref-attribute = (symref | peeled)
 *   symref = "symref-target:" symref-target
 *   peeled = "peeled:" obj-id
 *
 * Prefixes are only an optimisation for the server ("the server may return
 * more"): the answer is filtered here too.
 */
import { concatBytes } from '../bytes.ts';
import { isOid } from '../objects/objectId.ts';
import type { Ref } from '../ports.ts';
import { DELIM_PKT, FLUSH_PKT, pktLine } from '../protocol/pktLine.ts';
import { features } from './parseCapabilitiesV2.ts';
import { RemoteReader } from './RemoteReader.ts';
import type { RemoteLimits } from './RemoteInfo.ts';
import type { SmartHttpTransport } from './SmartHttpTransport.ts';
import { commandCapabilities } from './commandCapabilities.ts';

/** HEAD and the refs under `prefixes`, as the remote lists them. */
export async function lsRefs(
  transport: SmartHttpTransport,
  capabilities: ReadonlyMap<string, string>,
  prefixes: readonly string[],
  limits: RemoteLimits,
): Promise<Ref[]> {
  const args = ['symrefs', 'peel'];
  if (features(capabilities, 'ls-refs').has('unborn')) args.push('unborn');
  for (const prefix of ['HEAD', ...prefixes]) args.push(`ref-prefix ${prefix}`);
  const body = concatBytes([
    pktLine('command=ls-refs\n'),
    ...commandCapabilities(capabilities).map((c) => pktLine(`${c}\n`)),
    DELIM_PKT,
    ...args.map((a) => pktLine(`${a}\n`)),
    FLUSH_PKT,
  ]);
  const reader = new RemoteReader(await transport.uploadPack(body, 2), transport.url, limits.maxListingBytes);
  try {
    const refs: Ref[] = [];
    for (let count = 0; ; count++) {
      const line = await reader.readLine();
      if (typeof line !== 'string') {
        if (line.kind === 'flush') return refs;
        throw reader.error(line.kind === 'eof' ? 'the ls-refs answer ended without a flush' : `unexpected ${line.kind} packet in the ls-refs answer`);
      }
      if (count >= limits.maxRefs) throw reader.error(`the ls-refs answer has more than ${limits.maxRefs} refs`);
      const ref = parseRefLine(line);
      if (ref === undefined) throw reader.error(`bad line in the ls-refs answer: ${JSON.stringify(line.slice(0, 120))}`);
      if (ref.name === 'HEAD' || prefixes.some((p) => ref.name.startsWith(p))) refs.push(ref);
    }
  } finally {
    await reader.close();
  }
}

function parseRefLine(line: string): Ref | undefined {
  const [id, name, ...attributes] = line.split(' ');
  if (id === undefined || name === undefined || name === '') return undefined;
  if (id !== 'unborn' && !isOid(id)) return undefined;
  const ref: Ref = { name, oid: id === 'unborn' ? null : id };
  for (const attribute of attributes) {
    if (attribute.startsWith('symref-target:')) ref.target = attribute.slice('symref-target:'.length);
    else if (attribute.startsWith('peeled:')) {
      const peeled = attribute.slice('peeled:'.length);
      if (!isOid(peeled)) return undefined;
      ref.peeled = peeled;
    }
  }
  return ref;
}
