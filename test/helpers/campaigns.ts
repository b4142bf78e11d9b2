import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { freePort, ownContext } from '../../call-flows/harness.ts';
import { CampaignControl } from '../../src/campaigns/campaign-control.ts';
import { CampaignDialer } from '../../src/campaigns/campaign-dialer.ts';
import { CampaignTarget } from '../../src/domain/campaigns/campaign.entity.ts';
import type { CampaignInput } from '../../src/domain/campaigns/campaigns.service.ts';
import type { OutboundDialer } from '../../src/domain/campaigns/dialer.port.ts';
import type { AgentScope } from '../../src/domain/shared/scope.ts';
import { buildApp } from '../../src/http/app.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, type TestAgent } from './context.ts';
import { eventually } from './wait.ts';

/** Tuesday 2026-12-08 15:00 in Austin: inside every calling window. */
export const IN_CALLING_HOURS = new Date('2026-12-08T21:00:00Z');

/** A person to call: a raw number (with a name, maybe), or a contact's. */
export interface Enrolee {
  phone: string;
  name?: string;
  contactId?: number;
}

/** Where a consent record says the consent came from. */
export interface ConsentEvidence {
  source: string;
  evidence: string;
  givenAt: Date;
}

export const PAST_CLIENT_CONSENT: ConsentEvidence = {
  source: 'past client',
  evidence: 'closing file',
  givenAt: new Date('2026-01-01T00:00:00Z'),
};

export const OPEN_HOUSE_CONSENT: ConsentEvidence = {
  source: 'open house sign-in',
  evidence: 'sign-in sheet 2026-11-14',
  givenAt: new Date('2026-11-14T18:00:00Z'),
};

/**
 * An active informational campaign calling `people` (numbers, or people with a name or a contact), each with
 * prior express consent on record (so the dial gate lets them through in calling hours).
 */
export async function startedCampaign(
  ctx: AppContext,
  scope: () => AgentScope,
  people: (string | Enrolee)[],
  settings: Partial<CampaignInput> = {},
  consent: ConsentEvidence = PAST_CLIENT_CONSENT,
) {
  const enrolees = people.map((p): Enrolee => (typeof p === 'string' ? { phone: p } : p));
  const c = await ctx.services.campaigns.create(scope(), {
    name: `Campaign ${Date.now()}`,
    purpose: 'property_update',
    callerId: '+15125550147',
    telemarketing: false,
    ...settings,
  });
  const contactIds = enrolees.flatMap((p) => (p.contactId ? [p.contactId] : []));
  await ctx.services.campaigns.enrol(scope(), c.id, {
    numbers: enrolees.filter((p) => !p.contactId).map(({ phone, name }) => ({ phone, ...(name ? { name } : {}) })),
    ...(contactIds.length ? { contactIds } : {}),
  });
  for (const { phone } of enrolees) {
    await ctx.services.doNotCall.recordConsent(scope(), { phone, type: 'pec', ...consent });
  }
  await new CampaignControl(ctx.services.campaigns).command(scope(), c.id, 'START');
  return c;
}

/** A campaign dialer through `dialer` on a fixed clock (by default in calling hours). */
export function campaignDialer(
  ctx: AppContext,
  dialer: OutboundDialer,
  urls: { callback: string; answer: string },
  options: { instanceId?: string; now?: Date } = {},
): CampaignDialer {
  const now = options.now ?? IN_CALLING_HOURS;
  return new CampaignDialer({
    orm: ctx.orm,
    services: ctx.services,
    dialer,
    log: ctx.log,
    instanceId: options.instanceId ?? 'test',
    urls,
    now: () => now,
  });
}

export interface CampaignServer {
  ctx: AppContext;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * A server of its own for campaign calls through a carrier's fake: a fresh context (jobs off, quick fake speech)
 * with the carrier's settings in `env`, and the app listening on a free port that PUBLIC_URL names.
 */
export async function campaignServer(env: Record<string, string>): Promise<CampaignServer> {
  const port = await freePort();
  const ctx = await ownContext({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    CALL_SPEECH_MS_PER_WORD: '5',
    ...env,
  });
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port });
  return {
    ctx,
    app,
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

/** A new agent "Dana Reyes" with one listing: 141 Elm St, Austin ($485,000, 3 bedrooms, 2 bathrooms). */
export async function agentWithListing(ctx: AppContext): Promise<{ agent: TestAgent; propertyId: number }> {
  const agent = await newAgent(ctx, { name: 'Dana Reyes' });
  const p = await ctx.services.properties.create(agent.scope(), {
    address: '141 Elm St',
    city: 'Austin',
    state: 'TX',
    price: 485_000,
    bedrooms: 3,
    bathrooms: 2,
  });
  return { agent, propertyId: p.id };
}

/**
 * A started just-listed campaign on the property calling `people` (consent from an open-house sign-in), dialled
 * once through `dialer` in calling hours. `current(phone)` reads a target; `settled(phone)` waits until its call
 * is over (the session reports after its records are written).
 */
export async function dialledJustListed(
  ctx: AppContext,
  scope: () => AgentScope,
  input: {
    name: string;
    propertyId: number;
    callerId?: string;
    people: Enrolee[];
    dialer: OutboundDialer;
    urls: { callback: string; answer: string };
  },
) {
  const c = await startedCampaign(
    ctx,
    scope,
    input.people,
    {
      name: input.name,
      purpose: 'just_listed',
      propertyId: input.propertyId,
      ...(input.callerId ? { callerId: input.callerId } : {}),
      maxConcurrent: 10,
      callsPerMinute: 10,
    },
    OPEN_HOUSE_CONSENT,
  );
  expect(await campaignDialer(ctx, input.dialer, input.urls).tick({ campaignId: c.id })).toMatchObject({
    dialed: input.people.length,
  });
  const current = (phone: string) =>
    ctx.orm.em.fork().findOneOrFail(CampaignTarget, { campaign: c.id, phone }, { populate: ['contact'] });
  const settled = (phone: string) =>
    eventually(
      () => current(phone),
      (t) => ['done', 'optedOut'].includes(t.status),
    );
  return { c, current, settled };
}
