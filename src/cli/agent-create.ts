import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { UsageError } from './usage-error.ts';
import { createLogger } from '../log.ts';
import { buildContext } from '../services.ts';
import { DomainError } from '../domain/errors.ts';
import { validatePin } from '../domain/agents/voice-pin.ts';

const USAGE =
  'Usage: npm run agent:create -- --name "Jane Realtor" --email jane@example.com [--brokerage "…"] ' +
  '[--timezone America/Chicago] [--phone +15125550100 (repeatable)] [--mobile +15125550123] [--pin 4821 (voice PIN, 4-8 digits)]';

/** Creates an agent and prints its API key (shown once). */
export async function agentCreate(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      brokerage: { type: 'string' },
      timezone: { type: 'string' },
      phone: { type: 'string', multiple: true },
      mobile: { type: 'string' },
      pin: { type: 'string' },
    },
    strict: true,
  });
  if (!values.name || !values.email) throw new UsageError(`--name and --email are required.\n${USAGE}`);
  if (values.pin !== undefined) {
    try {
      validatePin(values.pin);
    } catch (err) {
      throw usageOf(err);
    }
  }
  const config = loadConfig();
  const ctx = await buildContext(config, createLogger({ level: 'warn' }), { jobs: false });
  try {
    const { agent, apiKey } = await ctx.services.agents
      .create(ctx.orm.em.fork(), {
        name: values.name,
        email: values.email,
        brokerageName: values.brokerage ?? null,
        ...(values.timezone ? { timezone: values.timezone } : {}),
        mobilePhone: values.mobile ?? null,
        lineNumbers: values.phone ?? [],
        ...(values.pin !== undefined ? { pin: values.pin } : {}),
      })
      .catch((err: unknown) => {
        throw usageOf(err);
      });
    process.stdout.write(
      `Created agent #${agent.id} ${agent.name} <${agent.email}>\n` +
        (agent.voice_pin_set
          ? `Voice PIN set for calls from ${agent.mobile_phone ?? 'the mobile (none yet: add it with --mobile)'}\n`
          : '') +
        `API key (shown once, store it now): ${apiKey}\n`,
    );
  } finally {
    await ctx.close();
  }
}

/** A domain error (bad input: a taken email, an invalid phone or PIN) is a message with the usage, not a stack. */
function usageOf(err: unknown): unknown {
  return err instanceof DomainError ? new UsageError(`${err.message}\n${USAGE}`) : err;
}
