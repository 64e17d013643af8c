/**
 * `grove repo`: repositories.
 *
 *   grove repo create <ns>/<name> [--description d] [--default-branch b] [--read-only]
 *   grove repo list <ns> [--search s] [--sort f] [--direction d] [--limit n] [--cursor c] [--all]
 *   grove repo get <ns>/<name>
 *   grove repo update <ns>/<name> [--description d] [--default-branch b] [--read-only|--writable]
 *   grove repo delete <ns>/<name>
 *   grove repo fork <ns>/<name> <newns>/<newname>|<newname> [--all-refs] [--read-only] [--description d]
 *   grove repo import <url> <ns>/<name> [--branch b] [--depth n] [--header 'K: V']... [--wait]
 */
import { Option, type Command } from 'commander';
import type { ImportRepoRequest, Repo, RepoSort, RepoWithToken, UpdateRepoRequest } from '../sdk/types.ts';
import { clientFromFlags, withClientFlags, type ClientFlags } from './clientFromFlags.ts';
import { printJson } from './output.ts';
import { parsePositiveInteger } from './parseNumber.ts';
import { collectHeader } from './parseHeader.ts';
import { parseForkTarget, parseRepoName } from './parseRepoName.ts';
import { printPage, type PageFlags } from './printPage.ts';
import { startProgressLine } from './progressLine.ts';
import { runAction } from './runAction.ts';
import { UsageError } from './UsageError.ts';
import { GroveApiError } from '../sdk/GroveApiError.ts';
import { repoTable, repoView } from './views.ts';

interface SettingsFlags {
  description?: string;
  defaultBranch?: string;
  readOnly?: boolean;
}

