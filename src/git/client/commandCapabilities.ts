/**
 * The capability lines a v2 command request carries (gitprotocol-v2,
 * "Command Request": "capability-list = *capability"). A client sends only
 * what the server advertised: `agent` ("the server may advertise the agent
 * capability [...] clients may optionally send") and `object-format`
 * ("the client [...] MUST NOT send [one] the server did not advertise").
 * Grove stores SHA-1 only, so a remote of another format is refused.
 */
import { AGENT, OBJECT_FORMAT } from '../protocol/serverInfo.ts';

export function commandCapabilities(advertised: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  if (advertised.has('agent')) lines.push(`agent=${AGENT}`);
  if (advertised.has('object-format')) lines.push(`object-format=${OBJECT_FORMAT}`);
  return lines;
}
