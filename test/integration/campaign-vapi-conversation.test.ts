import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Call } from '../../src/domain/calls/call.entity.ts';
import { CallAttempt } from '../../src/domain/campaigns/campaign.entity.ts';
import { VapiOutboundDialer } from '../../src/integrations/vapi/outbound-dialer.ts';
import type { AppContext } from '../../src/services.ts';
import { FakeVapiApi } from '../fakes/vapi/fake-vapi-api.ts';
import { agentWithListing, campaignServer, dialledJustListed, type CampaignServer } from '../helpers/campaigns.ts';
import { uniquePhone, type TestAgent } from '../helpers/context.ts';

/**
 * Whole campaign calls over Vapi: the dialer dials through the fake Vapi API (a custom-LLM assistant whose model
 * URL is our /vapi/chat/completions), the person answers, and the test plays Vapi: its server messages to
 * /vapi/webhook and its custom-LLM requests for the call. The just-listed playbook talks with the local brain;
 * the opening streams back on the first request, and the playbook's end becomes Vapi's endCall tool call.
 */

const SECRET = 'vapi-server-secret-0123456789';
const LINE = 'pn-test-line';
const CALLER_ID = '+15125550147';
const BEARER = { authorization: `Bearer ${SECRET}` };

let fake: FakeVapiApi;
let server: CampaignServer;
let ctx: AppContext;
let agent: TestAgent;
let propertyId: number;

