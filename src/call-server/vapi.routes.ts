import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { SessionRefused, type CallRuntime } from '../call-runtime/call-runtime.ts';
import type { CallSession, CallTransport, Handoff } from '../call-runtime/call-session.ts';
import { line } from '../call-runtime/persona.ts';
import { Call, type CallStatus } from '../domain/calls/call.entity.ts';
import { savedAssistant, transientAssistant } from '../integrations/vapi/assistant.ts';
import { authenticateVapiRequest } from '../integrations/vapi/auth.ts';
import {
  AssistantRequestSchema,
  callerTurnOf,
  callNumbers,
  ChatCompletionRequestSchema,
  completion,
  completionChunk,
  durationSecOf,
  endedAtOf,
  EndOfCallReportSchema,
  hasAssistantMessage,
  mapVapiStatus,
  normalizeToolCalls,
  recordingUrlOf,
  StatusUpdateSchema,
  ToolCallsSchema,
  VAPI_END_CALL_FUNCTION,
  VAPI_TRANSFER_CALL_FUNCTION,
  vapiCallSid,
  VapiCallSchema,
  VapiEnvelopeSchema,
  vapiNoteOf,
  type CompletionMeta,
  type CompletionToolCall,
} from '../integrations/vapi/messages.ts';
import { findNul } from '../nul-check.ts';
import { vapiDialEvent } from '../integrations/vapi/outbound-dialer.ts';
import type { AppContext } from '../services.ts';

export interface VapiRoutesOptions {
  ctx: AppContext;
  /** Longest wait for the session's reply to a caller turn before apologising (Vapi must never hang). */
  replyTimeoutMs?: number;
}

const DEFAULT_REPLY_TIMEOUT_MS = 10_000;
/** How long a status/end-of-call webhook waits for a live session to write its own end. */
const SESSION_END_WAIT_MS = 2_000;
const ENDED_LINE = 'This call has ended. Goodbye.';
/**
 * Machine states that said a goodbye and hang up next: the open reply waits for the hang-up (`closing`, and a
 * campaign call's `optedOut`).
 */
const GOODBYE_STATES = new Set(['closing', 'optedOut']);

/**
 * Vapi as a transport of the one call runtime (telephony.md A2):
 * - POST /vapi/webhook: server-URL messages. assistant-request creates the call record and answers with an
 *   assistant whose model is ours (custom LLM); tool-calls runs our tools for the call's agent; status-update and
 *   end-of-call-report keep the call record; everything else gets 200 {}.
 * - POST /vapi/chat/completions: the custom LLM. Each request is one caller turn of the call's session; the reply
 *   streams back as OpenAI chat.completion chunks, and the session's hang-up or transfer becomes Vapi's endCall or
 *   transferCall tool call.
 * Every request is authenticated first (src/integrations/vapi/auth.ts); refused requests change nothing.
 */
/** A campaign call's progress (its assistant carries our attempt key) goes to the dialer too. */
function dialerEvents(ctx: AppContext) {
  return async (message: unknown): Promise<void> => {
    const event = vapiDialEvent(message);
    if (event?.attemptKey && ctx.dialer) await ctx.dialer.onEvent(event);
  };
}

