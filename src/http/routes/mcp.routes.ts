import type { FastifyInstance } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { buildMcpServer } from '../../mcp/server.ts';
import type { AppContext } from '../../services.ts';
import { requireAgent, scopeOf } from '../auth.ts';

/**
 * MCP over Streamable HTTP, stateless: a server and transport per request, acting for the agent
 * of the bearer key. The conversation ("this property") is keyed by the `x-session-id` header,
 * else one MCP session per agent.
 */
export async function mcpRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const auth = requireAgent(ctx);
  app.all(
    '/mcp',
    { preHandler: auth, schema: { tags: ['mcp'], summary: 'MCP Streamable HTTP endpoint', hide: true } },
    async (req, reply) => {
      const { agentId } = scopeOf(req);
      const header = req.headers['x-session-id'];
      const sessionId =
        typeof header === 'string' && header.length > 0 ? `mcp:${header.slice(0, 90)}` : `mcp:agent-${agentId}`;
      const server = buildMcpServer(ctx, { agentId, sessionId });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req.raw, reply.raw, req.body);
    },
  );
}