export function registerRepoCommands(program: Command): void {
  const repo = program.command('repo').description('manage repositories');

  withClientFlags(
    repo.command('create').description('create a repository (and its namespace if new)').argument('<ns/name>')
      .option('--description <text>', 'what the repository holds')
      .option('--default-branch <branch>', 'branch HEAD points at (default main)')
      .option('--read-only', 'refuse pushes'),
  ).action(runAction(async (target: string, flags: ClientFlags & SettingsFlags) => {
    const { namespace, name } = parseRepoName(target);
    const created = await clientFromFlags(flags).repos.create(namespace, {
      name,
      ...(flags.description === undefined ? {} : { description: flags.description }),
      ...(flags.defaultBranch === undefined ? {} : { default_branch: flags.defaultBranch }),
      ...(flags.readOnly === true ? { read_only: true } : {}),
    });
    printRepo(created, flags);
  }));

  withClientFlags(
    repo.command('list').description("list a namespace's repositories").argument('<ns>')
      .option('--search <text>', 'only names containing this (case-insensitive)')
      .addOption(new Option('--sort <field>', 'order by (default created_at)').choices(['created_at', 'updated_at', 'last_push_at', 'name']))
      .addOption(new Option('--direction <dir>', 'order (default desc)').choices(['asc', 'desc']))
      .option('--limit <n>', 'repositories per page (1-200)', parsePositiveInteger)
      .option('--cursor <cursor>', 'start at this page (the next_cursor of the previous one)')
      .option('--all', 'follow next_cursor to the last page'),
  ).action(runAction(async (namespace: string, flags: ClientFlags & PageFlags & { search?: string; sort?: RepoSort; direction?: 'asc' | 'desc' }) => {
    const client = clientFromFlags(flags);
    const query = { limit: flags.limit, cursor: flags.cursor, search: flags.search, sort: flags.sort, direction: flags.direction };
    await printPage(flags, 'repos', () => client.repos.list(namespace, query), () => client.repos.iterate(namespace, query), repoTable);
  }));

  withClientFlags(repo.command('get').description('show a repository').argument('<ns/name>'))
    .action(runAction(async (target: string, flags: ClientFlags) => {
      const { namespace, name } = parseRepoName(target);
      printRepo(await clientFromFlags(flags).repos.get(namespace, name), flags);
    }));

  withClientFlags(
    repo.command('update').description("change a repository's settings").argument('<ns/name>')
      .option('--description <text>', 'new description')
      .option('--default-branch <branch>', 'new default branch')
      .option('--read-only', 'refuse pushes from now on')
      .option('--writable', 'accept pushes again'),
  ).action(runAction(async (target: string, flags: ClientFlags & SettingsFlags & { writable?: boolean }) => {
    const { namespace, name } = parseRepoName(target);
    if (flags.readOnly === true && flags.writable === true) throw new UsageError('--read-only and --writable contradict each other');
    const patch: UpdateRepoRequest = {
      ...(flags.description === undefined ? {} : { description: flags.description }),
      ...(flags.defaultBranch === undefined ? {} : { default_branch: flags.defaultBranch }),
      ...(flags.readOnly === true ? { read_only: true } : flags.writable === true ? { read_only: false } : {}),
    };
    if (Object.keys(patch).length === 0) throw new UsageError('nothing to change: pass --description, --default-branch, --read-only or --writable');
    printRepo(await clientFromFlags(flags).repos.update(namespace, name, patch), flags);
  }));

  withClientFlags(repo.command('delete').description('delete a repository and revoke its tokens').argument('<ns/name>'))
    .action(runAction(async (target: string, flags: ClientFlags) => {
      const { namespace, name } = parseRepoName(target);
      await clientFromFlags(flags).repos.delete(namespace, name);
      if (flags.json !== true) process.stdout.write(`deleted repository ${namespace}/${name}\n`);
    }));

  withClientFlags(
    repo.command('fork').description('fork a repository (instant: refs are copied, objects shared)')
      .argument('<ns/name>', 'the parent')
      .argument('<target>', 'the fork: <ns>/<name>, or <name> in the same namespace')
      .option('--all-refs', 'copy every ref, not only HEAD and the default branch')
      .option('--read-only', 'refuse pushes to the fork')
      .option('--description <text>', "the fork's description"),
  ).action(runAction(async (source: string, targetText: string, flags: ClientFlags & SettingsFlags & { allRefs?: boolean }) => {
    const parent = parseRepoName(source);
    const target = parseForkTarget(targetText, parent.namespace);
    const fork = await clientFromFlags(flags).repos.fork(parent.namespace, parent.name, {
      name: target.name,
      namespace: target.namespace,
      ...(flags.description === undefined ? {} : { description: flags.description }),
      ...(flags.readOnly === true ? { read_only: true } : {}),
      ...(flags.allRefs === true ? { default_branch_only: false } : {}),
    });
    printRepo(fork, flags);
  }));

  withClientFlags(
    repo.command('import').description('create a repository from a smart-HTTP Git remote')
      .argument('<url>', 'the remote to fetch from')
      .argument('<ns/name>', 'the repository to create')
      .option('--branch <branch>', 'fetch only this branch')
      .option('--depth <n>', 'shallow history of n commits', parsePositiveInteger)
      .option('--header <header>', "send 'Name: value' to the remote (repeatable; never stored)", collectHeader)
      .option('--description <text>', 'what the repository holds')
      .option('--read-only', 'refuse pushes')
      .option('--wait', 'wait until the import has ended (a failed import is then deleted)')
      .option('--timeout <seconds>', 'with --wait, give up waiting after this long (default 3600)', parsePositiveInteger),
  ).action(runAction(async (url: string, target: string, flags: ClientFlags & SettingsFlags & { branch?: string; depth?: number; header?: Record<string, string>; wait?: boolean; timeout?: number }) => {
    const { namespace, name } = parseRepoName(target);
    const request: ImportRepoRequest = {
      url,
      ...(flags.branch === undefined ? {} : { branch: flags.branch }),
      ...(flags.depth === undefined ? {} : { depth: flags.depth }),
      ...(flags.header === undefined ? {} : { headers: flags.header }),
      ...(flags.description === undefined ? {} : { description: flags.description }),
      ...(flags.readOnly === true ? { read_only: true } : {}),
    };
    const client = clientFromFlags(flags);
    const started = await client.repos.import(namespace, name, request);
    if (flags.wait !== true) return printRepo(started, flags);
    // Waits here, asking now and then, rather than in one long request that a proxy or fetch may cut.
    const stop = startProgressLine(`importing ${url} into ${namespace}/${name}`);
    let current: Repo = started;
    try {
      const deadline = Date.now() + (flags.timeout ?? 3600) * 1000;
      for (let ask = 0; current.status === 'importing' && ask < 1_000_000; ask++) {
        if (Date.now() > deadline) {
          throw new GroveApiError({ status: 0, code: 'TIMEOUT', message: `the import is still running after ${flags.timeout ?? 3600} s; 'grove repo get ${namespace}/${name}' shows how it ends` });
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 * (ask + 1))));
        current = await client.repos.get(namespace, name);
      }
    } finally {
      stop();
    }
    if (current.status === 'failed') {
      await client.repos.delete(namespace, name); // nothing to keep; the name is free for another try
      throw new GroveApiError({ status: 502, code: 'REMOTE_ERROR', message: `import of ${namespace}/${name} failed: ${current.status_reason ?? 'unknown reason'}` });
    }
    printRepo({ ...current, token: started.token }, flags);
  }));
}

function printRepo(repo: Repo | RepoWithToken, flags: ClientFlags): void {
  if (flags.json === true) printJson(repo);
  else process.stdout.write(repoView(repo));
}