export async function vapiRoutes(app: FastifyInstance, opts: VapiRoutesOptions): Promise<void> {
  const { ctx } = opts;
  const replyTimeoutMs = opts.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
  const { VAPI_HMAC_SECRET: hmacSecret, VAPI_SERVER_SECRET: serverSecret } = ctx.config;
  const live = liveCallsOf(ctx.calls);
  const toDialer = dialerEvents(ctx);
  if (hmacSecret && !serverSecret) {
    ctx.log.warn(
      'VAPI_HMAC_SECRET without VAPI_SERVER_SECRET: Vapi authenticates custom-LLM requests with an API key, not an HMAC; /vapi/chat/completions will refuse them',
    );
  }

  // Raw bytes for the signature check (this plugin scope only).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 2 * 1_048_576 }, (_req, body, done) =>
    done(null, body),
  );

  const guard =
    (acceptSecretWithHmac: boolean) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const result = authenticateVapiRequest(rawBody(req), req.headers, {
        hmacSecret,
        serverSecret,
        acceptSecretWithHmac,
      });
      if (!result.ok) {
        req.log.warn({ url: req.url, reason: result.reason }, 'vapi request refused');
        await reply.status(result.status).send({ error: result.error, message: result.message });
      }
    };

  // ---- server URL ----

  app.post(
    '/vapi/webhook',
    {
      preHandler: guard(false),
      schema: { tags: ['telephony'], summary: 'Vapi server URL messages (HMAC or shared secret)' },
    },
    async (req, reply) => {
      const json = jsonBody(req, reply);
      if (json === undefined) return reply;
      const envelope = VapiEnvelopeSchema.safeParse(json);
      if (!envelope.success) return badRequest(reply, envelope.error.issues);
      const { message } = envelope.data;
      const log = req.log.child({ vapi: message.type });
      switch (message.type) {
        case 'assistant-request': {
          const m = valid(AssistantRequestSchema, message, reply);
          if (!m) return reply;
          const callSid = vapiCallSid(m.call.id);
          const { from, to } = callNumbers(m);
          const started = await ctx.services.calls.startInbound(ctx.orm.em.fork(), {
            callSid,
            from,
            to,
            transport: 'vapi',
          });
          if (!started) {
            log.warn({ callSid, pii: { to, from } }, 'vapi: call to a number no agent registered');
            return { error: 'Sorry, this number is not in service.' };
          }
          const { agent } = started;
          const greeting = ctx.calls.greeting(agent, from);
          log.info({ callSid, agentId: agent.id }, 'vapi: inbound call accepted');
          if (ctx.config.VAPI_ASSISTANT_ID) return savedAssistant(ctx.config.VAPI_ASSISTANT_ID, greeting, callSid);
          return {
            assistant: transientAssistant({
              agentName: agent.name,
              greeting,
              publicUrl: ctx.config.publicUrl,
              voiceId: ctx.calls.persona.voice.voice,
              transferTo: agent.mobilePhone ?? null,
              callSid,
              agentId: agent.id,
              credentialId: m.phoneNumber?.server?.credentialId ?? null,
              maxDurationSeconds: ctx.config.CALL_MAX_DURATION_S,
            }),
          };
        }
        case 'tool-calls': {
          const m = valid(ToolCallsSchema, message, reply);
          if (!m) return reply;
          return { results: await runToolCalls(ctx, m, log) };
        }
        case 'status-update': {
          const m = valid(StatusUpdateSchema, message, reply);
          if (!m) return reply;
          await toDialer(message);
          const callSid = vapiCallSid(m.call.id);
          const status = mapVapiStatus(m.status);
          if (!status) {
            log.debug({ callSid, status: m.status }, 'vapi: status not tracked');
            return {};
          }
          if (status === 'completed') await endLiveSession(ctx, callSid);
          const call = await ctx.orm.em.fork().transactional(async (em) => {
            const row = await em.findOne(Call, { callSid });
            // Webhooks can arrive out of order: a status never goes backwards.
            if (!row || STATUS_RANK[status] < STATUS_RANK[row.status as CallStatus]) return row;
            await ctx.services.calls.updateStatus(em, callSid, status);
            if (status === 'completed') row.endedReason = vapiEndedReason(row.endedReason, m.endedReason);
            await em.flush();
            return row;
          });
          if (!call) log.info({ callSid, status: m.status }, 'vapi: status for an unknown call');
          return {};
        }
        case 'end-of-call-report': {
          const m = valid(EndOfCallReportSchema, message, reply);
          if (!m) return reply;
          await toDialer(message);
          const callSid = vapiCallSid(m.call.id);
          await endLiveSession(ctx, callSid);
          const call = await ctx.orm.em.fork().transactional(async (em) => {
            const row = await em.findOne(Call, { callSid });
            if (!row) return null;
            const hadEnded = row.endedAt;
            await ctx.services.calls.updateStatus(em, callSid, 'completed', durationSecOf(m) ?? undefined);
            if (!hadEnded) row.endedAt = endedAtOf(m) ?? row.endedAt ?? new Date();
            row.recordingUrl = recordingUrlOf(m) ?? row.recordingUrl ?? null;
            row.endedReason = vapiEndedReason(row.endedReason, m.endedReason);
            // The session's own summary wins; a call it never summarised gets Vapi's note.
            row.summary ??= vapiNoteOf(m);
            await em.flush();
            return row;
          });
          if (!call) log.info({ callSid }, 'vapi: end-of-call report for an unknown call');
          else log.info({ callSid, endedReason: m.endedReason, durationSec: call.durationSec }, 'vapi: call ended');
          return {};
        }
        case 'user-interrupted': {
          const call = VapiCallSchema.safeParse((message as { call?: unknown }).call);
          if (call.success) live.transports.get(vapiCallSid(call.data.id))?.interruptedByCaller();
          return {};
        }
        default:
          // conversation-update, speech-update, hang, transcript, …: nothing to answer.
          return {};
      }
    },
  );

  // ---- custom LLM ----

  app.post(
    '/vapi/chat/completions',
    {
      preHandler: guard(true),
      schema: { tags: ['telephony'], summary: 'Vapi custom LLM: one caller turn, streamed reply (OpenAI format)' },
    },
    async (req, reply) => {
      const json = jsonBody(req, reply);
      if (json === undefined) return reply;
      if (!json || typeof json !== 'object' || !('call' in json)) {
        return reply.status(400).send({
          error: 'validation_error',
          message:
            'call: missing. Vapi sends the call object when the custom LLM model has metadataSendMode "variable" (the default)',
        });
      }
      const parsed = ChatCompletionRequestSchema.safeParse(json);
      if (!parsed.success) return badRequest(reply, parsed.error.issues, '');
      const body = parsed.data;
      const callSid = vapiCallSid(body.call.id);
      const log = req.log.child({ callSid });

      const em = ctx.orm.em.fork();
      if (!(await em.findOne(Call, { callSid })) && !(await campaignCallAnswered(ctx, body.call.id, callSid))) {
        // No assistant-request came through us (a saved assistant on the number): the record starts here.
        const { from, to } = callNumbers(body);
        // Two first requests at once: startInbound finds the row the other one wrote.
        const started = await ctx.services.calls.startInbound(em.fork(), { callSid, from, to, transport: 'vapi' });
        if (!started) {
          log.warn({ pii: { to, from } }, 'vapi: custom-LLM request for a number no agent registered');
          return reply
            .status(404)
            .send({ error: 'not_found', message: `No agent answers the line of call ${callSid}` });
        }
      }

      const meta: CompletionMeta = {
        id: `chatcmpl-${randomUUID()}`,
        created: Math.floor(Date.now() / 1000),
        model: body.model ?? 'receptionist',
      };
      const sse = body.stream !== false;
      const turn = callerTurnOf(body.messages);

      let transport: VapiTransport;
      try {
        const sessionLog = (ctx.log as FastifyBaseLogger).child({ callSid, transport: 'vapi' });
        transport = await sessionFor(ctx, live, callSid, sessionLog, replyTimeoutMs);
      } catch (err) {
        if (!(err instanceof SessionRefused)) throw err;
        // The call ended on our side (or never can start): say so and let Vapi hang up.
        log.info({ reason: err.message }, 'vapi: custom-LLM request for a call without a session');
        reply.hijack();
        const r = new ReplyStream(reply.raw, meta, sse, replyTimeoutMs, () => {});
        r.write(ENDED_LINE);
        r.finish('tool_calls', handoffToolCall({ kind: 'hangup' }));
        return;
      }

      reply.hijack();
      const r = transport.newReply(reply.raw, meta, sse);
      reply.raw.on('close', () => transport.requestClosed(r));
      const greeting = !turn && !hasAssistantMessage(body.messages) ? (transport.session?.greeting ?? null) : null;
      transport.turn(r, turn, greeting);
    },
  );
}

