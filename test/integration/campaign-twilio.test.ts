import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignControl } from '../../src/campaigns/campaign-control.ts';
import { CampaignDialer } from '../../src/campaigns/campaign-dialer.ts';
import { loadConfig } from '../../src/config.ts';
import { CampaignTarget } from '../../src/domain/campaigns/campaign.entity.ts';
import { buildApp } from '../../src/http/app.ts';
import { TwilioOutboundDialer } from '../../src/integrations/twilio/outbound-dialer.ts';
import { createLogger } from '../../src/log.ts';
import { buildContext, type AppContext } from '../../src/services.ts';
import { FakeTwilioApi } from '../fakes/twilio/fake-twilio-api.ts';
import { newAgent, uniquePhone } from '../helpers/context.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let fake: FakeTwilioApi;
let ctx: AppContext;
let app: FastifyInstance;

beforeAll(async () => {
  fake = await FakeTwilioApi.start();
  const port = await freePort();
  ctx = await buildContext(
    loadConfig({
      DATABASE_URL: process.env.DATABASE_URL,
      PGLITE_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_API_BASE_URL: fake.url,
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

describe('a campaign against the fake Twilio', () => {
  it('dials through calls.create, and the signed callbacks Twilio sends move the targets to their outcomes', async () => {
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
      dialer: new TwilioOutboundDialer({
        accountSid: fake.accountSid,
        authToken: ctx.config.TWILIO_AUTH_TOKEN!,
        apiBaseUrl: fake.url,
      }),
      log: ctx.log,
      instanceId: 'test',
      urls: {
        callback: `${ctx.config.publicUrl}/twilio/dial-events`,
        answer: `${ctx.config.publicUrl}/twilio/outbound`,
      },
      now: () => new Date('2026-12-08T21:00:00Z'),
    });
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ dialed: 3 });
    const created = fake.requestsTo('POST', /\/Calls\.json$/);
    expect(created.map((r) => r.fields.To).sort()).toEqual([...phones].sort());
    expect(created[0]!.fields).toMatchObject({
      From: '+15125550147',
      MachineDetection: 'DetectMessageEnd',
      AsyncAmd: 'true',
    });

    const targets = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id }, { orderBy: { id: 'asc' } });
    const sidOf = (i: number) => targets[i]!.lastProviderCallId!;
    for (const [i, outcome] of [
      [0, 'human'],
      [1, 'machine'],
      [2, 'busy'],
    ] as const) {
      const delivered = await fake.play(sidOf(i), outcome);
      expect(delivered.every((d) => d.responseStatus === 204 || d.responseStatus === 202)).toBe(true);
    }
    const after = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id }, { orderBy: { id: 'asc' } });
    expect(after.map((t) => [t.status, t.outcome])).toEqual([
      ['done', 'no_outcome'],
      ['done', 'voicemail_left'],
      ['retryScheduled', 'busy'],
    ]);
  });

  it('refuses unsigned dial events', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/twilio/dial-events',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'CallSid=CA123&CallStatus=completed',
    });
    expect(res.statusCode).toBe(403);
  });
});
