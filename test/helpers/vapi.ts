import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { ownContext } from '../../call-flows/harness.ts';
import type { BrainFactory } from '../../src/call-runtime/brain.port.ts';
import { vapiRoutes, type VapiRoutesOptions } from '../../src/call-server/vapi.routes.ts';
import type { Config } from '../../src/config.ts';
import { Call } from '../../src/domain/calls/call.entity.ts';
import { Property } from '../../src/domain/properties/property.entity.ts';
import { buildApp } from '../../src/http/app.ts';
import { signVapiRequest } from '../../src/integrations/vapi/auth.ts';
import { seedListings } from '../../src/seed/demo.ts';
import type { AppContext } from '../../src/services.ts';
import { localReceptionistBrain } from '../../src/voice/local-brain/receptionist-brain.ts';
import { newAgent, uniquePhone, type TestAgent } from './context.ts';
import { WAIT_MS } from './wait.ts';

export const HMAC = 'test-vapi-hmac-secret-0123456789';
export const SECRET = 'test-vapi-server-secret-0123456789';
export const PUBLIC = 'https://voice.example.test';
export const MOBILE = '+15125550147';
export const CALLER = '+15125550142'; // Texas: one-party consent, no recording notice
export const GREETING =
  "Thanks for calling Lone Star Homes. I'm Dana Realtor's virtual assistant; I'm an AI. How can I help you today?";
export const GOODBYE = 'Thanks for calling Lone Star Homes. Have a great day. Goodbye!';
export const BEARER = { authorization: `Bearer ${SECRET}` };

/** Parsed JSON (test payloads and answers), loosely typed like JSON.parse's result. */
export type Json = ReturnType<typeof JSON.parse>;
export const fixture = (name: string): Json =>
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

export function hmacHeaders(body: string, timestamp: string | number = Math.floor(Date.now() / 1000)) {
  return {
    'content-type': 'application/json',
    'x-vapi-timestamp': String(timestamp),
    'x-vapi-signature': signVapiRequest(HMAC, timestamp, body),
  };
}

export const callSidOf = (callId: string): string => `vapi:${callId}`;

// ---- custom LLM client ----

export interface ChatStream {
  status: number;
  contentType: string | null;
  data: string[];
  finished: Promise<void>;
  waitFor(pred: (data: string[]) => boolean, ms?: number): Promise<void>;
}

export function parseChunks(data: string[]) {
  const chunks = data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Json);
  const content = chunks.map((c) => (c.choices[0].delta.content as string | undefined) ?? '').join('');
  const toolCalls = chunks.flatMap((c) => (c.choices[0].delta.tool_calls as Json[] | undefined) ?? []);
  return { chunks, content, toolCalls, finishReason: chunks.at(-1)?.choices[0].finish_reason as string | undefined };
}

export const said = (text: string) => ({ role: 'user', content: text });
export const answered = (text: string) => ({ role: 'assistant', content: text });

/**
 * The file's Vapi server: a context of its own (Vapi HMAC and server secrets, no silence prompt, the test brain),
 * the app with the Vapi routes on a real socket, an agent "Dana Realtor" of Lone Star Homes with a line, a mobile
 * and the demo listings, and another agent's property; started before the file's tests, closed after them.
 */
export function useVapiServer() {
  let ctx: AppContext | undefined;
  let app: FastifyInstance | undefined;
  let base = '';
  let agent: TestAgent | undefined;
  let line = '';
  let otherPropertyId = 0;
  const extraApps: FastifyInstance[] = [];

  beforeAll(async () => {
    ctx = await ownContext(
      {
        PUBLIC_URL: PUBLIC,
        VAPI_HMAC_SECRET: HMAC,
        VAPI_SERVER_SECRET: SECRET,
        // Nothing waits: no silence prompt during a test, the goodbye is not "played".
        CALL_SILENCE_MS: '30000',
        CALL_SPEECH_MS_PER_WORD: '0',
      },
      { brainFactory: testBrain },
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

  const started = (): { ctx: AppContext; app: FastifyInstance; agent: TestAgent } => {
    if (!ctx || !app || !agent) throw new Error('the Vapi server is not started yet');
    return { ctx, app, agent };
  };

  /** Another Fastify instance over the same context, with other settings. */
  async function appWith(config: Partial<Config>, options: Partial<VapiRoutesOptions> = {}): Promise<FastifyInstance> {
    const { ctx } = started();
    const a = Fastify({ loggerInstance: ctx.log as FastifyBaseLogger });
    await a.register(vapiRoutes, { ctx: { ...ctx, config: { ...ctx.config, ...config } }, ...options });
    await a.ready();
    extraApps.push(a);
    return a;
  }

  function webhook(payload: unknown, headers?: Record<string, string>, target: FastifyInstance = started().app) {
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

  const findCall = (callId: string) =>
    started()
      .ctx.orm.em.fork()
      .findOne(Call, { callSid: callSidOf(callId) });

  async function startCall(callId = randomUUID()): Promise<string> {
    const res = await webhook(message('assistant-request.json', callId));
    expect(res.statusCode).toBe(200);
    return callId;
  }

  async function openChat(
    body: unknown,
    headers: Record<string, string> = BEARER,
    target: string = base,
  ): Promise<ChatStream> {
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
      async waitFor(pred, ms = WAIT_MS) {
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

  function chatRequest(callId: string, messages: { role: string; content: string }[], extra: Json = {}): Json {
    const body = fixture('chat-completions.request.json');
    body.call.id = callId;
    body.call.customer = { number: CALLER };
    body.customer = { number: CALLER };
    body.phoneNumber.number = line;
    body.messages = messages;
    return { ...body, ...extra };
  }

  return {
    get ctx() {
      return started().ctx;
    },
    get app() {
      return started().app;
    },
    get agent() {
      return started().agent;
    },
    get base() {
      return base;
    },
    get line() {
      return line;
    },
    get otherPropertyId() {
      return otherPropertyId;
    },
    appWith,
    webhook,
    message,
    findCall,
    startCall,
    openChat,
    chat,
    chatRequest,
  };
}