/** A campaign call the person answered: its record and its playbook conversation (false: no campaign dialled it). */
async function campaignCallAnswered(ctx: AppContext, providerCallId: string, callSid: string): Promise<boolean> {
  const answered = await ctx.dialer?.calls.answered({
    providerCallId,
    callSid,
    transport: 'vapi',
    carrierSpeaksGreeting: true,
  });
  if (answered) ctx.calls.admit(answered.call, answered.agent, answered.conversation);
  return !!answered;
}

// ---- the transport ----

/**
 * Our side of a Vapi call: every custom-LLM request carries one caller turn and holds the HTTP response the
 * session's reply streams into. Text the session says between requests ("are you still there?") has nowhere to go
 * and is dropped: Vapi only speaks replies to its own requests.
 */
class VapiTransport implements CallTransport {
  readonly kind = 'vapi' as const;
  readonly carrierSpeaksGreeting = true;
  readonly carrierHandlesSilence = true;
  session: CallSession | null = null;
  private reply: ReplyStream | null = null;
  /** The last reply that ended normally, by its caller turn: what a repeated request gets again. */
  private completed: { key: string; text: string } | null = null;

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly apology: string,
    private readonly replyTimeoutMs: number,
  ) {}

  // ---- CallTransport (from the session) ----

  sendText(text: string, last: boolean): void {
    const r = this.current();
    if (!r) {
      this.log.debug({ last }, 'vapi: reply text outside a request dropped');
      return;
    }
    r.write(text);
    // The reply ends here, unless the session goes on right away (a goodbye, a transfer, an offer to connect).
    if (last) r.scheduleFinish(() => this.sayingGoodbye());
  }

  end(how: Handoff): void {
    const r = this.current();
    if (r) r.finish('tool_calls', handoffToolCall(how));
    else this.log.info({ handoff: how.kind }, 'vapi: session ended between requests');
    // Vapi rings the agent itself: nothing is left for the session (a hang-up ends it on its own).
    if (how.kind === 'transfer') setImmediate(() => this.session?.hungUp());
  }

  // ---- from the routes ----

  newReply(res: ServerResponse, meta: CompletionMeta, sse: boolean): ReplyStream {
    return new ReplyStream(res, meta, sse, this.replyTimeoutMs, (r) => this.timedOut(r));
  }

  /** One custom-LLM request: what the caller said since the assistant last spoke (null: nothing new). */
  turn(r: ReplyStream, turn: { text: string; index: number } | null, greeting: string | null): void {
    r.onFinished = (text) => {
      if (r.key && !r.cutShort) this.completed = { key: r.key, text };
    };
    const previous = this.current();
    const hold = (): boolean => this.sayingGoodbye();
    this.reply = r;
    if (!turn) {
      // A first model-generated message, or a request after a tool result: nothing for the session to answer.
      previous?.finish('stop');
      if (greeting) r.write(greeting);
      // Saying goodbye: the hang-up comes to this request.
      if (!hold()) r.finish('stop');
      return;
    }
    // A caller turn is its position in Vapi's messages and its words: the same key again is a repeated request.
    r.key = `${turn.index}:${turn.text}`;
    if (previous?.key === r.key) {
      // Still answering it: the reply carries on in the new request.
      previous.cutShort = true;
      r.write(previous.text);
      const complete = previous.lastReceived;
      previous.finish('stop');
      if (complete) r.scheduleFinish(hold);
      return;
    }
    if (!previous && this.completed?.key === r.key) {
      // Answered already: the same answer again, without running the turn twice.
      r.write(this.completed.text);
      r.finish('stop');
      return;
    }
    if (previous) {
      // The caller spoke while the reply was still streaming: a barge-in (unless the reply was complete).
      const heard = previous.text;
      previous.cutShort = !previous.lastReceived;
      previous.finish('stop');
      if (previous.cutShort) this.session?.callerInterrupted(heard);
    }
    this.session?.callerSaid(turn.text);
  }

  /** Vapi closed the request before the reply ended: the caller barged in. */
  requestClosed(r: ReplyStream): void {
    if (r.finished) return;
    const midReply = !r.lastReceived;
    const heard = r.text;
    r.abandon();
    if (this.reply === r && midReply) {
      this.log.debug('vapi: request closed mid-reply (barge-in)');
      this.session?.callerInterrupted(heard);
    }
  }

  /** Vapi's user-interrupted message: same as a closed request when our reply is still streaming. */
  interruptedByCaller(): void {
    const r = this.current();
    if (!r || r.lastReceived) return;
    const heard = r.text;
    r.cutShort = true;
    r.finish('stop');
    this.session?.callerInterrupted(heard);
  }

  /** The session is over: a request still open gets its end. */
  sessionEnded(): void {
    this.current()?.finish('stop');
  }

  private timedOut(r: ReplyStream): void {
    if (r.finished) return;
    if (this.sayingGoodbye()) {
      // The goodbye was said; the hang-up did not come in time: end the call anyway.
      r.finish('tool_calls', handoffToolCall({ kind: 'hangup' }));
      return;
    }
    this.log.warn({ streamed: r.text.length }, 'vapi: no reply in time');
    if (!r.text) r.write(this.apology);
    r.finish('stop');
  }

  private current(): ReplyStream | null {
    return this.reply && !this.reply.finished ? this.reply : null;
  }

  /** The session said its goodbye and hangs up next: the open reply carries the hang-up. */
  private sayingGoodbye(): boolean {
    return GOODBYE_STATES.has(this.session?.state ?? '');
  }
}

