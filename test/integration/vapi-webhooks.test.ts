import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Call } from '../../src/domain/calls/call.entity.ts';
import { signVapiRequest } from '../../src/integrations/vapi/auth.ts';
import { uniquePhone } from '../helpers/context.ts';
import {
  BEARER,
  CALLER,
  callSidOf,
  GREETING,
  hmacHeaders,
  MOBILE,
  PUBLIC,
  SECRET,
  useVapiServer,
  type Json,
} from '../helpers/vapi.ts';

const vapi = useVapiServer();
const { appWith, webhook, message, findCall, startCall } = vapi;

describe('Vapi webhook: authentication', () => {
  it('refuses missing, wrong and shared-secret-only credentials with 401 and writes nothing', async () => {
    const callId = randomUUID();
    const body = JSON.stringify(message('assistant-request.json', callId));
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'content-type': 'application/json' }, /x-vapi-signature/],
      [{ ...hmacHeaders(body), 'x-vapi-signature': signVapiRequest('not-the-secret-0123456789', 1, body) }, /Invalid/],
      [{ 'content-type': 'application/json', ...BEARER }, /x-vapi-signature/],
      [{ ...hmacHeaders(`${body} `) }, /Invalid/],
    ];
    for (const [headers, messageText] of cases) {
      const res = await webhook(body, headers);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized', message: expect.stringMatching(messageText) });
    }
    expect(await findCall(callId)).toBeNull();
  });

  it('refuses an HMAC with an old timestamp (replay) and accepts one in milliseconds', async () => {
    const callId = randomUUID();
    const body = JSON.stringify(message('assistant-request.json', callId));
    const old = await webhook(body, hmacHeaders(body, Math.floor(Date.now() / 1000) - 10 * 60));
    expect(old.statusCode).toBe(401);
    expect(old.json().message).toMatch(/5 minutes/);
    expect(await findCall(callId)).toBeNull();
    const ms = await webhook(body, hmacHeaders(body, Date.now()));
    expect(ms.statusCode).toBe(200);
    expect(await findCall(callId)).not.toBeNull();
  });

  it('with only VAPI_SERVER_SECRET: Bearer or X-Vapi-Secret; with neither setting: 403 for everything', async () => {
    const secretOnly = await appWith({ VAPI_HMAC_SECRET: undefined });
    const callId = randomUUID();
    const body = JSON.stringify(message('assistant-request.json', callId));
    const json = { 'content-type': 'application/json' };
    expect(
      (await webhook(body, { ...json, authorization: 'Bearer wrong-0123456789abcdef' }, secretOnly)).statusCode,
    ).toBe(401);
    expect((await webhook(body, hmacHeaders(body), secretOnly)).statusCode).toBe(401);
    expect(await findCall(callId)).toBeNull();
    expect((await webhook(body, { ...json, ...BEARER }, secretOnly)).statusCode).toBe(200);
    expect((await webhook(body, { ...json, 'x-vapi-secret': SECRET }, secretOnly)).statusCode).toBe(200);

    const closed = await appWith({ VAPI_HMAC_SECRET: undefined, VAPI_SERVER_SECRET: undefined });
    for (const url of ['/vapi/webhook', '/vapi/chat/completions']) {
      const res = await closed.inject({ method: 'POST', url, headers: { ...json, ...BEARER }, payload: body });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        error: 'forbidden',
        message: expect.stringMatching(/VAPI_HMAC_SECRET.*VAPI_SERVER_SECRET/),
      });
    }
  });
});

