import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignControl } from '../../src/campaigns/campaign-control.ts';
import { CampaignDialer } from '../../src/campaigns/campaign-dialer.ts';
import { loadConfig } from '../../src/config.ts';
import { CampaignTarget } from '../../src/domain/campaigns/campaign.entity.ts';
import { buildApp } from '../../src/http/app.ts';
import { VapiOutboundDialer } from '../../src/integrations/vapi/outbound-dialer.ts';
import { createLogger } from '../../src/log.ts';
import { buildContext, type AppContext } from '../../src/services.ts';
import { FakeVapiApi } from '../fakes/vapi/fake-vapi-api.ts';
import { newAgent, uniquePhone } from '../helpers/context.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let fake: FakeVapiApi;
const SECRET = 'vapi-server-secret-0123456789';
const LINE = 'pn-test-line';
let ctx: AppContext;
let app: FastifyInstance;

beforeAll(async () => {
  fake = await FakeVapiApi.start({ phoneNumbers: { [LINE]: '+15125550147' }, serverAuth: { bearer: SECRET } });
  const port = await freePort();
  ctx = await buildContext(
    loadConfig({
      DATABASE_URL: process.env.DATABASE_URL,
      PGLITE_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      VAPI_API_KEY: fake.apiKey,
      VAPI_API_BASE_URL: fake.url,
      VAPI_PHONE_NUMBER_ID: LINE,
      VAPI_SERVER_SECRET: SECRET,
    }),
    createLogger({ level: 'silent' }),
    { jobs: false },
  );
  app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port });
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await fake?.close();
});

describe('a campaign against the fake Vapi', () => {
  it('dials through POST /call, and the authenticated server messages Vapi sends move the targets to their outcomes', async () => {
    expect(ctx.dialer).not.toBeNull();
    const a = await newAgent(ctx);
    const scope = a.scope();
    const phones = [uniquePhone(), uniquePhone(), uniquePhone()];
    const c = await ctx.services.campaigns.create(scope, {
      name: 'Just sold on Elm',
      purpose: 'just_sold',
      callerId: '+15125550147',
      telemarketing: false,
      maxAttempts: 2,
      maxConcurrent: 5,
    });
    await ctx.services.campaigns.enrol(scope, c.id, { numbers: phones.map((phone) => ({ phone })) });
    for (const phone of phones) {
      await ctx.services.doNotCall.recordConsent(scope, {
        phone,
        type: 'pec',
        source: 'past client',
        evidence: 'closing documents, 2025',
        givenAt: new Date('2026-01-01T00:00:00Z'),
      });
    }
    await new CampaignControl(ctx.services.campaigns).command(a.scope(), c.id, 'START');

    // The tick runs at a fixed time inside every window (a Tuesday afternoon in Austin).
    const dialer = new CampaignDialer({
      orm: ctx.orm,
      services: ctx.services,
      dialer: new VapiOutboundDialer({ apiKey: fake.apiKey, phoneNumberId: LINE, apiBaseUrl: fake.url }),
      log: ctx.log,
      instanceId: 'test',
      urls: {
        callback: `${ctx.config.publicUrl}/vapi/webhook`,
        answer: `${ctx.config.publicUrl}/vapi/chat/completions`,
      },
      now: () => new Date('2026-12-08T21:00:00Z'),
    });
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ dialed: 3 });
    const created = fake.requestsTo('POST', /^\/call$/);
    expect(created.map((r) => (r.body as { customer: { number: string } }).customer.number).sort()).toEqual(
      [...phones].sort(),
    );

    const targets = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id }, { orderBy: { id: 'asc' } });
    const sidOf = (i: number) => targets[i]!.lastProviderCallId!;
    for (const [i, outcome] of [
      [0, 'human'],
      [1, 'machine'],
      [2, 'busy'],
    ] as const) {
      const delivered = await fake.play(sidOf(i), outcome);
      expect(delivered.map((d) => d.responseStatus)).toEqual(delivered.map(() => 200));
    }
    const after = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id }, { orderBy: { id: 'asc' } });
    expect(after.map((t) => [t.status, t.outcome])).toEqual([
      ['done', 'no_outcome'],
      ['done', 'voicemail_left'],
      ['retryScheduled', 'busy'],
    ]);
  });

  it('refuses unauthenticated server messages', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/vapi/webhook',
      payload: { message: { type: 'status-update', status: 'ended', call: { id: 'x' } } },
    });
    expect(res.statusCode).toBe(401);
  });
});
