import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { SessionRefused } from '../call-runtime/call-runtime.ts';
import type { CallSession, CallTransport, Handoff } from '../call-runtime/call-session.ts';
import { verifyCallToken } from '../domain/calls/call-token.ts';
import { verifyTwilioSignature } from '../integrations/twilio/twilio.ts';
import type { AppContext } from '../services.ts';

/** Twilio → us over ConversationRelay (telephony.md A1.6); unknown types are logged and ignored. */
const Inbound = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('setup'),
    callSid: z.string().min(1).max(64),
    from: z.string().optional(),
    to: z.string().optional(),
    customParameters: z.record(z.string(), z.string()).optional(),
  }),
  z.object({ type: z.literal('prompt'), voicePrompt: z.string().max(10_000), last: z.boolean().optional() }),
  z.object({
    type: z.literal('interrupt'),
    utteranceUntilInterrupt: z.string().max(10_000).default(''),
    durationUntilInterruptMs: z.number().optional(),
  }),
  z.object({ type: z.literal('dtmf'), digit: z.string().min(1).max(1) }),
  z.object({ type: z.literal('error'), description: z.string().optional() }),
  z.object({ type: z.literal('info') }).loose(),
]);

/** Our side of a ConversationRelay session: text tokens out, Twilio speaks them. */
class RelayTransport implements CallTransport {
  readonly kind = 'conversation-relay' as const;
  readonly carrierSpeaksGreeting = true;
  constructor(private readonly socket: WebSocket) {}

  sendText(text: string, last: boolean): void {
    // Sentences arrive trimmed: Twilio concatenates tokens as given, so keep a space between them.
    this.send({ type: 'text', token: last ? text : `${text} `, last });
  }

  sendDigits(digits: string): void {
    this.send({ type: 'sendDigits', digits });
  }

  end(how: Handoff): void {
    const handoff =
      how.kind === 'transfer'
        ? { reason: 'transfer', to: how.to, summary: how.summary }
        : how.kind === 'receptionist'
          ? { reason: 'receptionist', ...(how.callerSaid ? { callerSaid: how.callerSaid } : {}) }
          : { reason: 'hangup' };
    this.send({ type: 'end', handoffData: JSON.stringify(handoff) });
    this.socket.close(1000, 'session ended');
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

/**
 * WS /twilio/relay — Twilio ConversationRelay. The upgrade carries X-Twilio-Signature (checked when
 * present); the `setup` message must carry the per-call token from our TwiML, else the socket is closed
 * with 1008. Then prompts, interrupts and digits feed the call's session.
 */
export async function relayRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const token = ctx.config.TWILIO_AUTH_TOKEN;

  app.get('/twilio/relay', { websocket: true, schema: { hide: true } }, (socket, req) => {
    const log = req.log.child({ ws: 'relay' });
    const signature = req.headers['x-twilio-signature'];
    if (
      typeof signature === 'string' &&
      (!token ||
        !verifyTwilioSignature(token, signature, `${ctx.config.publicUrl.replace(/^http/, 'ws')}/twilio/relay`, {}))
    ) {
      log.warn('relay refused: bad handshake signature');
      socket.close(1008, 'invalid signature');
      return;
    }
    let session: CallSession | null = null;
    let closed = false;
    let queue: Promise<void> = Promise.resolve();

    const handle = async (raw: string): Promise<void> => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        log.warn('relay: message is not JSON');
        return;
      }
      const parsed = Inbound.safeParse(json);
      if (!parsed.success) {
        log.warn({ type: (json as { type?: unknown })?.type }, 'relay: unexpected message');
        return;
      }
      const msg = parsed.data;
      if (msg.type === 'setup') {
        if (session) return;
        if (!token || !verifyCallToken(token, msg.callSid, msg.customParameters?.callToken)) {
          log.warn({ callSid: msg.callSid }, 'relay refused: bad call token');
          socket.close(1008, 'invalid call token');
          return;
        }
        try {
          session = await ctx.calls.open(msg.callSid, new RelayTransport(socket));
          if (closed) session.hungUp();
        } catch (err) {
          if (!(err instanceof SessionRefused)) throw err;
          log.warn({ callSid: msg.callSid, reason: err.message }, 'relay refused');
          socket.close(1008, err.message.slice(0, 100));
        }
        return;
      }
      if (!session) {
        log.warn({ type: msg.type }, 'relay: message before setup');
        return;
      }
      switch (msg.type) {
        case 'prompt':
          // Partial prompts (last: false) only arrive when partialPrompts is on; act on the final one.
          if (msg.last !== false) session.callerSaid(msg.voicePrompt);
          break;
        case 'interrupt':
          session.callerInterrupted(msg.utteranceUntilInterrupt);
          break;
        case 'dtmf':
          session.dtmf(msg.digit);
          break;
        case 'error':
          log.warn({ description: msg.description }, 'relay: Twilio reported an error');
          break;
        default:
          log.debug({ msg }, 'relay info');
      }
    };

    socket.on('message', (data) => {
      queue = queue
        .then(() => handle(data.toString()))
        .catch((err: unknown) => log.error({ err }, 'relay message failed'));
    });
    socket.on('close', () => {
      closed = true;
      session?.hungUp();
    });
  });
}
