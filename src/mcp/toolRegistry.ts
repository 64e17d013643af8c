/**
 * The tools of one McpServer: each listed with its zod input schema (as JSON
 * Schema), description and hints, and called through one `tools/call`
 * handler of our own, so that every failure — arguments the schema refuses
 * included — is a tool result `CODE: message` (toolResult.ts), never a
 * protocol error. Arguments the schema refuses answer `BAD_REQUEST`, worded
 * as REST words a request body it refuses (src/http/apiKit.ts); an unknown
 * tool stays a protocol error (-32602), as the MCP spec has it.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { GroveApiError } from '../sdk/GroveApiError.ts';
import { errorResult } from './toolResult.ts';

export interface GroveToolSpec<S extends z.ZodType> {
  title: string;
  description: string;
  input: S;
  /** Changes nothing (the read tools, log, diff, list_drafts). */
  readOnly?: boolean;
  /** May destroy or overwrite data (write, rm, discard_draft, …); ignored when readOnly. */
  destructive?: boolean;
  /** Calling it twice with the same arguments does no more than once. */
  idempotent?: boolean;
}

export type DefineTool = <S extends z.ZodType>(name: string, spec: GroveToolSpec<S>, run: (args: z.output<S>) => Promise<CallToolResult>) => void;

/** Takes over `tools/call` of `server` (built with the tools capability) and returns the function that adds a tool. */
export function toolRegistry(server: McpServer): DefineTool {
  const handlers = new Map<string, (args: unknown) => Promise<CallToolResult>>();
  server.server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const handler = handlers.get(request.params.name);
    if (handler === undefined) throw new McpError(ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    return handler(request.params.arguments ?? {});
  });
  return (name, spec, run) => {
    const handler = async (args: unknown): Promise<CallToolResult> => {
      const parsed = spec.input.safeParse(args);
      if (!parsed.success) return errorResult(badArguments(parsed.error));
      try {
        return await run(parsed.data);
      } catch (err) {
        return errorResult(err);
      }
    };
    handlers.set(name, handler);
    const annotations = {
      title: spec.title,
      readOnlyHint: spec.readOnly === true,
      destructiveHint: spec.readOnly !== true && spec.destructive === true,
      idempotentHint: spec.readOnly === true || spec.idempotent === true,
      openWorldHint: false,
    };
    server.registerTool(name, { title: spec.title, description: spec.description, inputSchema: spec.input, annotations }, handler as never);
  };
}

/** `invalid arguments at "edits.0.old_string": Invalid input: expected string, received number`, the field in details. */
function badArguments(error: z.ZodError): GroveApiError {
  const issue = error.issues[0];
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = issue === undefined ? '' : issue.path.map(String).join('.');
  const field = unknownKey === undefined ? path : path === '' ? unknownKey : `${path}.${unknownKey}`;
  const where = field === '' ? '' : ` at "${field}"`;
  const message = `invalid arguments${where}: ${issue?.message ?? 'they do not match the schema'}`;
  return new GroveApiError({ status: 400, code: 'BAD_REQUEST', message, details: field === '' ? {} : { field } });
}
