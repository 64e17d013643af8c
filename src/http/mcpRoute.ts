/**
 * Mounts `/mcp` (MCP over streamable HTTP, src/mcp/serveMcpHttp.ts) on the
 * Grove app. The MCP tools call the REST API through the app's own `fetch`
 * with the caller's Authorization header: the same auth, scoping, rate
 * limits and errors as `/v1`, nothing granted twice.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { serveMcpHttp } from '../mcp/serveMcpHttp.ts';

export function mountMcp(app: OpenAPIHono): void {
  app.all('/mcp', (c) => serveMcpHttp(c.req.raw, (request) => app.fetch(request, c.env)));
}
