import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { buildApp } from './http/app.ts';
import { createLogger } from './log.ts';
import { seedDemo } from './seed/demo.ts';
import { buildContext } from './services.ts';

/** The composition root: config → context (DB, services, tools) → HTTP surface. */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, showPii: config.LOG_PII });
  const ctx = await buildContext(config, log);
  const dataDir = config.DATABASE_URL ? '.data' : join(config.PGLITE_DIR, '..');
  const demo = config.SEED_DEMO ? await seedDemo(ctx, join(dataDir, 'demo-api-key')) : null;
  const app = await buildApp(ctx);

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.HOST, port: config.PORT });
  const base = `http://${config.HOST}:${(app.server.address() as { port: number }).port}`;
  const pub = config.publicUrl;
  const wsPub = pub.replace(/^http/, 'ws');
  const lines = [
    '',
    `Realtor voice agent service is running on ${base}`,
    `  Database        ${config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.PGLITE_DIR}`}`,
    `  API docs        ${base}/docs   (OpenAPI JSON: ${base}/docs/json)`,
    `  MCP endpoint    ${base}/mcp    (Streamable HTTP; stdio: npm run mcp)`,
    `  Health/metrics  ${base}/health  ${base}/metrics`,
    demo
      ? `  Demo agent      ${demo.created ? `created with ${demo.listings} listings` : 'already seeded'}; API key: ${demo.apiKey ?? '(not kept; create one with npm run agent:create)'}`
      : '  Demo agent      not seeded (SEED_DEMO=false)',
    `  Twilio webhooks (for the phone number${config.TWILIO_AUTH_TOKEN ? '' : '; refused until TWILIO_AUTH_TOKEN and PUBLIC_URL are set'}):`,
    `    Voice URL       POST ${pub}/twilio/voice   (transport: ${config.VOICE_TRANSPORT})`,
    `    Status callback POST ${pub}/twilio/status`,
    `    Media Streams   ${wsPub}/twilio/media-stream`,
    `    ConversationRelay ${wsPub}/twilio/relay`,
    '',
    `Try: curl -H "Authorization: Bearer <key>" ${base}/api/properties`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