/**
 * One custom-LLM response: `data: {chat.completion.chunk}` lines ending in `data: [DONE]` (SSE), or one
 * chat.completion JSON when the request said `stream: false`. Nothing is written after the end.
 */
class ReplyStream {
  finished = false;
  /** The session marked the reply complete (`last`); it ends on the next tick unless the session goes on. */
  lastReceived = false;
  /** The caller turn this request carries (`<message index>:<words>`). */
  key: string | null = null;
  /** Ended by a barge-in or handed to a newer request: not an answer to replay. */
  cutShort = false;
  onFinished: ((text: string) => void) | null = null;
  private streamed = '';
  private idle: NodeJS.Timeout | null = null;
  private pending: NodeJS.Immediate | null = null;

  constructor(
    private readonly res: ServerResponse,
    private readonly meta: CompletionMeta,
    private readonly sse: boolean,
    private readonly timeoutMs: number,
    private readonly onIdle: (r: ReplyStream) => void,
  ) {
    if (sse) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
    }
    this.arm();
  }

  /** The text sent so far, as the caller hears it. */
  get text(): string {
    return this.streamed;
  }

  write(text: string): void {
    if (this.finished) return;
    this.arm();
    if (!text.trim()) return;
    // The session sends trimmed sentences; Vapi concatenates the deltas as they come.
    const piece = this.streamed && !/^\s/.test(text) ? ` ${text}` : text;
    this.streamed += piece;
    if (this.sse) this.send(completionChunk(this.meta, { role: 'assistant', content: piece }));
  }

  scheduleFinish(hold: () => boolean): void {
    if (this.finished) return;
    this.lastReceived = true;
    if (this.pending) clearImmediate(this.pending);
    this.pending = setImmediate(() => {
      this.pending = null;
      if (!this.finished && !hold()) this.finish('stop');
    });
  }

  finish(reason: 'stop' | 'tool_calls', toolCall?: CompletionToolCall): void {
    if (this.finished) return;
    this.finished = true;
    this.clearTimers();
    this.onFinished?.(this.streamed);
    if (this.res.destroyed || this.res.writableEnded) return;
    if (this.sse) {
      if (toolCall)
        this.send(completionChunk(this.meta, { role: 'assistant', tool_calls: [{ index: 0, ...toolCall }] }));
      this.send(completionChunk(this.meta, {}, reason));
      this.res.end('data: [DONE]\n\n');
      return;
    }
    const body = JSON.stringify(completion(this.meta, this.streamed, toolCall ? [toolCall] : [], reason));
    this.res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    this.res.end(body);
  }

  /** The client went away: stop without writing. */
  abandon(): void {
    this.finished = true;
    this.clearTimers();
  }

  private send(chunk: Record<string, unknown>): void {
    if (!this.res.destroyed && !this.res.writableEnded) this.res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  private arm(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.onIdle(this), this.timeoutMs);
    this.idle.unref();
  }

  private clearTimers(): void {
    if (this.idle) clearTimeout(this.idle);
    if (this.pending) clearImmediate(this.pending);
    this.idle = null;
    this.pending = null;
  }
}