describe('Vapi webhook: assistant-request', () => {
  it('creates the call record and answers with a transient assistant running on our custom LLM', async () => {
    const callId = randomUUID();
    const res = await webhook(message('assistant-request.json', callId));
    expect(res.statusCode).toBe(200);
    const { assistant } = res.json() as Json;
    expect(assistant).toMatchObject({
      name: 'Receptionist for Dana Realtor',
      firstMessage: GREETING,
      firstMessageMode: 'assistant-speaks-first',
      model: {
        provider: 'custom-llm',
        url: `${PUBLIC}/vapi`,
        model: 'receptionist',
        tools: [
          { type: 'endCall' },
          { type: 'transferCall', destinations: [{ type: 'number', number: MOBILE, message: '' }] },
        ],
      },
      voice: { provider: '11labs', voiceId: vapi.ctx.calls.persona.voice.voice },
      server: { url: `${PUBLIC}/vapi/webhook`, credentialId: 'cred_0b1c2d3e4f5a6b7c8d9e' },
      serverMessages: ['status-update', 'end-of-call-report', 'tool-calls', 'conversation-update', 'user-interrupted'],
      metadata: { callSid: callSidOf(callId), agentId: vapi.agent.agentId },
    });
    expect(await findCall(callId)).toMatchObject({
      direction: 'inbound',
      status: 'ringing',
      transport: 'vapi',
      fromNumber: CALLER,
      toNumber: vapi.line,
    });
    // Vapi retrying the request does not make a second record.
    expect((await webhook(message('assistant-request.json', callId))).statusCode).toBe(200);
    expect(await vapi.ctx.orm.em.fork().count(Call, { callSid: callSidOf(callId) })).toBe(1);
  });

  it('greets callers from all-party-consent states with the recording notice', async () => {
    const res = await webhook(message('assistant-request.json', randomUUID(), vapi.line, '+14155550123'));
    expect(res.json().assistant.firstMessage).toBe(`This call is recorded. ${GREETING}`);
  });

  it('names the saved assistant when VAPI_ASSISTANT_ID is set, with this call’s greeting', async () => {
    const saved = await appWith({ VAPI_ASSISTANT_ID: 'asst_saved_0123' });
    const callId = randomUUID();
    const res = await webhook(message('assistant-request.json', callId), undefined, saved);
    expect(res.json()).toEqual({
      assistantId: 'asst_saved_0123',
      assistantOverrides: { firstMessage: GREETING, metadata: { callSid: callSidOf(callId) } },
    });
  });

  it('tells callers of an unregistered number that it is not in service', async () => {
    const callId = randomUUID();
    const res = await webhook(message('assistant-request.json', callId, uniquePhone()));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ error: 'Sorry, this number is not in service.' });
    expect(await findCall(callId)).toBeNull();
  });
});

describe('Vapi webhook: bad bodies and other messages', () => {
  it('answers malformed bodies with 400 and a message naming the problem', async () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [{ hello: 'world' }, /^message: /],
      [{ message: { type: '' } }, /message\.type/],
      [{ message: { type: 'assistant-request', phoneNumber: { number: vapi.line } } }, /^message\.call: /],
      [{ message: { type: 'assistant-request', call: { id: 'x'.repeat(80) } } }, /message\.call\.id/],
      [{ message: { type: 'tool-calls', call: { id: 'abc' }, toolCallList: [] } }, /message\.toolCallList: /],
      [{ message: { type: 'status-update', call: { id: 'abc' } } }, /message\.status/],
      [{ message: { type: 'status-update', call: { id: 'abc' }, status: 'ended\u0000' } }, /NUL/],
    ];
    for (const [payload, text] of cases) {
      const res = await webhook(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).toMatch(text);
    }
  });

  it('answers informational messages with 200 {}', async () => {
    const callId = await startCall();
    for (const payload of [
      message('conversation-update.json', callId),
      { message: { type: 'speech-update', status: 'started', role: 'user', turn: 1, call: { id: callId } } },
      { message: { type: 'hang', call: { id: callId } } },
      { message: { type: 'user-interrupted', call: { id: callId } } },
      { message: { type: 'transcript', role: 'user', transcriptType: 'partial', transcript: 'hi' } },
      { message: { type: 'status-update', status: 'scheduled-for-later', call: { id: callId } } },
    ]) {
      const res = await webhook(payload);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({});
    }
  });
});

