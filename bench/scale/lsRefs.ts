/**
 * A protocol v2 `ls-refs` request as a client sends it in one POST to
 * `…/git-upload-pack` with `Git-Protocol: version=2` (gitprotocol-v2):
 *
 *   request = command-request capability-list [delim-pkt command-args] flush-pkt
 *   command-request = PKT-LINE("command=" key LF)
 *   ls-refs args: symrefs, peel
 *   output = *ref flush-pkt
 *   ref = PKT-LINE(obj-id-or-unborn SP refname *(SP ref-attribute) LF)
 *
 * and the parsing of its answer, to check every timed answer is right.
 */

export interface ListedRef {
  oid: string;
  name: string;
  symrefTarget?: string;
}

function pkt(text: string): string {
  return `${(text.length + 4).toString(16).padStart(4, '0')}${text}`;
}

export const LS_REFS_BODY: Buffer = Buffer.from(`${pkt('command=ls-refs\n')}${pkt('agent=git/2.39.5\n')}0001${pkt('peel\n')}${pkt('symrefs\n')}0000`);

export const LS_REFS_HEADERS: Record<string, string> = {
  'git-protocol': 'version=2',
  'content-type': 'application/x-git-upload-pack-request',
  accept: 'application/x-git-upload-pack-result',
};

/** The refs of an ls-refs answer; throws on an `ERR` packet or a malformed or unfinished answer. */
export function parseLsRefs(body: Buffer): ListedRef[] {
  const refs: ListedRef[] = [];
  let at = 0;
  while (at + 4 <= body.length) {
    const length = Number.parseInt(body.toString('latin1', at, at + 4), 16);
    if (!Number.isInteger(length)) throw new Error(`ls-refs: bad pkt-line length at ${at}`);
    if (length === 0) return refs;
    if (length < 4 || at + length > body.length) throw new Error(`ls-refs: bad pkt-line length ${length} at ${at}`);
    const line = body.toString('utf8', at + 4, at + length).replace(/\n$/, '');
    at += length;
    if (line.startsWith('ERR ')) throw new Error(`ls-refs: ${line}`);
    const [oid = '', name = '', ...attributes] = line.split(' ');
    const ref: ListedRef = { oid, name };
    for (const attribute of attributes) if (attribute.startsWith('symref-target:')) ref.symrefTarget = attribute.slice('symref-target:'.length);
    refs.push(ref);
  }
  throw new Error('ls-refs: the answer ends before its flush packet');
}
