import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { twilioDialEvent } from '../integrations/twilio/outbound-dialer.ts';
import { issueCallToken } from '../domain/calls/call-token.ts';
import {
  connectTwiml,
  dialTwiml,
  hangUpTwiml,
  sayAndHangUpTwiml,
  sayTwiml,
  verifyTwilioSignature,
} from '../integrations/twilio/twilio.ts';
import type { Handoff } from '../call-runtime/call-session.ts';
import type { Persona } from '../call-runtime/persona.ts';
import type { IAgent } from '../domain/agents/agent.entity.ts';
import { Call } from '../domain/calls/call.entity.ts';
import { lastTurnSeq } from '../domain/calls/calls.service.ts';
import type { AppContext } from '../services.ts';

type Form = Record<string, string>;

/**
 * Twilio's HTTP webhooks. Every request must carry a valid X-Twilio-Signature for the exact public
 * URL Twilio called (PUBLIC_URL + path + query); otherwise 403 and nothing happens.
 */
export async function twilioWebhooks(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  await app.register(formbody);
  const token = ctx.config.TWILIO_AUTH_TOKEN;

  const verified = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const url = `${ctx.config.publicUrl}${req.url}`;
    const signature = req.headers['x-twilio-signature'];
    const ok =
      !!token &&
      verifyTwilioSignature(
        token,
        typeof signature === 'string' ? signature : undefined,
        url,
        (req.body ?? {}) as Form,
      );
    if (!ok) {
      req.log.warn({ url: req.url, configured: !!token }, 'twilio webhook refused: bad signature');
      await reply.status(403).send({ error: 'forbidden', message: 'Invalid Twilio signature' });
    }
  };

  /** TwiML that connects the call to the runtime (ConversationRelay or Media Streams) with its opening line. */
  const connect = (callSid: string, agentId: number, greeting: string, persona: Persona): string => {
    const transport = ctx.config.VOICE_TRANSPORT;
    const pub = ctx.config.publicUrl;
    const wsBase = pub.replace(/^http/, 'ws');
    return connectTwiml({
      transport,
      url: `${wsBase}${transport === 'conversation-relay' ? '/twilio/relay' : '/twilio/media-stream'}`,
      welcomeGreeting: greeting,
      voice: persona.voice.voice,
      action: `${pub}${transport === 'conversation-relay' ? '/twilio/relay-action' : '/twilio/stream-ended'}`,
      parameters: { callToken: issueCallToken(token!, callSid), agentId: String(agentId) },
    });
  };

  app.post(
    '/twilio/voice',
    { preHandler: verified, schema: { tags: ['telephony'], summary: 'Twilio inbound voice webhook (signed)' } },
    async (req, reply) => {
      const form = (req.body ?? {}) as Form;
      const callSid = form.CallSid ?? '';
      const transport = ctx.config.VOICE_TRANSPORT;
      const started = await ctx.services.calls.startInbound(ctx.orm.em.fork(), {
        callSid,
        from: form.From ?? '',
        to: form.To ?? '',
        transport,
      });
      reply.header('content-type', 'text/xml');
      if (!started) {
        req.log.warn({ callSid, pii: { to: form.To, from: form.From } }, 'call to a number no agent registered');
        return sayAndHangUpTwiml('Sorry, this number is not in service. Goodbye.');
      }
      const { agent } = started;
      // The receptionist, or the agent's own voice commands (their mobile, with a PIN).
      const conversation = await ctx.calls.conversationFor(started.call, agent);
      ctx.calls.admit(started.call, agent, conversation);
      req.log.info({ callSid, agentId: agent.id, transport, kind: conversation.kind }, 'inbound call connected');
      return connect(callSid, agent.id, conversation.greeting, conversation.persona);
    },
  );

  app.post(
    '/twilio/status',
    { preHandler: verified, schema: { tags: ['telephony'], summary: 'Twilio call status callback (signed)' } },
    async (req, reply) => {
      const form = (req.body ?? {}) as Form;
      const duration = form.CallDuration !== undefined ? Number(form.CallDuration) : undefined;
      const call = await ctx.orm.em
        .fork()
        .transactional((em) =>
          ctx.services.calls.updateStatus(em, form.CallSid ?? '', form.CallStatus ?? '', duration),
        );
      if (call?.endedAt) {
        ctx.calls.forgetAdmitted(call.callSid);
        ctx.calls.get(call.callSid)?.hungUp();
      }
      return reply.status(call ? 204 : 202).send();
    },
  );

  app.post(
    '/twilio/dial-events',
    {
      preHandler: verified,
      schema: {
        tags: ['telephony'],
        summary: 'Outbound campaign calls: status and answering-machine callbacks (signed)',
      },
    },
    async (req, reply) => {
      const event = twilioDialEvent((req.body ?? {}) as Form);
      if (event && ctx.dialer) await ctx.dialer.onEvent(event);
      return reply.status(event ? 204 : 202).send();
    },
  );

  /**
   * A campaign call was answered: the playbook's conversation on the same runtime as inbound calls. The opening
   * (who calls, that it is an AI, why, the call-back number, "press 9 or say stop") is the welcome greeting,
   * spoken at once; "9" or "stop" at any time puts the number on the do-not-call list (the campaign-call machine).
   */
  app.post(
    '/twilio/outbound',
    { preHandler: verified, schema: { tags: ['telephony'], summary: 'An answered campaign call (signed)' } },
    async (req, reply) => {
      const form = (req.body ?? {}) as Form;
      const callSid = form.CallSid ?? '';
      const transport = ctx.config.VOICE_TRANSPORT;
      reply.header('content-type', 'text/xml');
      const answered =
        callSid && ctx.dialer
          ? await ctx.dialer.calls.answered({
              providerCallId: callSid,
              callSid,
              transport,
              carrierSpeaksGreeting: transport === 'conversation-relay',
            })
          : null;
      if (!answered) return hangUpTwiml();
      ctx.calls.admit(answered.call, answered.agent, answered.conversation);
      req.log.info({ callSid, agentId: answered.agent.id, transport }, 'campaign call connected');
      return connect(callSid, answered.agent.id, answered.conversation.greeting, answered.conversation.persona);
    },
  );

  /** TwiML after the runtime handed the call back: the receptionist takes over, ring the agent (transfer), or hang up. */
  const afterSession = async (req: FastifyRequest, handoff: Handoff | undefined): Promise<string> => {
    const form = (req.body ?? {}) as Form;
    if (handoff?.kind === 'receptionist') return receptionistTakesOver(req, form.CallSid ?? '', handoff.callerSaid);
    if (handoff?.kind !== 'transfer') return hangUpTwiml();
    const pub = ctx.config.publicUrl;
    req.log.info({ callSid: form.CallSid }, 'transferring the caller to the agent');
    return dialTwiml({
      to: handoff.to,
      callerId: form.To,
      action: `${pub}/twilio/dial-status`,
      whisperUrl: `${pub}/twilio/whisper?summary=${encodeURIComponent(handoff.summary.slice(0, 300))}`,
    });
  };

  /**
   * The same call goes on with the receptionist: a new session on the call's record, greeted as any caller is,
   * then answering what the caller had said (`callerSaid`) as their first words.
   */
  const receptionistTakesOver = async (req: FastifyRequest, callSid: string, callerSaid?: string): Promise<string> => {
    const em = ctx.orm.em.fork();
    const call = await em.findOne(Call, { callSid }, { populate: ['agent'] });
    if (!call || call.endedAt) return hangUpTwiml();
    const agent = call.agent as unknown as IAgent;
    const conversation = {
      ...ctx.calls.receptionistFor(call, agent),
      ...(callerSaid ? { callerSaidFirst: callerSaid } : {}),
    };
    ctx.calls.admit(call, agent, conversation, await lastTurnSeq(em, call.id));
    req.log.info({ callSid }, 'the receptionist takes the call over');
    return connect(callSid, agent.id, conversation.greeting, conversation.persona);
  };

  // ConversationRelay ended: its HandoffData says what comes next.
  app.post(
    '/twilio/relay-action',
    { preHandler: verified, schema: { tags: ['telephony'], summary: 'ConversationRelay end / handoff (signed)' } },
    async (req, reply) => {
      reply.header('content-type', 'text/xml');
      return afterSession(req, parseHandoff(((req.body ?? {}) as Form).HandoffData));
    },
  );

  // A Media Stream closed: the session left its handoff with the runtime.
  app.post(
    '/twilio/stream-ended',
    { preHandler: verified, schema: { tags: ['telephony'], summary: 'After a Media Stream (signed)' } },
    async (req, reply) => {
      reply.header('content-type', 'text/xml');
      return afterSession(req, ctx.calls.takeHandoff(((req.body ?? {}) as Form).CallSid ?? ''));
    },
  );

  // Said to the agent when they pick up, before the caller is connected.
  app.post(
    '/twilio/whisper',
    { preHandler: verified, schema: { tags: ['telephony'], summary: 'Whisper to the transfer target (signed)' } },
    async (req, reply) => {
      const { summary } = req.query as { summary?: string };
      reply.header('content-type', 'text/xml');
      return sayTwiml(`Transfer from your receptionist. ${summary || 'A caller'}. Connecting you now.`);
    },
  );

  // The transfer's outcome: nobody answered → the caller hears so, and the agent gets the message and a task.
  app.post(
    '/twilio/dial-status',
    { preHandler: verified, schema: { tags: ['telephony'], summary: 'Transfer outcome (signed)' } },
    async (req, reply) => {
      const form = (req.body ?? {}) as Form;
      reply.header('content-type', 'text/xml');
      if (form.DialCallStatus === 'completed' || form.DialCallStatus === 'answered') return hangUpTwiml();
      const missed = await ctx.calls.missedTransfer(form.CallSid ?? '', form.DialCallStatus ?? 'no-answer');
      req.log.info({ callSid: form.CallSid, status: form.DialCallStatus }, 'transfer not answered');
      return sayAndHangUpTwiml(missed);
    },
  );
}

/** The relay's handoffData as sent by our RelayTransport: {"reason":"transfer","to","summary"} or {"reason":"hangup"}. */
function parseHandoff(data: string | undefined): Handoff | undefined {
  try {
    const parsed = JSON.parse(data ?? '{}') as {
      reason?: unknown;
      to?: unknown;
      summary?: unknown;
      callerSaid?: unknown;
    };
    if (parsed.reason === 'transfer' && typeof parsed.to === 'string') {
      return { kind: 'transfer', to: parsed.to, summary: typeof parsed.summary === 'string' ? parsed.summary : '' };
    }
    if (parsed.reason === 'receptionist') {
      const said = typeof parsed.callerSaid === 'string' ? parsed.callerSaid.trim().slice(0, 500) : '';
      return said ? { kind: 'receptionist', callerSaid: said } : { kind: 'receptionist' };
    }
    return { kind: 'hangup' };
  } catch {
    return undefined;
  }
}
