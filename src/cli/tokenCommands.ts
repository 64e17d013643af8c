/**
 * `grove token`: repository tokens, and with `--admin` admin tokens.
 *
 *   grove token create <ns>/<name> [--scope read|write] [--ttl 1h|2d|3600] [--label text]
 *   grove token list <ns>/<name> [--state active|expired|revoked|all] [--limit n] [--cursor c] [--all]
 *   grove token revoke <ns>/<name> <id>
 *   grove token create --admin [--ttl] [--label]
 *   grove token list --admin [--state] ...
 *   grove token revoke --admin <id>
 */
import { Option, type Command } from 'commander';
import type { ListTokensQuery, TokenState } from '../sdk/types.ts';
import { clientFromFlags, withClientFlags, type ClientFlags } from './clientFromFlags.ts';
import { printJson } from './output.ts';
import { parsePositiveInteger } from './parseNumber.ts';
import { parseRepoName, type RepoName } from './parseRepoName.ts';
import { parseTtl } from './parseTtl.ts';
import { printPage, type PageFlags } from './printPage.ts';
import { runAction } from './runAction.ts';
import { UsageError } from './UsageError.ts';
import { createdTokenView, tokenTable } from './views.ts';

interface AdminFlag {
  admin?: boolean;
}

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('manage repository and admin tokens');

  withClientFlags(
    token.command('create').description('mint a token (the secret is shown once)')
      .argument('[ns/name]', 'the repository (omit with --admin)')
      .option('--admin', 'an admin token instead of a repository token')
      .addOption(new Option('--scope <scope>', 'read or write (default write)').choices(['read', 'write']))
      .option('--ttl <duration>', 'lifetime: seconds, or 90m, 1h, 2d, 1w (default 1d; admin 30d)', parseTtl)
      .option('--label <text>', 'a note saying what the token is for'),
  ).action(runAction(async (target: string | undefined, flags: ClientFlags & AdminFlag & { scope?: 'read' | 'write'; ttl?: number; label?: string }) => {
    const repo = repoOrAdmin(target, flags);
    const common = { ...(flags.ttl === undefined ? {} : { ttl: flags.ttl }), ...(flags.label === undefined ? {} : { label: flags.label }) };
    const client = clientFromFlags(flags);
    let created;
    if (repo === null) {
      if (flags.scope !== undefined) throw new UsageError('--scope is for repository tokens; admin tokens have scope admin');
      created = await client.adminTokens.create(common);
    } else {
      created = await client.tokens.create(repo.namespace, repo.name, { ...common, ...(flags.scope === undefined ? {} : { scope: flags.scope }) });
    }
    if (flags.json === true) printJson(created);
    else process.stdout.write(createdTokenView(created));
  }));

  withClientFlags(
    token.command('list').description('list tokens, newest first (never their secrets)')
      .argument('[ns/name]', 'the repository (omit with --admin)')
      .option('--admin', 'admin tokens instead of a repository token')
      .addOption(new Option('--state <state>', 'which tokens (default active)').choices(['active', 'expired', 'revoked', 'all']))
      .option('--limit <n>', 'tokens per page (1-200)', parsePositiveInteger)
      .option('--cursor <cursor>', 'start at this page (the next_cursor of the previous one)')
      .option('--all', 'follow next_cursor to the last page'),
  ).action(runAction(async (target: string | undefined, flags: ClientFlags & AdminFlag & PageFlags & { state?: TokenState | 'all' }) => {
    const repo = repoOrAdmin(target, flags);
    const client = clientFromFlags(flags);
    const query: ListTokensQuery = { limit: flags.limit, cursor: flags.cursor, state: flags.state };
    if (repo === null) {
      await printPage(flags, 'tokens', () => client.adminTokens.list(query), () => client.adminTokens.iterate(query), tokenTable);
    } else {
      await printPage(flags, 'tokens', () => client.tokens.list(repo.namespace, repo.name, query), () => client.tokens.iterate(repo.namespace, repo.name, query), tokenTable);
    }
  }));

  withClientFlags(
    token.command('revoke').description('revoke a token now')
      .argument('<args...>', '<ns>/<name> <id>, or with --admin just <id>')
      .option('--admin', 'revoke an admin token'),
  ).action(runAction(async (args: string[], flags: ClientFlags & AdminFlag) => {
    const client = clientFromFlags(flags);
    let id: string;
    if (flags.admin === true) {
      if (args.length !== 1) throw new UsageError('expected: grove token revoke --admin <id>');
      id = args[0]!;
      await client.adminTokens.revoke(id);
    } else {
      if (args.length !== 2) throw new UsageError('expected: grove token revoke <ns>/<name> <id> (or --admin <id>)');
      const repo = parseRepoName(args[0]!);
      id = args[1]!;
      await client.tokens.revoke(repo.namespace, repo.name, id);
    }
    if (flags.json !== true) process.stdout.write(`revoked token ${id}\n`);
  }));
}

/** The repository named, or null for `--admin`; exactly one of the two. */
function repoOrAdmin(target: string | undefined, flags: AdminFlag): RepoName | null {
  if (flags.admin === true) {
    if (target !== undefined) throw new UsageError('--admin tokens belong to no repository: drop the <ns>/<name>');
    return null;
  }
  if (target === undefined) throw new UsageError('expected <ns>/<name>, or --admin');
  return parseRepoName(target);
}
