/**
 * Host name resolution for the remote URL policy (services/remoteUrl.ts), on
 * Node: every address the system resolver gives (`all: true`), as the HTTP
 * client would connect to one of them.
 */
import { lookup } from 'node:dns/promises';
import { GroveError } from '../../errors.ts';

export async function lookupHost(host: string): Promise<string[]> {
  try {
    const answers = await lookup(host, { all: true, verbatim: true });
    return answers.map((a) => a.address);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const reason = code === 'ENOTFOUND' || code === 'ENODATA' ? 'no such host' : String(code ?? (err as Error).message);
    throw new GroveError('REMOTE_ERROR', `cannot resolve host ${host}: ${reason}`, { host });
  }
}
