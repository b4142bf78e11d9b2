import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PropertyCreateSchema } from '../domain/properties/property.schemas.ts';
import type { AppContext } from '../services.ts';

export const DEMO_EMAIL = 'demo@realtor.example';
/** The demo agent's own mobile and voice PIN: a call from this number to the demo line runs voice commands. */
export const DEMO_MOBILE = '+15125550147';
export const DEMO_PIN = '4821';
const LISTINGS = fileURLToPath(new URL('../../fixtures/demo-listings.json', import.meta.url));

export interface DemoSeed {
  created: boolean;
  agentId: number;
  /** The demo key when known (first start, or kept in the key file since). */
  apiKey: string | null;
  listings: number;
}

/**
 * Creates the demo agent and listings once. Later starts find the agent and seed nothing.
 * The demo key is written to `keyFile` (a local dev convenience, under .data/) so it can be shown again.
 */
export async function seedDemo(ctx: AppContext, keyFile: string): Promise<DemoSeed> {
  const em = ctx.orm.em.fork();
  const existing = await ctx.services.agents.findByEmail(em, DEMO_EMAIL);
  if (existing) {
    const apiKey = await readFile(keyFile, 'utf8').then(
      (s) => s.trim(),
      () => null,
    );
    return { created: false, agentId: existing.id, apiKey, listings: 0 };
  }
  const { agent, apiKey } = await ctx.services.agents.create(em, {
    name: 'Dana Demo',
    email: DEMO_EMAIL,
    brokerageName: 'Lone Star Demo Realty',
    timezone: 'America/Chicago',
    mobilePhone: DEMO_MOBILE,
    lineNumbers: ['+15125550100'],
    pin: DEMO_PIN,
  });
  const listings = await seedListings(ctx, agent.id);
  await mkdir(dirname(keyFile), { recursive: true });
  await writeFile(keyFile, `${apiKey}\n`, { mode: 0o600 });
  return { created: true, agentId: agent.id, apiKey, listings };
}

/** Gives an agent the demo listings (fixtures/demo-listings.json); returns how many. */
export async function seedListings(ctx: AppContext, agentId: number): Promise<number> {
  const rows = JSON.parse(await readFile(LISTINGS, 'utf8')) as unknown[];
  await ctx.orm.em.fork().transactional(async (tx) => {
    for (const row of rows) await ctx.services.properties.create({ em: tx, agentId }, PropertyCreateSchema.parse(row));
  });
  return rows.length;
}
