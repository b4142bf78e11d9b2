import type { FastifyBaseLogger } from 'fastify';
import type { CallRuntime } from '../call-runtime/call-runtime.ts';
import { line } from '../call-runtime/persona.ts';
import type { AppContext } from '../services.ts';
import { VapiTransport } from './vapi-transport.ts';

/**
 * The live Vapi calls of a runtime: each call's transport, its session opened on the first custom-LLM request
 * (concurrent first requests share one), and ending a live session when Vapi reports the call over.
 */

/** How long a status/end-of-call webhook waits for a live session to write its own end. */
const SESSION_END_WAIT_MS = 2_000;

export interface LiveVapiCalls {
  transports: Map<string, VapiTransport>;
  opening: Map<string, Promise<VapiTransport>>;
}

/** Per runtime (not per registration): every app over one context sees the same live Vapi calls. */
const liveByRuntime = new WeakMap<CallRuntime, LiveVapiCalls>();

export function liveCallsOf(runtime: CallRuntime): LiveVapiCalls {
  let live = liveByRuntime.get(runtime);
  if (!live) {
    live = { transports: new Map(), opening: new Map() };
    liveByRuntime.set(runtime, live);
  }
  return live;
}

/** The call's transport, opening its session on the first request (concurrent first requests share one). */
export async function sessionFor(
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
export async function endLiveSession(ctx: AppContext, callSid: string): Promise<void> {
  const session = ctx.calls.get(callSid);
  if (!session) return;
  session.hungUp();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([session.done, new Promise((resolve) => (timer = setTimeout(resolve, SESSION_END_WAIT_MS)))]);
  clearTimeout(timer);
}
