/**
 * `/mcp`: MCP over streamable HTTP, stateless (MCP spec, "Transports"): each
 * POST carries JSON-RPC messages and is answered in JSON; there are no
 * sessions, so GET (a server-to-client stream) and DELETE answer 405. Every
 * POST gets its own server over an SDK client whose `fetch` is `api` — the
 * Grove app's own `fetch` — with the caller's Authorization header, so each
 * tool call is the REST call it stands for, authorized and scoped as REST
 * authorizes it. Without an Authorization header the answer is 401, as on
 * REST.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { GroveClient } from '../sdk/GroveClient.ts';
import { createGroveMcpServer } from './createGroveMcpServer.ts';

/** A fetch handler, e.g. a Hono app's `fetch`. */
export type ApiFetch = (request: Request) => Response | Promise<Response>;

export async function serveMcpHttp(request: Request, api: ApiFetch): Promise<Response> {
  if (request.method !== 'POST') {
    return jsonError(405, 'METHOD_NOT_ALLOWED', 'this MCP endpoint is stateless: POST JSON-RPC messages to it', { allow: 'POST' });
  }
  const authorization = request.headers.get('authorization');
  if (authorization === null || authorization.trim() === '') {
    return jsonError(401, 'UNAUTHORIZED', 'missing Authorization: Bearer <token>', { 'www-authenticate': 'Bearer realm="grove"' });
  }
  const client = new GroveClient({
    url: new URL(request.url).origin,
    retry: { attempts: 1 },
    fetch: async (input, init) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', authorization);
      return api(new Request(input, { ...init, headers }));
    },
  });
  const server = createGroveMcpServer(client);
  const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
  try {
    await server.connect(transport);
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
}

function jsonError(status: number, code: string, message: string, headers: Record<string, string>): Response {
  return new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'content-type': 'application/json', ...headers } });
}
