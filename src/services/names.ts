/** Names of namespaces and repositories: `[A-Za-z0-9][A-Za-z0-9._-]{1,62}`, and never ending in `.git`. */
import { GroveError } from '../errors.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/;

export function assertName(kind: 'namespace' | 'repository', name: string): void {
  if (!NAME.test(name) || name.endsWith('.git') || name.endsWith('.lock')) {
    throw new GroveError('BAD_REQUEST', `invalid ${kind} name '${name.slice(0, 80)}': use 2-63 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit, not ending in .git or .lock`, { [kind]: name });
  }
}
