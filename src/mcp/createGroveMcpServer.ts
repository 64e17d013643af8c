/**
 * Grove's MCP server (Model Context Protocol, spec 2025-06-18 and later):
 * the repository, draft and file tools, built over the REST API through the
 * SDK client it is given — so a tool call is authorized, scoped, validated
 * and refused exactly as the REST call it makes. Transports are the
 * caller's: stdio in `grove mcp` (src/cli/mcpCommand.ts), streamable HTTP at
 * `/mcp` (serveMcpHttp.ts). The tools and their arguments: docs/MCP.md.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GroveClient } from '../sdk/GroveClient.ts';
import { registerDraftTools } from './draftTools.ts';
import { registerFileTools } from './fileTools.ts';
import { registerRepoTools } from './repoTools.ts';
import { toolRegistry } from './toolRegistry.ts';

export const MCP_SERVER_NAME = 'grove';
export const MCP_SERVER_VERSION = '0.1.0';

const INSTRUCTIONS = `Grove hosts Git repositories, named 'namespace/name'. To change one: create_draft (a private working copy of a branch), change files with write, edit, mkdir, rm, mv or exec (read, ls, glob, grep and stat to look), checkpoint to save revisions you can reset_draft to, diff to review, then apply_draft to commit the draft onto its branch (or discard_draft); after a MERGE_CONFLICT, update_draft merges the branch in, you fix the marked files and apply again. Nothing reaches the branch before apply_draft. read, ls, glob, grep and stat also read any branch, tag or commit without a draft (give ref instead of draft). Failed calls answer 'CODE: message' (ENOENT, EEXIST, EISDIR, ENOTDIR, ENOTEMPTY, EINVAL for files; NOT_FOUND, FORBIDDEN, MERGE_CONFLICT, …) and change nothing.`;

export function createGroveMcpServer(client: GroveClient): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: MCP_SERVER_VERSION, title: 'Grove' },
    { instructions: INSTRUCTIONS, capabilities: { tools: { listChanged: false } } },
  );
  const defineTool = toolRegistry(server);
  registerRepoTools(defineTool, client);
  registerDraftTools(defineTool, client);
  registerFileTools(defineTool, client);
  return server;
}
