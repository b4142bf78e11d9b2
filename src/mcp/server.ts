import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AppContext } from '../services.ts';
import type { InvokeOptions } from '../tools/registry.ts';

export const MCP_SERVER_INFO = { name: 'realtor-voice', version: '0.1.0' };

/**
 * An MCP server over the shared tool registry, acting for one agent and session. Tool failures
 * are results with isError (the model can read and speak them), never protocol errors.
 */
export function buildMcpServer(ctx: AppContext, invoke: Omit<InvokeOptions, 'source'>): McpServer {
  const server = new McpServer(MCP_SERVER_INFO, {
    instructions:
      'Tools of a real-estate agent’s CRM. Properties can be named by id, by address as spoken, or as "this property". ' +
      'Every result has a voice_summary sentence ready to say on the phone.',
  });
  for (const tool of ctx.tools.list()) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.readOnly ?? false, destructiveHint: tool.name.startsWith('delete_') },
      },
      async (args: unknown): Promise<CallToolResult> => {
        const outcome = await ctx.tools.invoke(tool.name, args, { ...invoke, source: 'mcp' });
        if (!outcome.ok) {
          return {
            isError: true,
            content: [{ type: 'text', text: outcome.error.message }],
            structuredContent: {
              error: outcome.error.code,
              message: outcome.error.message,
              details: outcome.error.details ?? null,
            },
          };
        }
        const { data, voice_summary } = outcome.result;
        return {
          content: [
            { type: 'text', text: voice_summary },
            { type: 'text', text: JSON.stringify(data) },
          ],
          structuredContent: { voice_summary, data: data as Record<string, unknown> },
        };
      },
    );
  }
  return server;
}
