/**
 * `grove mcp`: Grove's MCP server over stdio, for an agent host to start
 * (docs/MCP.md). JSON-RPC on stdin/stdout, nothing else on stdout; the tools
 * call the Grove server at `--url`/GROVE_URL with `--token`/GROVE_TOKEN.
 * Runs until the host closes stdin or stops it.
 */
import type { Command } from 'commander';
import { clientFromFlags, DEFAULT_URL, type ClientFlags } from './clientFromFlags.ts';
import { runAction } from './runAction.ts';

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('serve Grove\'s tools to an agent over MCP on stdin/stdout (docs/MCP.md)')
    .option('--url <url>', `Grove server (env GROVE_URL, default ${DEFAULT_URL})`)
    .option('--token <token>', 'admin or repository token (env GROVE_TOKEN)')
    .action(runAction(async (flags: ClientFlags) => {
      const client = clientFromFlags(flags);
      // Loaded on use: the other commands need none of the MCP SDK.
      const [{ createGroveMcpServer }, { StdioServerTransport }] = await Promise.all([
        import('../mcp/createGroveMcpServer.ts'),
        import('@modelcontextprotocol/sdk/server/stdio.js'),
      ]);
      const server = createGroveMcpServer(client);
      await server.connect(new StdioServerTransport());
      // Reading stdin keeps the process alive; once the host closes it, calls under way finish and the process ends.
      process.stdin.once('end', () => void server.close());
    }));
}
