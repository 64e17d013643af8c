/**
 * The `grove` command line.
 *
 *   grove serve [--host 127.0.0.1] [--port 8787] [--data ./.grove]
 *   grove ns create|list|get|delete ...
 *   grove repo create|list|get|update|delete|fork|import ...
 *   grove token create|list|revoke ... [--admin]
 *   grove log|show|diff ...              history (historyCommands.ts)
 *   grove ls|cat|grep|archive ...        files at a revision (fileCommands.ts)
 *   grove commit|revert|restore ...      new commits (writeCommands.ts)
 *   grove notes show|add|remove|list ... git notes (notesCommands.ts)
 *   grove draft create|ls|read|write|edit|grep|exec|checkpoint|apply|discard ...  drafts (draftCommands.ts)
 *   grove mcp                            an MCP server over stdio (mcpCommand.ts)
 *   grove mount|unmount ...              FUSE mounts of a remote or a draft (mountCommands.ts)
 *
 * `serve` takes flags over the environment (GROVE_HOST, GROVE_PORT,
 * GROVE_DATA_DIR, GROVE_ADMIN_TOKEN) over the defaults. The client
 * commands talk to `--url`/GROVE_URL with `--token`/GROVE_TOKEN.
 *
 * Exit codes: 0 done, 1 the server (or the network) said no, 2 a usage error.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { EXIT_USAGE } from './runAction.ts';
import type { ServeFlags } from './serveCommand.ts';

const program = new Command('grove')
  .description('Grove: a versioned file system for agents that speaks Git')
  .version('0.1.0')
  // Thrown rather than exiting, so the exit code of a usage error is ours (2).
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'grove: USAGE: ')) });

program
  .command('serve')
  .description('run the Grove server')
  .option('--host <host>', 'address to listen on (env GROVE_HOST)')
  .option('--port <port>', 'port to listen on, 0 for any free port (env GROVE_PORT)', parsePort)
  .option('--data <dir>', 'data directory (env GROVE_DATA_DIR)')
  // Loaded on use: the client commands need none of the server's modules.
  .action(async (flags: ServeFlags) => (await import('./serveCommand.ts')).serveCommand(flags));

// Each group of commands is loaded only when asked for (or all of them, for help or a name not
// known here), so that a `grove mount` or `grove mcp` starts without the other groups' modules.
type Register = (program: Command) => void;
const GROUPS: { names: string[]; load: () => Promise<Register> }[] = [
  { names: ['ns'], load: async () => (await import('./namespaceCommands.ts')).registerNamespaceCommands },
  { names: ['repo'], load: async () => (await import('./repoCommands.ts')).registerRepoCommands },
  { names: ['token'], load: async () => (await import('./tokenCommands.ts')).registerTokenCommands },
  { names: ['log', 'show', 'diff'], load: async () => (await import('./historyCommands.ts')).registerHistoryCommands },
  { names: ['ls', 'cat', 'grep', 'archive'], load: async () => (await import('./fileCommands.ts')).registerFileCommands },
  { names: ['commit', 'revert', 'restore'], load: async () => (await import('./writeCommands.ts')).registerWriteCommands },
  { names: ['notes'], load: async () => (await import('./notesCommands.ts')).registerNotesCommands },
  { names: ['draft'], load: async () => (await import('./draftCommands.ts')).registerDraftCommands },
  { names: ['mcp'], load: async () => (await import('./mcpCommand.ts')).registerMcpCommand },
  { names: ['mount', 'unmount'], load: async () => (await import('./mountCommands.ts')).registerMountCommands },
];
const asked = process.argv[2];
const group = asked === 'serve' ? [] : GROUPS.filter((g) => g.names.includes(asked ?? ''));
for (const register of await Promise.all((group.length > 0 || asked === 'serve' ? group : GROUPS).map((g) => g.load()))) register(program);

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('not a port number');
  return port;
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
}