beforeAll(async () => {
  fake = await FakeVapiApi.start({ phoneNumbers: { [LINE]: CALLER_ID }, serverAuth: { bearer: SECRET } });
  server = await campaignServer({
    VAPI_API_KEY: fake.apiKey,
    VAPI_API_BASE_URL: fake.url,
    VAPI_PHONE_NUMBER_ID: LINE,
    VAPI_SERVER_SECRET: SECRET,
  });
  ctx = server.ctx;
  ({ agent, propertyId } = await agentWithListing(ctx));
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

// ---- playing Vapi ----

interface Reply {
  status: number;
  content: string;
  toolCalls: { function: { name: string; arguments: string } }[];
  finishReason: string | undefined;
}

/** A custom-LLM request as Vapi sends it for the call (call object, assistant metadata, tools), read to the end. */
async function customLlm(callId: string, messages: { role: string; content: string }[]): Promise<Reply> {
  const call = fake.callJson(fake.call(callId));
  const assistant = fake.call(callId).assistant!;
  const res = await fetch(`${ctx.config.publicUrl}/vapi/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...BEARER },
    body: JSON.stringify({
      model: 'campaign',
      messages,
      temperature: 0,
      stream: true,
      tools: [
        {
          type: 'function',
          function: {
            name: 'endCall',
            description: 'Use this function to end the call.',
            parameters: { type: 'object', properties: {}, required: [] },
          },
        },
      ],
      call: { ...call, status: 'in-progress' },
      phoneNumber: { id: LINE, provider: 'twilio', number: CALLER_ID },
      customer: call.customer,
      metadata: assistant.metadata,
    }),
  });
  const data: string[] = [];
  const parser = createParser({ onEvent: (e) => data.push(e.data) });
  const decoder = new TextDecoder();
  for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(piece, { stream: true }));
  }
  expect(data.at(-1)).toBe('[DONE]');
  type Chunk = { choices: { delta: { content?: string; tool_calls?: Reply['toolCalls'] }; finish_reason: string }[] };
  const chunks = data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Chunk);
  return {
    status: res.status,
    content: chunks.map((c) => c.choices[0]!.delta.content ?? '').join(''),
    toolCalls: chunks.flatMap((c) => c.choices[0]!.delta.tool_calls ?? []),
    finishReason: chunks.at(-1)?.choices[0]!.finish_reason,
  };
}

/** A server message for the call, as Vapi POSTs it to the assistant's server URL (the dialer's callback). */
async function serverMessage(callId: string, type: string, extra: Record<string, unknown>): Promise<number> {
  const call = fake.call(callId);
  const res = await fetch(`${ctx.config.publicUrl}/vapi/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...BEARER },
    body: JSON.stringify({
      message: {
        timestamp: Date.now(),
        type,
        ...extra,
        call: fake.callJson(call),
        phoneNumber: { id: LINE, provider: 'twilio', number: CALLER_ID },
        customer: { number: call.customerNumber },
        assistant: call.assistant,
      },
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Vapi's messages when the person picks up: ringing, then in progress. */
async function pickUp(callId: string): Promise<void> {
  const call = fake.call(callId);
  call.status = 'ringing';
  expect(await serverMessage(callId, 'status-update', { status: 'ringing' })).toBe(200);
  call.status = 'in-progress';
  call.startedAt = new Date().toISOString();
  expect(await serverMessage(callId, 'status-update', { status: 'in-progress' })).toBe(200);
}

/**
 * Vapi's messages after the assistant's endCall: the call ended, and its report. Vapi speaks the goodbye before it
 * hangs up, so our session (which ends at the endCall) has written its end by then.
 */
async function hangUp(callId: string): Promise<void> {
  await ctx.calls.get(`vapi:${callId}`)?.done;
  const call = fake.call(callId);
  call.status = 'ended';
  call.endedReason = 'assistant-ended-call';
  call.endedAt = new Date().toISOString();
  expect(await serverMessage(callId, 'status-update', { status: 'ended', endedReason: call.endedReason })).toBe(200);
  const durationMs = Date.parse(call.endedAt) - Date.parse(call.startedAt!);
  expect(
    await serverMessage(callId, 'end-of-call-report', {
      endedReason: call.endedReason,
      startedAt: call.startedAt,
      endedAt: call.endedAt,
      durationMs,
      durationSeconds: durationMs / 1000,
      artifact: { transcript: '', messages: [] },
      analysis: {},
    }),
  ).toBe(200);
}

// ---- the campaign ----

/** A started just-listed campaign on the property, dialled through Vapi; returns the call id and the target. */
async function dialled(person: { phone: string; name: string }) {
  const { c, current, settled } = await dialledJustListed(ctx, agent.scope, {
    name: `Just listed over Vapi: 141 Elm (${Date.now()})`,
    propertyId,
    callerId: CALLER_ID,
    people: [person],
    dialer: new VapiOutboundDialer({ apiKey: fake.apiKey, phoneNumberId: LINE, apiBaseUrl: fake.url }),
    urls: { callback: `${ctx.config.publicUrl}/vapi/webhook`, answer: `${ctx.config.publicUrl}/vapi/chat/completions` },
  });
  const callId = (await current(person.phone)).lastProviderCallId!;
  expect(fake.call(callId).customerNumber).toBe(person.phone);
  return { c, callId, target: () => settled(person.phone), current: () => current(person.phone) };
}

const OPENING =
  /^Hi Sam, this is Dana Reyes's virtual assistant at .+\. I'm an AI, calling because a home just came on the market near you, at one forty-one Elm Street, Austin\./;

describe('a campaign call over Vapi with the just-listed playbook (local brain)', () => {
  it('the first request streams the opening; "not interested" gets the playbook line and endCall', async () => {
    const phone = uniquePhone();
    const { c, callId, target } = await dialled({ phone, name: 'Sam Ortiz' });
    await pickUp(callId);

    // Vapi asks the model for the first message: no user turn yet.
    const opening = await customLlm(callId, []);
    expect(opening.status).toBe(200);
    expect(opening.content).toMatch(OPENING);
    expect(opening.content).toMatch(/I'm an AI/);
    expect(opening.content).toMatch(/five one two, five five five, zero one four seven/);
    expect(opening.content).toMatch(/press 9 or say stop\. Would you like to hear about it, or see it\?$/);
    expect([opening.finishReason, opening.toolCalls]).toEqual(['stop', []]);

    const declined = await customLlm(callId, [
      { role: 'assistant', content: opening.content },
      { role: 'user', content: 'No thanks, not interested.' },
    ]);
    expect(declined.content).toMatch(/^No problem at all\. Thanks for letting me know\. .*Goodbye!$/);
    expect(declined.finishReason).toBe('tool_calls');
    expect(declined.toolCalls.map((t) => t.function.name)).toEqual(['endCall']);

    const t = await target();
    expect([t.status, t.outcome]).toEqual(['done', 'not_interested']);

    // Vapi hangs up and reports the end: the outcome stays, the call record completes.
    await hangUp(callId);
    const after = await target();
    expect([after.status, after.outcome]).toEqual(['done', 'not_interested']);
    const em = ctx.orm.em.fork();
    const record = await em.findOneOrFail(Call, { callSid: `vapi:${callId}` });
    expect([record.direction, record.transport, record.fromNumber, record.toNumber, record.status]).toEqual([
      'outbound',
      'vapi',
      c.callerId,
      phone,
      'completed',
    ]);
    const attempt = await em.findOneOrFail(CallAttempt, { providerCallId: callId });
    expect(attempt.callId).toBe(record.id);
    expect(attempt.outcome).toBe('not_interested');
    expect(attempt.greetedAt).not.toBeNull();
  });

  it('"stop calling me" gets the opt-out line and endCall; the number is on the do-not-call list', async () => {
    const phone = uniquePhone();
    const { callId, target } = await dialled({ phone, name: 'Ana Silva' });
    await pickUp(callId);

    const opening = await customLlm(callId, []);
    expect(opening.content).toMatch(/^Hi Ana, .*I'm an AI.*press 9 or say stop/);
    const stop = await customLlm(callId, [
      { role: 'assistant', content: opening.content },
      { role: 'user', content: 'Stop calling me.' },
    ]);
    expect(stop.content).toMatch(/off our list/);
    expect(stop.finishReason).toBe('tool_calls');
    expect(stop.toolCalls.map((t) => t.function.name)).toEqual(['endCall']);

    expect(await ctx.services.doNotCall.isListed(ctx.orm.em.fork(), phone)).toBe(true);
    const t = await target();
    expect([t.status, t.outcome]).toEqual(['optedOut', 'do_not_call']);

    await hangUp(callId);
    const after = await target();
    expect([after.status, after.outcome]).toEqual(['optedOut', 'do_not_call']);
  });
});