/** The session's end as Vapi's own tool call: `endCall`, or `transferCall` with `{destination}`. */
function handoffToolCall(how: Handoff): CompletionToolCall {
  const id = `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  return how.kind === 'transfer'
    ? {
        id,
        type: 'function',
        function: { name: VAPI_TRANSFER_CALL_FUNCTION, arguments: JSON.stringify({ destination: how.to }) },
      }
    : { id, type: 'function', function: { name: VAPI_END_CALL_FUNCTION, arguments: '{}' } };
}

// ---- live calls ----

interface LiveVapiCalls {
  transports: Map<string, VapiTransport>;
  opening: Map<string, Promise<VapiTransport>>;
}

/** Per runtime (not per registration): every app over one context sees the same live Vapi calls. */
const liveByRuntime = new WeakMap<CallRuntime, LiveVapiCalls>();

function liveCallsOf(runtime: CallRuntime): LiveVapiCalls {
  let live = liveByRuntime.get(runtime);
  if (!live) {
    live = { transports: new Map(), opening: new Map() };
    liveByRuntime.set(runtime, live);
  }
  return live;
}

/** The call's transport, opening its session on the first request (concurrent first requests share one). */
async function sessionFor(
  ctx: AppContext,
  live: LiveVapiCalls,
  callSid: string,
  log: FastifyBaseLogger,
  replyTimeoutMs: number,
): Promise<VapiTransport> {
  const known = live.transports.get(callSid);
  if (known && ctx.calls.get(callSid)) return known;
  let opening = live.opening.get(callSid);
  if (!opening) {
    opening = (async () => {
      const transport = new VapiTransport(log, line(ctx.calls.persona, 'apology', {}), replyTimeoutMs);
      const session = await ctx.calls.open(callSid, transport);
      transport.session = session;
      live.transports.set(callSid, transport);
      void session.done.then(() => {
        live.transports.delete(callSid);
        transport.sessionEnded();
      });
      return transport;
    })();
    live.opening.set(callSid, opening);
    void opening.then(
      () => live.opening.delete(callSid),
      () => live.opening.delete(callSid),
    );
  }
  return opening;
}

/** Ends a live session (the carrier says the call is over) and waits a little for it to write its end. */
async function endLiveSession(ctx: AppContext, callSid: string): Promise<void> {
  const session = ctx.calls.get(callSid);
  if (!session) return;
  session.hungUp();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([session.done, new Promise((resolve) => (timer = setTimeout(resolve, SESSION_END_WAIT_MS)))]);
  clearTimeout(timer);
}

// ---- tools ----

async function runToolCalls(
  ctx: AppContext,
  m: z.infer<typeof ToolCallsSchema>,
  log: FastifyBaseLogger,
): Promise<Record<string, unknown>[]> {
  const calls = normalizeToolCalls(m);
  const callSid = vapiCallSid(m.call.id);
  const call = await ctx.orm.em.fork().findOne(Call, { callSid });
  if (!call) {
    log.warn({ callSid, tools: calls.map((c) => c.name) }, 'vapi: tool calls for an unknown call');
    return calls.map((c) => ({ toolCallId: c.id, name: c.name, error: `Not found: there is no call ${callSid}` }));
  }
  // Callers reach only the receptionist's tools, never the agent's own (CRM, contracts, pipeline…).
  const allowed = new Set(Object.values(ctx.calls.persona.tools).flat());
  const results: Record<string, unknown>[] = [];
  for (const c of calls) {
    if (c.problem || !c.args) {
      results.push({ toolCallId: c.id, name: c.name, error: c.problem ?? 'Invalid tool call' });
      continue;
    }
    if (!allowed.has(c.name) || !ctx.tools.get(c.name)) {
      results.push({ toolCallId: c.id, name: c.name, error: `${c.name} is not available on calls` });
      continue;
    }
    const outcome = await ctx.tools.invoke(c.name, withCallerDefaults(ctx, c.name, c.args, call.fromNumber), {
      agentId: call.agent.id,
      sessionId: `call:${callSid}`,
      source: 'call',
    });
    log.info({ callSid, tool: c.name, ok: outcome.ok, durationMs: Math.round(outcome.durationMs) }, 'vapi: tool call');
    results.push(
      outcome.ok
        ? {
            toolCallId: c.id,
            name: c.name,
            result: JSON.stringify({ data: outcome.result.data, voice_summary: outcome.result.voice_summary }),
          }
        : { toolCallId: c.id, name: c.name, error: outcome.error.message },
    );
  }
  return results;
}

/** The caller ID fills a missing phone on tools that take one (as the session does for its own tool calls). */
function withCallerDefaults(
  ctx: AppContext,
  name: string,
  args: Record<string, unknown>,
  caller: string,
): Record<string, unknown> {
  const shape = ctx.tools.get(name)?.input.shape ?? {};
  if (!caller) return args;
  for (const key of ['caller_phone', 'visitor_phone']) {
    if (key in shape && args[key] === undefined) return { ...args, [key]: caller };
  }
  return args;
}

// ---- records ----

const STATUS_RANK: Record<CallStatus, number> = {
  queued: 0,
  ringing: 1,
  'in-progress': 2,
  completed: 3,
  busy: 3,
  failed: 3,
  'no-answer': 3,
  canceled: 3,
};

/**
 * Vapi's endedReason is kept when ours says nothing more: none yet, or only that the caller hung up (which our
 * session records when Vapi reports the end). Ours ("goodbye", "transferred", "silence") is more telling than
 * Vapi's "assistant-ended-call" for the same end.
 */
function vapiEndedReason(current: string | null | undefined, vapi: string | null | undefined): string | null {
  if (vapi && (!current || current === 'caller_hung_up')) return vapi.slice(0, 40);
  return current ?? null;
}

// ---- request helpers ----

function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** The body as JSON (NUL-free: PostgreSQL text cannot hold one); undefined when a 400 was sent. */
function jsonBody(req: FastifyRequest, reply: FastifyReply): unknown {
  let json: unknown;
  try {
    json = JSON.parse(rawBody(req).toString('utf8'));
  } catch {
    void reply.status(400).send({ error: 'bad_request', message: 'Body is not valid JSON' });
    return undefined;
  }
  const nul = findNul(json, 'body');
  if (nul) {
    void reply.status(400).send({ error: 'validation_error', message: `${nul}: must not contain NUL characters` });
    return undefined;
  }
  return json;
}

function valid<S extends z.ZodType>(schema: S, message: unknown, reply: FastifyReply): z.infer<S> | null {
  const parsed = schema.safeParse(message);
  if (parsed.success) return parsed.data;
  void badRequest(reply, parsed.error.issues, 'message.');
  return null;
}

function badRequest(reply: FastifyReply, issues: readonly z.core.$ZodIssue[], prefix = ''): FastifyReply {
  const message = issues
    .slice(0, 5)
    .map((i) => `${prefix}${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
  return reply.status(400).send({ error: 'validation_error', message });
}