describe('Vapi webhook: tool-calls', () => {
  it('runs listing_info for the call’s agent and answers each tool call by id', async () => {
    const callId = await startCall();
    const payload = message('tool-calls.json', callId);
    payload.message.toolCallList.push(
      // Docs shape: name + parameters object. Another agent's property is not found.
      { id: 'call_other', name: 'listing_info', parameters: { property_id: vapi.otherPropertyId } },
      { id: 'call_agent_tool', name: 'list_contacts', parameters: {} },
      { id: 'call_bad_args', function: { name: 'listing_info', arguments: '{"property":' } },
      { id: 'call_no_tool', name: 'no_such_tool', parameters: {} },
    );
    const res = await webhook(payload);
    expect(res.statusCode).toBe(200);
    const { results } = res.json() as { results: Json[] };
    expect(results.map((r) => r.toolCallId)).toEqual([
      'call_Jm4cV9xQk2rT7wLp0sNe8bYd',
      'call_other',
      'call_agent_tool',
      'call_bad_args',
      'call_no_tool',
    ]);
    const [info, other, agentTool, badArgs, noTool] = results;
    expect(info).toMatchObject({ name: 'listing_info' });
    expect(info!.error).toBeUndefined();
    const result = JSON.parse(info!.result as string) as Json;
    expect(result.data).toMatchObject({ address: '141 Elm St', price: 850000, bedrooms: 3, availability: 'available' });
    expect(result.voice_summary).toMatch(/^141 Elm St is listed at \$850,000/);
    expect(other).toMatchObject({ name: 'listing_info', error: expect.stringMatching(/not found/i) });
    expect(other!.result).toBeUndefined();
    expect(agentTool).toMatchObject({ name: 'list_contacts', error: 'list_contacts is not available on calls' });
    expect(badArgs).toMatchObject({ name: 'listing_info', error: expect.stringMatching(/not a JSON object/) });
    expect(noTool).toMatchObject({ error: 'no_such_tool is not available on calls' });
  });

  it('reads toolWithToolCallList when toolCallList is absent', async () => {
    const callId = await startCall();
    const payload = message('tool-calls.json', callId);
    delete payload.message.toolCallList;
    const res = await webhook(payload);
    expect(res.json().results).toEqual([
      expect.objectContaining({ toolCallId: 'call_Jm4cV9xQk2rT7wLp0sNe8bYd', result: expect.any(String) }),
    ]);
  });

  it('answers tool calls of an unknown call with a not-found error per tool (no 5xx)', async () => {
    const res = await webhook(message('tool-calls.json', randomUUID()));
    expect(res.statusCode).toBe(200);
    expect(res.json().results).toEqual([
      {
        toolCallId: 'call_Jm4cV9xQk2rT7wLp0sNe8bYd',
        name: 'listing_info',
        error: expect.stringMatching(/^Not found/),
      },
    ]);
  });
});

describe('Vapi webhook: call status and end-of-call report', () => {
  it('maps status updates onto the record, never backwards, and ends the call', async () => {
    const callId = await startCall();
    const status = (s: string, extra: Json = {}) => {
      const payload = message('status-update.json', callId);
      Object.assign(payload.message, { status: s, ...extra });
      return webhook(payload);
    };
    expect((await status('in-progress')).statusCode).toBe(200);
    expect(await findCall(callId)).toMatchObject({ status: 'in-progress', endedAt: null });
    await status('ringing');
    expect((await findCall(callId))!.status).toBe('in-progress');
    await status('forwarding');
    expect((await findCall(callId))!.status).toBe('in-progress');
    await status('ended', { endedReason: 'customer-ended-call' });
    const ended = await findCall(callId);
    expect(ended).toMatchObject({ status: 'completed', endedReason: 'customer-ended-call' });
    expect(ended!.endedAt).toBeInstanceOf(Date);
    // Unknown calls are acknowledged and ignored.
    expect((await webhook(message('status-update.json', randomUUID()))).statusCode).toBe(200);
  });

  it('stores the end-of-call report: recording, duration, reason, end time and a note', async () => {
    const callId = await startCall();
    const res = await webhook(message('end-of-call-report.json', callId));
    expect(res.statusCode).toBe(200);
    const call = await findCall(callId);
    expect(call).toMatchObject({
      status: 'completed',
      endedReason: 'customer-ended-call',
      durationSec: 97,
      recordingUrl: `https://storage.vapi.ai/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f-1764043299000-mono.wav`,
      summary: expect.stringMatching(/^Vapi summary: A caller asked about 141 Elm Street/),
    });
    expect(call!.endedAt!.toISOString()).toBe('2026-11-25T04:01:38.918Z');
  });

  it('reads the legacy top-level report fields', async () => {
    const callId = await startCall();
    const payload = message('end-of-call-report.json', callId);
    const m = payload.message as Json;
    for (const key of ['artifact', 'analysis', 'startedAt', 'endedAt', 'durationMs']) delete m[key];
    Object.assign(m, {
      durationSeconds: 42.6,
      recordingUrl: 'https://storage.vapi.ai/legacy-mono.wav',
      transcript: 'AI: Hello.\nUser: Bye.',
    });
    expect((await webhook(payload)).statusCode).toBe(200);
    expect(await findCall(callId)).toMatchObject({
      durationSec: 43,
      recordingUrl: 'https://storage.vapi.ai/legacy-mono.wav',
      summary: 'Vapi transcript: AI: Hello. User: Bye.',
    });
  });
});
