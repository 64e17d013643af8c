/**
 * What an MCP tool call answers: a short text for the model and the REST
 * JSON as `structuredContent`. A failure is a tool result too
 * (`isError: true`), never a protocol error: its text is `CODE: message` with
 * the server's code (`ENOENT: 'a.txt' does not exist`), then any advice the
 * tool adds; the error body `{code, message, details}` is its structured
 * content.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GroveApiError, isGroveApiError } from '../sdk/GroveApiError.ts';

export function textResult(text: string, structured?: object): CallToolResult {
  return { content: [{ type: 'text', text }], ...(structured === undefined ? {} : { structuredContent: structured as Record<string, unknown> }) };
}

/** A refusal of the MCP layer itself (arguments the REST call cannot take together), thrown and turned into a result. */
export function invalidArgument(message: string, field: string): GroveApiError {
  return new GroveApiError({ status: 400, code: 'EINVAL', message, details: { field } });
}

export function errorResult(err: unknown, advice?: string): CallToolResult {
  if (!isGroveApiError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return { content: [{ type: 'text', text: `INTERNAL: ${message}` }], isError: true };
  }
  const error = { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) };
  const hint = advice ?? (err.code === 'NETWORK_ERROR' ? 'The Grove server did not answer: is it running at the URL this MCP server was given?' : undefined);
  const text = `${err.code}: ${err.message}${hint === undefined ? '' : `\n${hint}`}`;
  return { content: [{ type: 'text', text }], structuredContent: { error }, isError: true };
}
