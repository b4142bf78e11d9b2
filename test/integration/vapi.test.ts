import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrainFactory } from '../../src/call-runtime/brain.port.ts';
import { vapiRoutes, type VapiRoutesOptions } from '../../src/call-server/vapi.routes.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { Call, CallTurn } from '../../src/domain/calls/call.entity.ts';
import { Property } from '../../src/domain/properties/property.entity.ts';
import { buildApp } from '../../src/http/app.ts';
import { signVapiRequest } from '../../src/integrations/vapi/auth.ts';
import { createLogger } from '../../src/log.ts';
import { seedListings } from '../../src/seed/demo.ts';
import { buildContext, type AppContext } from '../../src/services.ts';
import { localReceptionistBrain } from '../../src/voice/local-brain/receptionist-brain.ts';
import { newAgent, uniquePhone, type TestAgent } from '../helpers/context.ts';

const HMAC = 'test-vapi-hmac-secret-0123456789';
const SECRET = 'test-vapi-server-secret-0123456789';
const PUBLIC = 'https://voice.example.test';
const MOBILE = '+15125550147';
const CALLER = '+15125550142'; // Texas: one-party consent, no recording notice
const GREETING =
  "Thanks for calling Lone Star Homes. I'm Dana Realtor's virtual assistant; I'm an AI. How can I help you today?";
const GOODBYE = 'Thanks for calling Lone Star Homes. Have a great day. Goodbye!';
const BEARER = { authorization: `Bearer ${SECRET}` };

/** Parsed JSON (test payloads and answers), loosely typed like JSON.parse's result. */
type Json = ReturnType<typeof JSON.parse>;
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'vapi', name), 'utf8')) as Json;

const pause = (signal: AbortSignal, ms: number): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** The local brain, plus two slow answers for barge-in and timeout tests. */
const testBrain: BrainFactory = (info) => {
  const inner = localReceptionistBrain(info);
  return {
    name: 'test',
    async *step(req) {
      const last = req.history.at(-1);
      const said = last?.role === 'user' ? last.text : '';
      if (/\bslowly\b/i.test(said)) {
        yield { type: 'text', text: 'Let me look into that for you. ' };
        await pause(req.signal, 5_000);
        if (!req.signal.aborted) yield { type: 'text', text: 'It took a while.' };
        return;
      }
      if (/\bhold on\b/i.test(said)) {
        await pause(req.signal, 5_000);
        return;
      }
      yield* inner.step(req);
    },
  };
};

let ctx: AppContext;
let app: FastifyInstance;
let base: string;
let agent: TestAgent;
let line: string;
let otherPropertyId: number;
const extraApps: FastifyInstance[] = [];

beforeAll(async () => {
  ctx = await buildContext(
    loadConfig({
      DATABASE_URL: process.env.DATABASE_URL,
      PGLITE_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: PUBLIC,
      VAPI_HMAC_SECRET: HMAC,
      VAPI_SERVER_SECRET: SECRET,
      // Nothing waits: no silence prompt during a test, the goodbye is not "played".
      CALL_SILENCE_MS: '30000',
      CALL_SPEECH_MS_PER_WORD: '0',
    }),
    createLogger({ level: 'silent' }),
    { jobs: false, brainFactory: testBrain },
  );
  app = await buildApp(ctx);
  // Registered here until src/http/app.ts registers it.
  if (!app.hasRoute({ method: 'POST', url: '/vapi/webhook' })) await app.register(vapiRoutes, { ctx });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  agent = await newAgent(ctx, { name: 'Dana Realtor' });
  line = uniquePhone();
  await ctx.services.agents.update(ctx.orm.em.fork(), agent.agentId, {
    lineNumbers: [line],
    brokerageName: 'Lone Star Homes',
    mobilePhone: MOBILE,
  });
  await seedListings(ctx, agent.agentId);

  const other = await newAgent(ctx, { name: 'Olive Other' });
  await seedListings(ctx, other.agentId);
  otherPropertyId = (await ctx.orm.em.fork().findOneOrFail(Property, { agent: other.agentId })).id;
});

