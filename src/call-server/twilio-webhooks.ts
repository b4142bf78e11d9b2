import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { issueCallToken } from '../domain/calls/call-token.ts';
import { connectTwiml, sayAndHangUpTwiml, verifyTwilioSignature } from '../integrations/twilio/twilio.ts';
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

  app.post(
    '/twilio/voice',
    { preHandler: verified, schema: { tags: ['telephony'], summary: 'Twilio inbound voice webhook (signed)' } },
    async (req, reply) => {
      const form = (req.body ?? {}) as Form;
      const callSid = form.CallSid ?? '';
      const transport = ctx.config.VOICE_TRANSPORT;
      const started = await ctx.orm.em
        .fork()
        .transactional((em) =>
          ctx.services.calls.startInbound(em, { callSid, from: form.From ?? '', to: form.To ?? '', transport }),
        );
      reply.header('content-type', 'text/xml');
      if (!started) {
        req.log.warn({ callSid, pii: { to: form.To, from: form.From } }, 'call to a number no agent registered');
        return sayAndHangUpTwiml('Sorry, this number is not in service. Goodbye.');
      }
      const { agent } = started;
      const wsBase = ctx.config.publicUrl.replace(/^http/, 'ws');
      req.log.info({ callSid, agentId: agent.id, transport }, 'inbound call connected');
      return connectTwiml({
        transport,
        url: `${wsBase}${transport === 'conversation-relay' ? '/twilio/relay' : '/twilio/media-stream'}`,
        welcomeGreeting: `Thanks for calling ${agent.brokerageName ?? agent.name}. I'm a virtual assistant for ${agent.name}. How can I help you today?`,
        parameters: { callToken: issueCallToken(token!, callSid), agentId: String(agent.id) },
      });
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
      return reply.status(call ? 204 : 202).send();
    },
  );
}
