/**
 * The v2 `ls-refs` command (gitprotocol-v2, "ls-refs"):
 *
 *   symrefs        In addition to the object pointed by it, show the underlying ref pointed by it when showing a symbolic ref.
 *   peel           Show peeled tags.
 *   ref-prefix <prefix>  When specified, only references having a prefix matching one of the provided prefixes are displayed.
 *   unborn         The server will send information about HEAD even if it is a symref pointing to an unborn branch.
 *
 *   output = *ref flush-pkt
 *   ref = PKT-LINE(obj-id-or-unborn SP refname *(SP ref-attribute) LF)
 *   ref-attribute = (symref | peeled)
 */
import { GroveError } from '../../errors.ts';
import type { Ref } from '../ports.ts';
import { FLUSH_PKT, pktLine } from './pktLine.ts';

export function handleLsRefs(refs: readonly Ref[], args: readonly string[]): Uint8Array[] {
  let symrefs = false;
  let peel = false;
  let unborn = false;
  const prefixes: string[] = [];
  for (const arg of args) {
    if (arg === 'symrefs') symrefs = true;
    else if (arg === 'peel') peel = true;
    else if (arg === 'unborn') unborn = true;
    else if (arg.startsWith('ref-prefix ')) prefixes.push(arg.slice('ref-prefix '.length));
    else throw new GroveError('PROTOCOL_ERROR', `ls-refs: unexpected argument '${arg.slice(0, 80)}'`);
  }
  const wanted = (name: string): boolean => prefixes.length === 0 || prefixes.some((p) => name.startsWith(p));

  const out: Uint8Array[] = [];
  const head = refs.find((r) => r.name === 'HEAD');
  const ordered = head === undefined ? refs : [head, ...refs.filter((r) => r !== head)];
  for (const ref of ordered) {
    if (!wanted(ref.name)) continue;
    // git shows an unborn HEAD only to a client that asked for both `unborn` and `symrefs`.
    if (ref.oid === null && !(unborn && symrefs && ref.name === 'HEAD')) continue;
    let line = `${ref.oid ?? 'unborn'} ${ref.name}`;
    if (symrefs && ref.target !== undefined) line += ` symref-target:${ref.target}`;
    if (peel && ref.peeled !== undefined) line += ` peeled:${ref.peeled}`;
    out.push(pktLine(`${line}\n`));
  }
  out.push(FLUSH_PKT);
  return out;
}
