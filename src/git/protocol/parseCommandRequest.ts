/**
 * Reads one protocol v2 command request (gitprotocol-v2, "Command Request"):
 *
 *   request = empty-request | command-request
 *   command-request = command capability-list [command-args] flush-pkt
 *   command = PKT-LINE("command=" key LF)
 *   capability-list = *capability          (then delim-pkt before the args)
 *
 * Client capabilities Grove accepts: agent, object-format (sha1 only),
 * server-option, session-id. Anything else is refused, as git does.
 */
import { GroveError } from '../../errors.ts';
import type { PktLineReader } from './PktLineReader.ts';
import { OBJECT_FORMAT } from './serverInfo.ts';

export interface CommandRequest {
  /** Null for an empty request (a lone flush). */
  command: string | null;
  serverOptions: string[];
  args: string[];
}

export async function parseCommandRequest(reader: PktLineReader): Promise<CommandRequest> {
  const first = await reader.readLine();
  if (typeof first !== 'string') {
    if (first.kind === 'flush' || first.kind === 'eof') return { command: null, serverOptions: [], args: [] };
    throw new GroveError('PROTOCOL_ERROR', `expected a command, got a ${first.kind} packet`);
  }
  if (!first.startsWith('command=')) throw new GroveError('PROTOCOL_ERROR', `expected a command, got '${first.slice(0, 80)}'`);
  const request: CommandRequest = { command: first.slice('command='.length), serverOptions: [], args: [] };

  for (;;) {
    const line = await reader.readLine();
    if (typeof line !== 'string') {
      if (line.kind === 'delim') break;
      if (line.kind === 'flush') return request;
      throw new GroveError('PROTOCOL_ERROR', `request ended inside its capability list`);
    }
    const [key, value] = splitOnce(line, '=');
    if (key === 'agent' || key === 'session-id') continue;
    if (key === 'object-format') {
      if (value !== OBJECT_FORMAT) throw new GroveError('PROTOCOL_ERROR', `unsupported object format '${value}'`);
    } else if (key === 'server-option' && value !== undefined) {
      request.serverOptions.push(value);
    } else {
      throw new GroveError('PROTOCOL_ERROR', `unknown capability '${line.slice(0, 80)}'`);
    }
  }

  for (;;) {
    const line = await reader.readLine();
    if (typeof line === 'string') {
      request.args.push(line);
      continue;
    }
    if (line.kind === 'flush') return request;
    throw new GroveError('PROTOCOL_ERROR', `expected a flush packet to end the '${request.command}' request, got ${line.kind}`);
  }
}

function splitOnce(line: string, separator: string): [string, string | undefined] {
  const at = line.indexOf(separator);
  return at < 0 ? [line, undefined] : [line.slice(0, at), line.slice(at + 1)];
}
