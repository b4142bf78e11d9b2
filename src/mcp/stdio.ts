import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { buildContext } from '../services.ts';
import { buildMcpServer } from './server.ts';

/**
 * MCP over stdio for desktop clients. Acts for the agent whose key is in REALTOR_API_KEY.
 * Logs go to stderr; stdout carries only the protocol. With the embedded PGlite, stop `npm start`
 * first (one process per data directory) or point both at PostgreSQL with DATABASE_URL.
 */
export async function runStdio(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, showPii: config.LOG_PII, destination: pino.destination(2) });
  if (!config.REALTOR_API_KEY) {
    throw new Error('REALTOR_API_KEY is required for the stdio MCP server (the API key of the agent it acts for).');
  }
  const ctx = await buildContext(config, log, { jobs: false });
  const agentId = await ctx.services.agents.authenticate(ctx.orm.em.fork(), config.REALTOR_API_KEY);
  if (agentId === null) {
    await ctx.close();
    throw new Error('REALTOR_API_KEY is not a valid API key.');
  }
  const server = buildMcpServer(ctx, { agentId, sessionId: `mcp-stdio:${process.pid}` });
  await server.connect(new StdioServerTransport());
  log.info({ agentId }, 'MCP stdio server ready');
  const stop = async (): Promise<void> => {
    await server.close();
    await ctx.close();
    process.exit(0);
  };
  process.stdin.on('close', () => void stop());
  process.on('SIGTERM', () => void stop());
}
