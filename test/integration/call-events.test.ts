import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/call-runtime/call-events.ts';
import type { CallTransport } from '../../src/call-runtime/call-session.ts';
import type { AppContext } from '../../src/services.ts';
import { subscribeCallEvents } from '../../src/softphone/event-stream.ts';
import { listeningApp, newAgent, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';
import { until } from '../helpers/wait.ts';

/** The carrier's side of a ConversationRelay call, reduced to nothing: the session's replies go nowhere. */
const silentTransport = (): CallTransport => ({
  kind: 'conversation-relay',
  carrierSpeaksGreeting: true,
  carrierHandlesSilence: true,
  sendText: () => {},
  end: () => {},
});

let ctx: AppContext;
let server: { base: string; close(): Promise<void> };
let me: TestAgent;
const line = uniquePhone();

beforeAll(async () => {
  ctx = await testContext();
  server = await listeningApp();
  me = await newAgent(ctx);
  await ctx.services.agents.update(ctx.orm.em.fork(), me.agentId, { lineNumbers: [line] });
});
afterAll(async () => {
  await server?.close();
});

describe('GET /api/calls/events', () => {
  it('sends `started` (direction, numbers, conversation kind) before the first turn of a call', async () => {
    const caller = uniquePhone();
    const callSid = `CAevents${Date.now()}`;
    const events: CallEvent[] = [];
    const problems: string[] = [];
    const sub = await subscribeCallEvents({
      server: server.base,
      apiKey: me.apiKey,
      callSid,
      onEvent: (e) => events.push(e),
      onProblem: (p) => problems.push(p),
    });
    expect(sub.ok).toBe(true);
    try {
      const em = ctx.orm.em.fork();
      await ctx.services.calls.startInbound(em, { callSid, from: caller, to: line, transport: 'conversation-relay' });
      const session = await ctx.calls.open(callSid, silentTransport());
      session.callerSaid('Hello, is anyone there?');
      await until(() => events.some((e) => e.type === 'turn' && e.role === 'caller'), 'the caller turn');
      session.hungUp();
      await session.done;
      await until(() => events.some((e) => e.type === 'ended'), 'the ended event');
    } finally {
      if (sub.ok) sub.close();
    }
    expect(problems).toEqual([]);
    expect(events[0]).toEqual({
      type: 'started',
      callSid,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      direction: 'inbound',
      from: caller,
      to: line,
      kind: 'receptionist',
    });
    expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
    const firstTurn = events.findIndex((e) => e.type === 'turn');
    expect(firstTurn).toBeGreaterThan(0);
    // Each turn and tool event carries its stored turn's seq (a later event of the same seq replaces the line).
    const live = new Map<number, string>();
    for (const e of events) {
      if (e.type === 'turn') live.set(e.seq, `${e.role}: ${e.text}`);
      if (e.type === 'tool') live.set(e.seq, `tool: ${e.summary}`);
    }
    const stored = (await ctx.services.callHistory.get({ em: ctx.orm.em.fork(), agentId: me.agentId }, callSid)).turns;
    expect(stored.length).toBeGreaterThanOrEqual(2);
    expect([...live].sort(([a], [b]) => a - b)).toEqual(stored.map((t) => [t.seq, `${t.role}: ${t.text}`]));
  });
});
