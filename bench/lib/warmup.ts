/**
 * Warms the call server up before it is measured: a few call sessions, opened on the runtime directly
 * (no socket, no audio), go through the whole caller script, so the first measured turns do not pay for
 * lazy compilation, the ORM's first queries of each kind or the JIT (a cold listing question costs ~100 ms).
 */
import type { CallSession, CallTransport } from '../../src/call-runtime/call-session.ts';
import type { AppContext } from '../../src/services.ts';
import { CALLER_SCRIPT, INBOUND_FORM } from './shared.ts';

async function oneCall(ctx: AppContext, lineNumber: string, callSid: string, offset: number): Promise<void> {
  let replied: (() => void) | null = null;
  const transport: CallTransport = {
    kind: 'media-stream',
    carrierSpeaksGreeting: false,
    sendText: (_text, last) => {
      if (last) replied?.();
    },
    clearAudio: () => undefined,
    end: () => undefined,
  };
  await ctx.orm.em.fork().transactional((em) =>
    ctx.services.calls.startInbound(em, {
      callSid,
      from: INBOUND_FORM.From!,
      to: lineNumber,
      transport: 'media-stream',
    }),
  );
  const session: CallSession = await ctx.calls.open(callSid, transport);
  for (let i = 0; i < CALLER_SCRIPT.length; i++) {
    const reply = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      replied = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    session.callerSaid(CALLER_SCRIPT[(offset + i) % CALLER_SCRIPT.length]!);
    await reply;
  }
  session.hungUp();
  await session.done;
}

/** `calls` sessions in parallel, each through the whole script from a different line. */
export async function warmUp(ctx: AppContext, lineNumber: string, calls = 4): Promise<void> {
  const tag = Math.random().toString(16).slice(2, 10);
  await Promise.all(Array.from({ length: calls }, (_, i) => oneCall(ctx, lineNumber, `CAwarmup${tag}${i}`, i * 2)));
}
