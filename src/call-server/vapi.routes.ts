import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { SessionRefused } from '../call-runtime/call-runtime.ts';
import { Call } from '../domain/calls/call.entity.ts';
import { savedAssistant, transientAssistant } from '../integrations/vapi/assistant.ts';
import { vapiDialEvent } from '../integrations/vapi/dial-events.ts';
import {
  AssistantRequestSchema,
  callerTurnOf,
  callNumbers,
  ChatCompletionRequestSchema,
  EndOfCallReportSchema,
  hasAssistantMessage,
  mapVapiStatus,
  StatusUpdateSchema,
  ToolCallsSchema,
  vapiCallSid,
  VapiCallSchema,
  VapiEnvelopeSchema,
  type CompletionMeta,
} from '../integrations/vapi/messages.ts';
import type { AppContext } from '../services.ts';
import { campaignCallAnswered, recordVapiEndOfCall, recordVapiStatus } from './vapi-call-records.ts';
import { endLiveSession, liveCallsOf, sessionFor } from './vapi-live-calls.ts';
import { ReplyStream } from './vapi-reply-stream.ts';
import { badRequest, jsonBody, valid, vapiAuthGuard } from './vapi-request.ts';
import { runToolCalls } from './vapi-tool-calls.ts';
import { handoffToolCall, type VapiTransport } from './vapi-transport.ts';

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

export interface VapiRoutesOptions {
  ctx: AppContext;
  /** Longest wait for the session's reply to a caller turn before apologising (Vapi must never hang). */
  replyTimeoutMs?: number;
}

const DEFAULT_REPLY_TIMEOUT_MS = 10_000;
const ENDED_LINE = 'This call has ended. Goodbye.';

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

  // ---- server URL ----

  app.post(
    '/vapi/webhook',
    {
      preHandler: vapiAuthGuard({ hmacSecret, serverSecret }, false),
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
          const call = await recordVapiStatus(ctx, callSid, status, m.endedReason);
          if (!call) log.info({ callSid, status: m.status }, 'vapi: status for an unknown call');
          return {};
        }
        case 'end-of-call-report': {
          const m = valid(EndOfCallReportSchema, message, reply);
          if (!m) return reply;
          await toDialer(message);
          const callSid = vapiCallSid(m.call.id);
          await endLiveSession(ctx, callSid);
          const call = await recordVapiEndOfCall(ctx, callSid, m);
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
      preHandler: vapiAuthGuard({ hmacSecret, serverSecret }, true),
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
