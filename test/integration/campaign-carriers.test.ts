import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignTarget } from '../../src/domain/campaigns/campaign.entity.ts';
import type { OutboundDialer } from '../../src/domain/campaigns/dialer.port.ts';
import { TwilioOutboundDialer } from '../../src/integrations/twilio/outbound-dialer.ts';
import { VapiOutboundDialer } from '../../src/integrations/vapi/outbound-dialer.ts';
import { placeCall } from '../../src/softphone/index.ts';
import type { AppContext } from '../../src/services.ts';
import { FakeTwilioApi } from '../fakes/twilio/fake-twilio-api.ts';
import { FakeVapiApi } from '../fakes/vapi/fake-vapi-api.ts';
import { campaignDialer, campaignServer, startedCampaign, type CampaignServer } from '../helpers/campaigns.ts';
import { newAgent, uniquePhone } from '../helpers/context.ts';

type Outcome = 'human' | 'machine' | 'busy';

/** What differs between the carriers: their fake, settings, adapter, callback routes and answers. */
interface Carrier {
  name: string;
  start(): Promise<{
    env: Record<string, string>;
    adapter(): OutboundDialer;
    urls(pub: string): { callback: string; answer: string };
    /** The numbers the carrier was asked to call. */
    dialled(): string[];
    /** Plays a call; returns our server's answers to the carrier's callbacks. */
    play(id: string, outcome: Outcome): Promise<(number | null)[]>;
    close(): Promise<void>;
  }>;
  accepted: number[];
  unsigned: { url: string; payload: string | Record<string, unknown>; status: number };
}

const SECRET = 'vapi-server-secret-0123456789';
const LINE = 'pn-test-line';

const carriers: Carrier[] = [
  {
    name: 'Twilio',
    async start() {
      const fake = await FakeTwilioApi.start();
      return {
        env: { TWILIO_ACCOUNT_SID: fake.accountSid, TWILIO_AUTH_TOKEN: fake.authToken, TWILIO_API_BASE_URL: fake.url },
        adapter: () =>
          new TwilioOutboundDialer({ accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url }),
        urls: (pub) => ({ callback: `${pub}/twilio/dial-events`, answer: `${pub}/twilio/outbound` }),
        dialled: () => fake.requestsTo('POST', /\/Calls\.json$/).map((r) => String(r.fields.To)),
        play: async (id, outcome) => (await fake.play(id, outcome)).map((d) => d.responseStatus),
        close: () => fake.close(),
      };
    },
    accepted: [202, 204],
    unsigned: { url: '/twilio/dial-events', payload: 'CallSid=CA123&CallStatus=completed', status: 403 },
  },
  {
    name: 'Vapi',
    async start() {
      const fake = await FakeVapiApi.start({
        phoneNumbers: { [LINE]: '+15125550147' },
        serverAuth: { bearer: SECRET },
      });
      return {
        env: {
          VAPI_API_KEY: fake.apiKey,
          VAPI_API_BASE_URL: fake.url,
          VAPI_PHONE_NUMBER_ID: LINE,
          VAPI_SERVER_SECRET: SECRET,
        },
        adapter: () => new VapiOutboundDialer({ apiKey: fake.apiKey, phoneNumberId: LINE, apiBaseUrl: fake.url }),
        urls: (pub) => ({ callback: `${pub}/vapi/webhook`, answer: `${pub}/vapi/chat/completions` }),
        dialled: () =>
          fake.requestsTo('POST', /^\/call$/).map((r) => (r.body as { customer: { number: string } }).customer.number),
        play: async (id, outcome) => (await fake.play(id, outcome)).map((d) => d.responseStatus),
        close: () => fake.close(),
      };
    },
    accepted: [200],
    unsigned: {
      url: '/vapi/webhook',
      payload: { message: { type: 'status-update', status: 'ended', call: { id: 'x' } } },
      status: 401,
    },
  },
];

