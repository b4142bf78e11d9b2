import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadConfig } from './config.ts';
import { buildApp } from './http/app.ts';
import { createLogger } from './log.ts';
import { seedDemo } from './seed/demo.ts';
import { buildContext } from './services.ts';
import { ensureConsoleBuilt } from './cli/build-console.ts';

/** The composition root: config → context (DB, services, tools) → HTTP surface. */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, showPii: config.LOG_PII });
  const dataDir = config.DATABASE_URL ? '.data' : join(config.PGLITE_DIR, '..');
  const localToken = config.TWILIO_AUTH_TOKEN ? null : await localTwilioToken(join(dataDir, 'twilio-auth-token'));
  if (localToken) config.TWILIO_AUTH_TOKEN = localToken;
  try {
    await ensureConsoleBuilt(config.CONSOLE_DIR, (msg) => log.info(msg));
  } catch (err) {
    log.error({ err }, 'the console could not be built; the API runs without it (/console answers 503)');
  }
  const ctx = await buildContext(config, log);
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
  if (ctx.dialer && config.JOBS_ENABLED) ctx.dialer.start(config.DIALER_TICK_MS);
  const base = `http://${config.HOST}:${(app.server.address() as { port: number }).port}`;
  const pub = config.publicUrl;
  const wsPub = pub.replace(/^http/, 'ws');
  const lines = [
    '',
    `Realtor voice agent service is running on ${base}`,
    `  Database        ${config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.PGLITE_DIR}`}`,
    `  Console         ${base}/console   (sign in with the agent's API key)`,
    `  API docs        ${base}/docs   (OpenAPI JSON: ${base}/docs/json)`,
    `  MCP endpoint    ${base}/mcp    (Streamable HTTP; stdio: npm run mcp)`,
    `  Health/metrics  ${base}/health  ${base}/metrics`,
    demo
      ? `  Demo agent      ${demo.created ? `created with ${demo.listings} listings` : 'already seeded'}; API key: ${demo.apiKey ?? '(not kept; create one with npm run agent:create)'}`
      : '  Demo agent      not seeded (SEED_DEMO=false)',
    `  Twilio webhooks (${localToken ? `signed with a local token in ${join(dataDir, 'twilio-auth-token')} for the softphone; set TWILIO_AUTH_TOKEN and PUBLIC_URL for a real number` : 'signed with TWILIO_AUTH_TOKEN'}):`,
    `    Voice URL       POST ${pub}/twilio/voice   (transport: ${config.VOICE_TRANSPORT})`,
    `    Status callback POST ${pub}/twilio/status`,
    `    Media Streams   ${wsPub}/twilio/media-stream`,
    `    ConversationRelay ${wsPub}/twilio/relay`,
    '',
    `Try: curl -H "Authorization: Bearer <key>" ${base}/api/properties`,
    `     npm run call        (a phone call to the demo line from this terminal)`,
    `     npm run call -- --as-agent   (the demo agent calling their own line: voice commands, PIN keyed for you)`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The Twilio auth token of a machine without a real number: made once, kept next to the data, used by `npm run call`. */
async function localTwilioToken(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').then(
    (t) => t.trim(),
    () => '',
  );
  if (existing.length >= 16) return existing;
  const token = randomBytes(16).toString('hex');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
