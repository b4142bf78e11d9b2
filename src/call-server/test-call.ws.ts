import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { CallSession, CallTransport, Handoff } from '../call-runtime/call-session.ts';
import { requireAgent } from '../http/auth.ts';
import { Agent } from '../domain/agents/agent.entity.ts';
import type { AppContext } from '../services.ts';

/** The test panel → us. */
const Inbound = z.discriminatedUnion('type', [
  z.object({ type: z.literal('say'), text: z.string().trim().min(1).max(2_000) }),
  z.object({ type: z.literal('dtmf'), digit: z.string().regex(/^[0-9*#]$/) }),
  z.object({ type: z.literal('hangup') }),
]);

/** Text out to the panel: the agent's reply as it is produced, and how the call ended. */
class PanelTransport implements CallTransport {
  readonly kind = 'conversation-relay' as const;
  readonly carrierSpeaksGreeting = false;
  /** Someone typing takes longer than someone talking: no "are you still there?". */
  readonly carrierHandlesSilence = true;
  constructor(private readonly socket: WebSocket) {}

  sendText(text: string, last: boolean): void {
    this.send({ type: 'text', text, last });
  }

  end(how: Handoff): void {
    this.send({ type: 'end', reason: how.kind });
    this.socket.close(1000, 'call ended');
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

/**
 * WS /api/test-call[?as=voice-commands] — the console's "test call": a conversation with the agent's receptionist
 * (or, with `as=voice-commands`, the signed-in realtor's voice commands, changes confirmed as on the phone) through
 * the same call runtime as a phone call (machine, brain, tools, records, live events), as text. Authenticated like the API (the
 * console's session cookie, or an API key); the call is recorded with provider "console".
 *   → {"type":"say","text":"…"} | {"type":"dtmf","digit":"1"} | {"type":"hangup"}
 *   ← {"type":"call","call_sid":"…"} | {"type":"text","text":"…","last":bool} | {"type":"end","reason":"…"} | {"type":"error","message":"…"}
 */
export async function testCallRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.get(
    '/api/test-call',
    { websocket: true, preHandler: requireAgent(ctx), schema: { hide: true } },
    async (socket, req) => {
      const agentId = req.agentId!;
      const callSid = `console:${randomUUID()}`;
      let session: CallSession | null = null;
      const pending: string[] = [];
      const handle = (raw: string): void => {
        let msg: z.infer<typeof Inbound>;
        try {
          msg = Inbound.parse(JSON.parse(raw));
        } catch {
          socket.send(JSON.stringify({ type: 'error', message: 'expected {"type":"say","text":"…"}, dtmf or hangup' }));
          return;
        }
        if (msg.type === 'say') session!.callerSaid(msg.text);
        else if (msg.type === 'dtmf') session!.dtmf(msg.digit);
        else session!.hungUp();
      };
      // Messages that arrive while the session opens are handled once it is open.
      socket.on('message', (data) => (session ? handle(String(data)) : pending.push(String(data))));
      socket.on('close', () => session?.hungUp());
      const em = ctx.orm.em.fork();
      const agent = await em.findOneOrFail(Agent, agentId);
      const call = await ctx.services.calls.startConsole(em, agent, callSid);
      // ?as=voice-commands: the signed-in realtor's own voice commands (no PIN: the session authenticated them).
      const asAgent = (req.query as { as?: string }).as === 'voice-commands';
      const conversation = asAgent
        ? ctx.calls.voiceCommands.forSignedInAgent(agent)
        : ctx.calls.receptionistFor(call, agent);
      ctx.calls.admit(call, agent, conversation);
      socket.send(JSON.stringify({ type: 'call', call_sid: callSid }));
      session = await ctx.calls.open(callSid, new PanelTransport(socket));
      for (const raw of pending.splice(0)) handle(raw);
      if (socket.readyState !== socket.OPEN) session.hungUp();
    },
  );
}