afterAll(async () => {
  for (const a of extraApps) await a.close();
  await app?.close();
  await ctx?.close();
});

/** Another Fastify instance over the same context, with other settings. */
async function appWith(config: Partial<Config>, options: Partial<VapiRoutesOptions> = {}): Promise<FastifyInstance> {
  const a = Fastify({ loggerInstance: ctx.log as FastifyBaseLogger });
  await a.register(vapiRoutes, { ctx: { ...ctx, config: { ...ctx.config, ...config } }, ...options });
  await a.ready();
  extraApps.push(a);
  return a;
}

function hmacHeaders(body: string, timestamp: string | number = Math.floor(Date.now() / 1000)) {
  return {
    'content-type': 'application/json',
    'x-vapi-timestamp': String(timestamp),
    'x-vapi-signature': signVapiRequest(HMAC, timestamp, body),
  };
}

function webhook(payload: unknown, headers?: Record<string, string>, target: FastifyInstance = app) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return target.inject({
    method: 'POST',
    url: '/vapi/webhook',
    headers: headers ?? hmacHeaders(body),
    payload: body,
  });
}

/** A fixture message for a new call on `to` (our line by default). */
function message(name: string, callId: string, to: string = line, from: string = CALLER): Json {
  const payload = fixture(name);
  const m = payload.message as Json;
  m.call.id = callId;
  m.call.customer = { number: from };
  if (m.customer) m.customer = { number: from };
  if (m.phoneNumber) m.phoneNumber.number = to;
  return payload;
}

const callSidOf = (callId: string): string => `vapi:${callId}`;
const findCall = (callId: string) => ctx.orm.em.fork().findOne(Call, { callSid: callSidOf(callId) });