describe.each(carriers)('a campaign against the fake $name', (carrier) => {
  let fake: Awaited<ReturnType<Carrier['start']>>;
  let server: CampaignServer;
  let ctx: AppContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    fake = await carrier.start();
    server = await campaignServer(fake.env);
    ({ ctx, app } = server);
  });
  /** The dialer through the carrier's adapter, at a fixed time inside every window (Tuesday 15:00 in Austin). */
  const dialerOnDemoClock = () => campaignDialer(ctx, fake.adapter(), fake.urls(ctx.config.publicUrl));

  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('dials through the carrier, and its authenticated callbacks move the targets to their outcomes', async () => {
    expect(ctx.dialer).not.toBeNull();
    const a = await newAgent(ctx);
    const phones = [uniquePhone(), uniquePhone(), uniquePhone()];
    const c = await startedCampaign(ctx, a.scope, phones, {
      name: `Just sold on Elm (${carrier.name})`,
      purpose: 'just_sold',
      maxAttempts: 2,
      maxConcurrent: 5,
    });

    const dialer = dialerOnDemoClock();
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ dialed: 3 });
    expect(fake.dialled().sort()).toEqual([...phones].sort());

    const targets = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id }, { orderBy: { id: 'asc' } });
    const outcomes: Outcome[] = ['human', 'machine', 'busy'];
    for (const [i, outcome] of outcomes.entries()) {
      for (const status of await fake.play(targets[i]!.lastProviderCallId!, outcome)) {
        expect(carrier.accepted).toContain(status);
      }
    }
    const after = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id }, { orderBy: { id: 'asc' } });
    expect(after.map((t) => [t.status, t.outcome])).toEqual([
      ['done', 'no_outcome'],
      ['done', 'voicemail_left'],
      ['retryScheduled', 'busy'],
    ]);
  });

  it.skipIf(carrier.name !== 'Twilio')(
    'an answered call hears who calls, that it is an AI, and the opt-out; "9" or "stop" lists the number at once',
    async () => {
      const a = await newAgent(ctx, { name: 'Dana Reyes' });
      const phones = [uniquePhone(), uniquePhone()];
      const c = await startedCampaign(ctx, a.scope, phones, {
        name: 'the home that just sold on Elm Street',
        purpose: 'just_sold',
      });
      const dialer = dialerOnDemoClock();
      expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ dialed: 2 });
      const targets = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id }, { orderBy: { id: 'asc' } });
      // The person picks up: Twilio fetches the answer URL, the opening is the ConversationRelay welcome greeting.
      const answer = (i: number) =>
        placeCall({
          authToken: ctx.config.TWILIO_AUTH_TOKEN!,
          server: ctx.config.publicUrl,
          from: c.callerId,
          to: phones[i]!,
          answer: { callSid: targets[i]!.lastProviderCallId!, path: '/twilio/outbound' },
        });
      const keyed = await answer(0);
      expect(keyed.greeting).toMatch(/this is Dana Reyes's virtual assistant at .*I'm an AI/);
      expect(keyed.greeting).toMatch(/five one two, five five five, zero one four seven.*press 9 or say stop/);
      expect(await keyed.dtmf('9')).toMatch(/off our list/);
      const spoken = await answer(1);
      expect(await spoken.say('Please take me off your list.')).toMatch(/off our list/);
      await Promise.all([keyed.ended, spoken.ended]);

      const after = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id }, { orderBy: { id: 'asc' } });
      expect(after.map((t) => [t.status, t.outcome])).toEqual([
        ['optedOut', 'do_not_call'],
        ['optedOut', 'do_not_call'],
      ]);
      for (const phone of phones) expect(await ctx.services.doNotCall.isListed(ctx.orm.em.fork(), phone)).toBe(true);

      // A call no campaign placed is hung up.
      const stranger = await placeCall({
        authToken: ctx.config.TWILIO_AUTH_TOKEN!,
        server: ctx.config.publicUrl,
        answer: { callSid: `CA${'0'.repeat(32)}`, path: '/twilio/outbound' },
      });
      expect((await stranger.ended).reason).toBe('twiml-hangup');
    },
  );

  it('refuses unauthenticated callbacks', async () => {
    const { url, payload, status } = carrier.unsigned;
    const res = await app.inject({
      method: 'POST',
      url,
      ...(typeof payload === 'string'
        ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload }
        : { payload }),
    });
    expect(res.statusCode).toBe(status);
  });
});
