/**
 * `grove ns`: namespaces.
 *
 *   grove ns create <ns>
 *   grove ns list [--limit n] [--cursor c] [--all]
 *   grove ns get <ns>
 *   grove ns delete <ns> [--force]
 */
import type { Command } from 'commander';
import { clientFromFlags, withClientFlags, type ClientFlags } from './clientFromFlags.ts';
import { printJson } from './output.ts';
import { parsePositiveInteger } from './parseNumber.ts';
import { printPage, type PageFlags } from './printPage.ts';
import { runAction } from './runAction.ts';
import { namespaceTable, namespaceView } from './views.ts';

export function registerNamespaceCommands(program: Command): void {
  const ns = program.command('ns').description('manage namespaces');

  withClientFlags(ns.command('create').description('create an empty namespace').argument('<ns>'))
    .action(runAction(async (name: string, flags: ClientFlags) => {
      const created = await clientFromFlags(flags).namespaces.create({ name });
      if (flags.json === true) printJson(created);
      else process.stdout.write(namespaceView(created));
    }));

  withClientFlags(
    ns.command('list').description('list namespaces, by name')
      .option('--limit <n>', 'namespaces per page (1-200)', parsePositiveInteger)
      .option('--cursor <cursor>', 'start at this page (the next_cursor of the previous one)')
      .option('--all', 'follow next_cursor to the last page'),
  ).action(runAction(async (flags: ClientFlags & PageFlags) => {
    const client = clientFromFlags(flags);
    const query = { limit: flags.limit, cursor: flags.cursor };
    await printPage(flags, 'namespaces', () => client.namespaces.list(query), () => client.namespaces.iterate(query), namespaceTable);
  }));

  withClientFlags(ns.command('get').description('show a namespace').argument('<ns>'))
    .action(runAction(async (name: string, flags: ClientFlags) => {
      const found = await clientFromFlags(flags).namespaces.get(name);
      if (flags.json === true) printJson(found);
      else process.stdout.write(namespaceView(found));
    }));

  withClientFlags(
    ns.command('delete').description('delete a namespace').argument('<ns>')
      .option('--force', 'also delete its repositories'),
  ).action(runAction(async (name: string, flags: ClientFlags & { force?: boolean }) => {
    await clientFromFlags(flags).namespaces.delete(name, { force: flags.force === true });
    if (flags.json !== true) process.stdout.write(`deleted namespace ${name}\n`);
  }));
}
