/**
 * The names of the agent file tools, shared by REST
 * (`POST …/drafts/{id}/tools/{tool}`) and the MCP server. The same list as
 * the services' runTool.ts (a test holds them equal; this layer may not
 * import the services).
 */
export const TOOL_NAMES = ['read', 'write', 'edit', 'ls', 'glob', 'grep', 'stat', 'mkdir', 'rm', 'mv'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** The tools that change nothing: the ones a read-only view (a revision) or a read token may run. */
export const READ_ONLY_TOOLS = ['read', 'ls', 'glob', 'grep', 'stat'] as const satisfies readonly ToolName[];

export function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}
