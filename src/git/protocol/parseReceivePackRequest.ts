/**
 * Reads the command part of a receive-pack request (gitprotocol-pack,
 * "Reference Update Request and Packfile Transfer"):
 *
 *   update-requests   =  *shallow ( command-list | push-cert )
 *   command-list      =  PKT-LINE(command NUL capability-list) *PKT-LINE(command) flush-pkt
 *   command           =  create / delete / update
 *   create            =  zero-id SP new-id  SP name
 *   delete            =  old-id  SP zero-id SP name
 *   update            =  old-id  SP new-id  SP name
 *   push-options      =  *PKT-LINE(push-option) flush-pkt     (when push-options was asked for)
 *
 * The pack, if any command creates or updates a ref, follows as raw bytes.
 */
import { GroveError } from '../../errors.ts';
import { isOid, ZERO_OID, type Oid } from '../objects/objectId.ts';
import type { PktLineReader } from './PktLineReader.ts';

export interface PushCommand {
  old: Oid;
  new: Oid;
  name: string;
}

export interface ReceivePackRequest {
  commands: PushCommand[];
  capabilities: Set<string>;
  pushOptions: string[];
  shallow: Oid[];
}

/** Capabilities Grove's receive-pack honours; the advertisement adds object-format and agent. */
export const RECEIVE_PACK_CAPABILITIES: readonly string[] = [
  'report-status',
  'report-status-v2',
  'delete-refs',
  'side-band-64k',
  'quiet',
  'atomic',
  'ofs-delta',
  'push-options',
];
const CLIENT_CAPABILITIES = new Set([...RECEIVE_PACK_CAPABILITIES, 'agent', 'object-format', 'session-id']);

/**
 * Reads the commands (and push options) of a push. `maxBytes` bounds this part
 * of the request; the pack after it has its own limit.
 */
export async function parseReceivePackRequest(reader: PktLineReader, maxBytes: number): Promise<ReceivePackRequest> {
  const request: ReceivePackRequest = { commands: [], capabilities: new Set(), pushOptions: [], shallow: [] };
  const withinLimit = (): void => {
    if (reader.position > maxBytes) {
      throw new GroveError('PAYLOAD_TOO_LARGE', `receive-pack: the command list exceeds the limit of ${maxBytes} bytes`, { maxBytes });
    }
  };
  for (;;) {
    const pkt = await reader.read();
    withinLimit();
    if (pkt.kind === 'flush') break;
    // An empty body is the probe git sends before a large push; a body cut inside the list is not.
    if (pkt.kind === 'eof' && request.commands.length === 0 && request.shallow.length === 0) return request;
    if (pkt.kind === 'eof') throw new GroveError('PROTOCOL_ERROR', 'receive-pack: the request ended before the flush that closes the command list');
    if (pkt.kind !== 'data') throw new GroveError('PROTOCOL_ERROR', `receive-pack: unexpected ${pkt.kind} packet in the command list`);
    let text = new TextDecoder().decode(pkt.payload);
    if (text.endsWith('\n')) text = text.slice(0, -1);
    const nul = text.indexOf('\0');
    if (nul >= 0) {
      if (request.commands.length > 0) throw new GroveError('PROTOCOL_ERROR', 'receive-pack: capabilities after the first command');
      for (const cap of text.slice(nul + 1).split(' ')) {
        if (cap === '') continue;
        const name = cap.split('=')[0]!;
        if (!CLIENT_CAPABILITIES.has(name)) throw new GroveError('PROTOCOL_ERROR', `receive-pack: unsupported capability '${cap}'`);
        request.capabilities.add(name);
      }
      text = text.slice(0, nul);
    }
    if (text.startsWith('shallow ') && request.commands.length === 0 && isOid(text.slice(8))) {
      request.shallow.push(text.slice(8));
      continue;
    }
    // The name is the rest of the line, spaces included (a name git refuses is refused per ref, later).
    const old = text.slice(0, 40);
    const next = text.slice(41, 81);
    const name = text.slice(82);
    if (text[40] !== ' ' || text[81] !== ' ' || !isOid(old) || !isOid(next) || name === '') {
      throw new GroveError('PROTOCOL_ERROR', `receive-pack: malformed command '${text.slice(0, 120)}'`);
    }
    if (old === ZERO_OID && next === ZERO_OID) throw new GroveError('PROTOCOL_ERROR', `receive-pack: command for ${name} neither creates, updates nor deletes`);
    request.commands.push({ old, new: next, name });
  }
  if (request.capabilities.has('push-options') && request.commands.length > 0) {
    for (;;) {
      const line = await reader.readLine();
      withinLimit();
      if (typeof line === 'string') {
        request.pushOptions.push(line);
        continue;
      }
      if (line.kind === 'flush') break;
      throw new GroveError('PROTOCOL_ERROR', line.kind === 'eof'
        ? 'receive-pack: the request ended before the flush that closes the push options'
        : `receive-pack: unexpected ${line.kind} packet among the push options`);
    }
  }
  return request;
}
