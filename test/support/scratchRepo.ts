/**
 * A throw-away bare repository for byte-format unit tests: write objects
 * with `git hash-object --literally`, read them back with `git cat-file`, and
 * run `git fsck --strict` to learn what git says about each object.
 * Synchronous (no server runs in these tests), in the environment of gitEnv.ts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gitBytes, gitRun, gitText } from './gitBytes.ts';
import { tempDir } from './tempDir.ts';

/** One finding of `git fsck` about one object. */
export interface FsckFinding {
  level: 'error' | 'warning';
  /** git's message id (camelCase), or 'unparseable' when git could not even parse the object. */
  id: string;
  message: string;
}

export interface ScratchRepo {
  dir: string;
  /** `git <args>` in the repository; stdout trimmed; throws when git fails. */
  git(args: string[], input?: string | Uint8Array, env?: Record<string, string>): string;
  /** `git <args>` in the repository, failing or not. */
  run(args: string[], input?: string | Uint8Array): { status: number; stdout: string; stderr: string };
  /** Writes an object as is (`hash-object -w --literally`); returns its id. */
  hash(type: string, data: string | Uint8Array): string;
  /** The content of an object (`cat-file <type>`). */
  read(type: string, oid: string): Uint8Array;
  /** What `git fsck --strict` reports, per object id (objects it is silent about are absent). */
  fsck(): Map<string, FsckFinding[]>;
  /** Deletes the repository. */
  remove(): void;
}

const FINDING = /^(error|warning) in [a-z]+ ([0-9a-f]{40}): ([A-Za-z0-9]+): (.*)$/;
const UNPARSEABLE = /^error: ([0-9a-f]{40}): object (?:could not be parsed|corrupt or missing)/;

/** A new empty repository in a temporary directory: bare unless `bare: false` (then with a work tree). */
export function scratchRepo(options: { bare?: boolean } = {}): ScratchRepo {
  const scratch = tempDir('grove-objects-');
  const dir = scratch.dir;
  gitBytes(['init', '--quiet', ...(options.bare === false ? [] : ['--bare']), dir]);
  const repo: ScratchRepo = {
    dir,
    git: (args, input, env) => gitText(args, { cwd: dir, input, env }),
    run(args, input) {
      const result = gitRun(args, { cwd: dir, input });
      return { status: result.status, stdout: new TextDecoder().decode(result.stdout), stderr: result.stderr };
    },
    hash: (type, data) => gitText(['hash-object', '-w', '--literally', '-t', type, '--stdin'], { cwd: dir, input: data }),
    read: (type, oid) => gitBytes(['cat-file', type, oid], { cwd: dir }),
    fsck() {
      const result = gitRun(['fsck', '--strict', '--no-dangling', '--no-progress'], { cwd: dir });
      const findings = new Map<string, FsckFinding[]>();
      const add = (oid: string, finding: FsckFinding): void => {
        const list = findings.get(oid) ?? [];
        list.push(finding);
        findings.set(oid, list);
      };
      for (const line of `${result.stderr}\n${new TextDecoder().decode(result.stdout)}`.split('\n')) {
        const match = FINDING.exec(line);
        if (match !== null) {
          add(match[2]!, { level: match[1] as 'error' | 'warning', id: match[3]!, message: match[4]! });
          continue;
        }
        const unparseable = UNPARSEABLE.exec(line);
        if (unparseable !== null) add(unparseable[1]!, { level: 'error', id: 'unparseable', message: line });
      }
      return findings;
    },
    remove: scratch.remove,
  };
  return repo;
}

/**
 * `-c` arguments that make git sign commits and tags (`commit -S`, `tag -s`)
 * with a fresh SSH key made in `dir`: real signatures without a GPG keyring.
 */
export function sshSigningConfig(dir: string): string[] {
  const key = join(dir, 'signing-key');
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'grove-test', '-f', key], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
  return ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key}`];
}

/** Every object of the repository at `dir` (`git cat-file --batch-all-objects --batch`). */
export function readAllObjects(dir: string): { oid: string; type: string; data: Uint8Array }[] {
  const out = gitBytes(['cat-file', '--batch-all-objects', '--batch'], { cwd: dir });
  const objects: { oid: string; type: string; data: Uint8Array }[] = [];
  const decoder = new TextDecoder();
  let pos = 0;
  while (pos < out.length) {
    const eol = out.indexOf(0x0a, pos);
    const [oid, type, size] = decoder.decode(out.subarray(pos, eol)).split(' ');
    const start = eol + 1;
    const end = start + Number(size);
    objects.push({ oid: oid!, type: type!, data: out.subarray(start, end) });
    pos = end + 1;
  }
  return objects;
}