async function startCall(callId = randomUUID()): Promise<string> {
  const res = await webhook(message('assistant-request.json', callId));
  expect(res.statusCode).toBe(200);
  return callId;
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ---- custom LLM client ----

interface ChatStream {
  status: number;
  contentType: string | null;
  data: string[];
  finished: Promise<void>;
  waitFor(pred: (data: string[]) => boolean, ms?: number): Promise<void>;
}

async function openChat(body: unknown, headers: Record<string, string> = BEARER, target = base): Promise<ChatStream> {
  const res = await fetch(`${target}/vapi/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const data: string[] = [];
  const parser = createParser({ onEvent: (e) => data.push(e.data) });
  const finished = (async () => {
    const decoder = new TextDecoder();
    for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(piece, { stream: true }));
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    data,
    finished,
    async waitFor(pred, ms = 5_000) {
      const deadline = Date.now() + ms;
      while (!pred(data)) {
        if (Date.now() > deadline) throw new Error(`stream did not get there: ${JSON.stringify(data)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

async function chat(body: unknown, headers?: Record<string, string>, target?: string) {
  const stream = await openChat(body, headers, target);
  await stream.finished;
  return { ...stream, ...parseChunks(stream.data) };
}

function parseChunks(data: string[]) {
  const chunks = data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Json);
  const content = chunks.map((c) => (c.choices[0].delta.content as string | undefined) ?? '').join('');
  const toolCalls = chunks.flatMap((c) => (c.choices[0].delta.tool_calls as Json[] | undefined) ?? []);
  return { chunks, content, toolCalls, finishReason: chunks.at(-1)?.choices[0].finish_reason as string | undefined };
}

function chatRequest(callId: string, messages: { role: string; content: string }[], extra: Json = {}): Json {
  const body = fixture('chat-completions.request.json');
  body.call.id = callId;
  body.call.customer = { number: CALLER };
  body.customer = { number: CALLER };
  body.phoneNumber.number = line;
  body.messages = messages;
  return { ...body, ...extra };
}

const said = (text: string) => ({ role: 'user', content: text });
const answered = (text: string) => ({ role: 'assistant', content: text });

// ---- tests ----

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
      voice: { provider: '11labs', voiceId: ctx.calls.persona.voice.voice },
      server: { url: `${PUBLIC}/vapi/webhook`, credentialId: 'cred_0b1c2d3e4f5a6b7c8d9e' },
      serverMessages: ['status-update', 'end-of-call-report', 'tool-calls', 'conversation-update', 'user-interrupted'],
      metadata: { callSid: callSidOf(callId), agentId: agent.agentId },
    });
    expect(await findCall(callId)).toMatchObject({
      direction: 'inbound',
      status: 'ringing',
      transport: 'vapi',
      fromNumber: CALLER,
      toNumber: line,
    });
    // Vapi retrying the request does not make a second record.
    expect((await webhook(message('assistant-request.json', callId))).statusCode).toBe(200);
    expect(await ctx.orm.em.fork().count(Call, { callSid: callSidOf(callId) })).toBe(1);
  });

  it('greets callers from all-party-consent states with the recording notice', async () => {
    const res = await webhook(message('assistant-request.json', randomUUID(), line, '+14155550123'));
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
      [{ message: { type: 'assistant-request', phoneNumber: { number: line } } }, /^message\.call: /],
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
      { id: 'call_other', name: 'listing_info', parameters: { property_id: otherPropertyId } },
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

describe('Vapi custom LLM: /vapi/chat/completions', () => {
  it('streams the session’s answers turn by turn and ends the call with endCall', async () => {
    const callId = await startCall();
    const question = 'How much is 141 Elm Street?';
    const first = await chat(chatRequest(callId, [answered(GREETING), said(question)]));
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);
    expect(first.data.at(-1)).toBe('[DONE]');
    // Every chunk is one chat.completion.chunk of the same completion; content first, then the stop.
    const { chunks } = first;
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const c of chunks) {
      expect(c).toMatchObject({ id: chunks[0]!.id, object: 'chat.completion.chunk', model: 'receptionist' });
      expect(c.choices).toHaveLength(1);
      expect(c.choices[0].index).toBe(0);
    }
    expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.choices[0].delta.role === 'assistant')).toBe(true);
    expect(first.finishReason).toBe('stop');
    expect(first.content).toBe("141 Elm St: it's listed at $850,000. Would you like to schedule a viewing?");
    expect(first.toolCalls).toEqual([]);

    const second = await chat(
      chatRequest(callId, [answered(GREETING), said(question), answered(first.content), said('No thanks, goodbye.')]),
    );
    expect(second.content).toBe(GOODBYE);
    expect(second.toolCalls).toEqual([
      {
        index: 0,
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'endCall', arguments: '{}' },
      },
    ]);
    expect(second.finishReason).toBe('tool_calls');
    expect(second.data.at(-1)).toBe('[DONE]');

    // The session's records: the turns as they happened, and how the call ended.
    const call = await eventually(
      () => findCall(callId),
      (c) => !!c?.endedReason,
    );
    expect(call).toMatchObject({ transport: 'vapi', endedReason: 'goodbye', outcome: 'information_provided' });
    const turns = await ctx.orm.em.fork().find(CallTurn, { call: call!.id }, { orderBy: { seq: 'asc' } });
    expect(turns.map((t) => [t.role, t.toolName ?? t.text])).toEqual([
      ['agent', GREETING],
      ['caller', question],
      ['tool', 'listing_info'],
      ['agent', first.content],
      ['caller', 'No thanks, goodbye.'],
      ['tool', 'end_call'],
      ['agent', GOODBYE],
    ]);

    // A request after the end: a closing line and endCall.
    const after = await chat(chatRequest(callId, [answered(GOODBYE), said('Hello?')]));
    expect(after.content).toBe('This call has ended. Goodbye.');
    expect(after.toolCalls[0]!.function.name).toBe('endCall');
  });

  it('starts the record itself when no assistant-request came through us; answers stream:false with one JSON', async () => {
    const callId = randomUUID();
    const res = await fetch(`${base}/vapi/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...BEARER },
      body: JSON.stringify(
        chatRequest(callId, [answered(GREETING), said('How much is 141 Elm Street?')], { stream: false }),
      ),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      model: 'receptionist',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }],
    });
    expect(body.choices[0].message.content).toBe(
      "141 Elm St: it's listed at $850,000. Would you like to schedule a viewing?",
    );
    expect(await findCall(callId)).toMatchObject({ transport: 'vapi', toNumber: line, status: 'in-progress' });
  });

  it('transfers with transferCall to the agent’s mobile', async () => {
    const callId = await startCall();
    const res = await chat(chatRequest(callId, [answered(GREETING), said('Can I speak to Dana please?')]));
    expect(res.content).toBe('Let me connect you with Dana Realtor. One moment, please.');
    expect(res.toolCalls).toEqual([
      expect.objectContaining({
        type: 'function',
        function: { name: 'transferCall', arguments: JSON.stringify({ destination: MOBILE }) },
      }),
    ]);
    expect(res.finishReason).toBe('tool_calls');
    // Vapi rings the agent: the session is over, with our reason (Vapi's own report does not replace it).
    expect(
      await eventually(
        () => findCall(callId),
        (c) => !!c?.endedReason,
      ),
    ).toMatchObject({
      outcome: 'transferred',
      endedReason: 'transferred',
    });
    expect(ctx.calls.get(callSidOf(callId))).toBeUndefined();
    const report = message('end-of-call-report.json', callId);
    report.message.endedReason = 'assistant-forwarded-call';
    await webhook(report);
    expect(await findCall(callId)).toMatchObject({ status: 'completed', endedReason: 'transferred' });
  });

  it('a new turn while the reply streams ends the old stream and tells the session it was interrupted', async () => {
    const callId = await startCall();
    const events: Json[] = [];
    const unsubscribe = ctx.callEvents.subscribeCall(callSidOf(callId), (e) => events.push(e));
    try {
      const slow = await openChat(chatRequest(callId, [answered(GREETING), said('Tell me slowly about your homes')]));
      await slow.waitFor((d) => d.length > 0);
      const next = await chat(
        chatRequest(callId, [
          answered(GREETING),
          said('Tell me slowly about your homes'),
          answered('Let me look into that for you.'),
          said('Never mind, goodbye.'),
        ]),
      );
      await slow.finished;
      const old = parseChunks(slow.data);
      expect(old.content).toBe('Let me look into that for you.');
      expect(old.finishReason).toBe('stop');
      expect(slow.data.at(-1)).toBe('[DONE]');
      expect(next.content).toBe(GOODBYE);
      expect(next.toolCalls[0]!.function.name).toBe('endCall');
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'turn',
          role: 'agent',
          text: 'Let me look into that for you.',
          interrupted: true,
        }),
      );
    } finally {
      unsubscribe();
    }
  });

  it('a request Vapi abandons mid-reply counts as a barge-in', async () => {
    const callId = await startCall();
    const events: Json[] = [];
    const unsubscribe = ctx.callEvents.subscribeCall(callSidOf(callId), (e) => events.push(e));
    try {
      const controller = new AbortController();
      const res = await fetch(`${base}/vapi/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...BEARER },
        body: JSON.stringify(chatRequest(callId, [answered(GREETING), said('Tell me slowly about your homes')])),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read(); // the first sentence
      controller.abort();
      await eventually(
        async () => events.some((e) => e.type === 'turn' && e.interrupted),
        (v) => v,
      );
      expect(events).toContainEqual(
        expect.objectContaining({ role: 'agent', text: 'Let me look into that for you.', interrupted: true }),
      );
      const next = await chat(chatRequest(callId, [answered(GREETING), said('How much is 141 Elm Street?')]));
      expect(next.content).toContain("141 Elm St: it's listed at $850,000.");
    } finally {
      unsubscribe();
    }
  });

  it('apologises and ends the stream when no reply comes in time', async () => {
    const quick = await appWith({}, { replyTimeoutMs: 300 });
    await quick.listen({ host: '127.0.0.1', port: 0 });
    const quickBase = `http://127.0.0.1:${(quick.server.address() as { port: number }).port}`;
    const callId = await startCall();
    const started = Date.now();
    const res = await chat(chatRequest(callId, [answered(GREETING), said('Hold on a second')]), BEARER, quickBase);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(res.content).toBe('Sorry, I ran into a problem there. Could you say that again?');
    expect(res.finishReason).toBe('stop');
    expect(res.data.at(-1)).toBe('[DONE]');
    // The call goes on.
    const next = await chat(
      chatRequest(callId, [answered(GREETING), said('Hold on a second'), answered(res.content), said('Bye now')]),
      BEARER,
      quickBase,
    );
    expect(next.content).toBe(GOODBYE);
  });

  it('answers a request without a caller turn (a model-generated first message) with the greeting', async () => {
    const callId = await startCall();
    const res = await chat(chatRequest(callId, [{ role: 'system', content: 'You are a receptionist.' }]));
    expect(res.content).toBe(GREETING);
    expect(res.finishReason).toBe('stop');
    expect(res.data.at(-1)).toBe('[DONE]');
  });

  it('Vapi’s user-interrupted message cuts the streaming reply short', async () => {
    const callId = await startCall();
    const events: Json[] = [];
    const unsubscribe = ctx.callEvents.subscribeCall(callSidOf(callId), (e) => events.push(e));
    try {
      const slow = await openChat(chatRequest(callId, [answered(GREETING), said('Tell me slowly about your homes')]));
      await slow.waitFor((d) => d.length > 0);
      const res = await webhook({ message: { type: 'user-interrupted', turnId: 'turn-1', call: { id: callId } } });
      expect(res.statusCode).toBe(200);
      await slow.finished;
      expect(parseChunks(slow.data)).toMatchObject({ content: 'Let me look into that for you.', finishReason: 'stop' });
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'turn',
          role: 'agent',
          text: 'Let me look into that for you.',
          interrupted: true,
        }),
      );
    } finally {
      unsubscribe();
    }
  });

  it('replays the last reply when Vapi repeats a finished turn', async () => {
    const callId = await startCall();
    const request = chatRequest(callId, [answered(GREETING), said('How much is 141 Elm Street?')]);
    const first = await chat(request);
    const again = await chat(request);
    expect(again.content).toBe(first.content);
    await ctx.calls.get(callSidOf(callId))?.flush(); // turn rows are written just after the reply streams
    const call = await findCall(callId);
    expect(await ctx.orm.em.fork().count(CallTurn, { call: call!.id, role: 'caller' })).toBe(1);
  });

  it('refuses bad requests: no auth, bad JSON, no call, unknown line', async () => {
    const noAuth = await fetch(`${base}/vapi/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatRequest(randomUUID(), [said('hi')])),
    });
    expect(noAuth.status).toBe(401);
    const wrong = await fetch(`${base}/vapi/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-secret-0123456789' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    // The HMAC works here too.
    const signedBody = JSON.stringify({ model: 'receptionist', messages: [] });
    const signed = await fetch(`${base}/vapi/chat/completions`, {
      method: 'POST',
      headers: hmacHeaders(signedBody),
      body: signedBody,
    });
    expect(signed.status).toBe(400);
    expect(((await signed.json()) as Json).message).toMatch(/^call: missing/);

    const post = (body: string) =>
      app.inject({
        method: 'POST',
        url: '/vapi/chat/completions',
        headers: { 'content-type': 'application/json', ...BEARER },
        payload: body,
      });
    expect((await post('nope')).statusCode).toBe(400);
    const noMessages = await post(JSON.stringify({ call: { id: randomUUID() } }));
    expect(noMessages.statusCode).toBe(400);
    expect(noMessages.json().message).toMatch(/^messages: /);

    const callId = randomUUID();
    const unknownLine = chatRequest(callId, [said('hi')]);
    unknownLine.phoneNumber.number = uniquePhone();
    const res = await post(JSON.stringify(unknownLine));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
    expect(await findCall(callId)).toBeNull();
  });
});
