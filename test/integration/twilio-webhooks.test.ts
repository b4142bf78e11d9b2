import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownContext } from '../../call-flows/harness.ts';
import { verifyCallToken } from '../../src/domain/calls/call-token.ts';
import { Call } from '../../src/domain/calls/call.entity.ts';
import { buildApp } from '../../src/http/app.ts';
import { signTwilioRequest } from '../../src/integrations/twilio/twilio.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, uniquePhone } from '../helpers/context.ts';

const TOKEN = 'test-twilio-auth-token-0123456789';
const PUBLIC = 'https://voice.example.test';
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'twilio', 'inbound-voice.form.json'), 'utf8'),
) as Record<string, string>;

let ctx: AppContext;
let app: FastifyInstance;
let line: string;

beforeAll(async () => {
  ctx = await ownContext({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_URL: PUBLIC });
  app = await buildApp(ctx);
  const agent = await newAgent(ctx, { name: 'Dana Realtor' });
  line = uniquePhone();
  await ctx.services.agents.update(ctx.orm.em.fork(), agent.agentId, {
    lineNumbers: [line],
    brokerageName: 'Lone Star Homes',
  });
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

function post(path: string, form: Record<string, string>, signature?: string) {
  return app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? signTwilioRequest(TOKEN, `${PUBLIC}${path}`, form),
    },
    payload: new URLSearchParams(form).toString(),
  });
}

describe('Twilio webhooks', () => {
  it('answers a signed inbound call on a registered line with ConversationRelay TwiML and a call token', async () => {
    const callSid = `CA${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const form = { ...fixture, CallSid: callSid, To: line, Called: line };
    const res = await post('/twilio/voice', form);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/xml/);
    const xml = res.body;
    expect(xml).toMatch(
      /<Connect action="https:\/\/voice\.example\.test\/twilio\/relay-action"><ConversationRelay url="wss:\/\/voice\.example\.test\/twilio\/relay"/,
    );
    // The fixture's caller is in Texas (one-party consent): AI disclosure, no recording notice.
    expect(xml).toMatch(
      /welcomeGreeting="Thanks for calling Lone Star Homes\. I'm Dana Realtor's virtual assistant; I'm an AI\./,
    );
    const token = /<Parameter name="callToken" value="([^"]+)"/.exec(xml)?.[1];
    expect(verifyCallToken(TOKEN, callSid, token)).toBe(true);
    expect(verifyCallToken(TOKEN, 'CAother', token)).toBe(false);
    const call = await ctx.orm.em.fork().findOneOrFail(Call, { callSid });
    expect(call).toMatchObject({
      direction: 'inbound',
      status: 'ringing',
      toNumber: line,
      transport: 'conversation-relay',
    });

    const status = await post('/twilio/status', { CallSid: callSid, CallStatus: 'completed', CallDuration: '73' });
    expect(status.statusCode).toBe(204);
    const done = await ctx.orm.em.fork().findOneOrFail(Call, { callSid });
    expect(done).toMatchObject({ status: 'completed', durationSec: 73 });
    expect(done.endedAt).toBeInstanceOf(Date);
  });

  it('a retried webhook for the same call (also two at once) answers both and keeps one call row', async () => {
    const callSid = `CAretry${Date.now()}`;
    const form = { ...fixture, CallSid: callSid, To: line, Called: line };
    const [a, b] = await Promise.all([post('/twilio/voice', form), post('/twilio/voice', form)]);
    const c = await post('/twilio/voice', form);
    for (const res of [a, b, c]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/<Parameter name="callToken"/);
    }
    expect(await ctx.orm.em.fork().count(Call, { callSid })).toBe(1);
  });

  it('refuses unsigned, forged or replayed-to-another-URL requests with 403 and writes nothing', async () => {
    const callSid = `CAforged${Date.now()}`;
    const form = { ...fixture, CallSid: callSid, To: line };
    expect((await post('/twilio/voice', form, '')).statusCode).toBe(403);
    expect(
      (await post('/twilio/voice', form, signTwilioRequest('wrong-token-0123456789', `${PUBLIC}/twilio/voice`, form)))
        .statusCode,
    ).toBe(403);
    expect(
      (await post('/twilio/voice', form, signTwilioRequest(TOKEN, `${PUBLIC}/twilio/status`, form))).statusCode,
    ).toBe(403);
    const tampered = signTwilioRequest(TOKEN, `${PUBLIC}/twilio/voice`, form);
    expect((await post('/twilio/voice', { ...form, From: '+15125550199' }, tampered)).statusCode).toBe(403);
    expect(await ctx.orm.em.fork().count(Call, { callSid })).toBe(0);
  });

  it('tells callers of an unregistered number that it is not in service', async () => {
    const res = await post('/twilio/voice', { ...fixture, CallSid: `CAnone${Date.now()}`, To: uniquePhone() });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<Say>Sorry, this number is not in service\. Goodbye\.<\/Say><Hangup\/>/);
  });
});
