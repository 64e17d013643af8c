/**
 * The `grove` command line.
 *
 *   grove serve [--host 127.0.0.1] [--port 8787] [--data ./.grove]
 *
 * Flags win over the environment (GROVE_HOST, GROVE_PORT, GROVE_DATA_DIR,
 * GROVE_ADMIN_TOKEN), which wins over the defaults.
 */
import { Command, InvalidArgumentError } from 'commander';
import { serveCommand } from './serveCommand.ts';

const program = new Command('grove')
  .description('Grove: a versioned file system for agents that speaks Git')
  .version('0.1.0');

program
  .command('serve')
  .description('run the Grove server')
  .option('--host <host>', 'address to listen on (env GROVE_HOST)')
  .option('--port <port>', 'port to listen on, 0 for any free port (env GROVE_PORT)', parsePort)
  .option('--data <dir>', 'data directory (env GROVE_DATA_DIR)')
  .action(serveCommand);

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('not a port number');
  return port;
}

await program.parseAsync(process.argv);
