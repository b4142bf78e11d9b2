import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { newLine, startCallServer, type CallServer, type FlowLine } from '../../call-flows/harness.ts';
import type { CallTransport, Handoff } from '../../src/call-runtime/call-session.ts';
import { SessionRefused } from '../../src/call-runtime/call-runtime.ts';
import { Agent } from '../../src/domain/agents/agent.entity.ts';
import { Call, CallTurn } from '../../src/domain/calls/call.entity.ts';
import { receptionistMachine } from '../../state-machines/receptionist.machine.ts';
import { until, WAIT } from '../helpers/wait.ts';

class RecordingTransport implements CallTransport {
  readonly kind = 'conversation-relay' as const;
  readonly carrierSpeaksGreeting = true;
  readonly texts: string[] = [];
  readonly ends: Handoff[] = [];
  sendText(text: string): void {
    this.texts.push(text);
  }
  end(how: Handoff): void {
    this.ends.push(how);
  }
}

let server: CallServer;
let line: FlowLine;
let n = 0;

beforeAll(async () => {
  server = await startCallServer();
  line = await newLine(server.ctx);
});
afterAll(async () => {
  await server?.close();
});

async function callRecord(from: string, extra: Partial<{ machineSnapshot: Record<string, unknown> }> = {}) {
  const em = server.ctx.orm.em.fork();
  const started = await server.ctx.services.calls.startInbound(em, {
    callSid: `CArt${Date.now()}${n++}`,
    from,
    to: line.line,
    transport: 'conversation-relay',
  });
  if (extra.machineSnapshot) {
    await em.nativeUpdate(Call, { id: started!.call.id }, { machineSnapshot: extra.machineSnapshot });
  }
  return started!.call;
}

describe('call runtime', () => {
  it('greets with the recording notice only where the caller’s state requires all-party consent', () => {
    const agent = { name: 'Dana Reyes', brokerageName: 'Hill Country Homes' };
    expect(server.ctx.calls.greeting(agent, '+15125550142')).toMatch(/^Thanks for calling Hill Country Homes\./); // TX
    expect(server.ctx.calls.greeting(agent, '+13125550188')).toMatch(/^This call is recorded\. Thanks/); // IL
    expect(server.ctx.calls.greeting(agent, '+14155550100')).toMatch(/^This call is recorded\./); // CA
    expect(server.ctx.calls.greeting(agent, 'anonymous')).toMatch(/^This call is recorded\./); // unknown: announce
  });

  it('refuses a session for an unknown call, an ended call, or a call that already has one', async () => {
    await expect(server.ctx.calls.open('CAnope', new RecordingTransport())).rejects.toBeInstanceOf(SessionRefused);
    const call = await callRecord('+15125550142');
    const session = await server.ctx.calls.open(call.callSid, new RecordingTransport());
    await expect(server.ctx.calls.open(call.callSid, new RecordingTransport())).rejects.toThrow(/already has a live/);
    session.hungUp();
    await session.done;
    await expect(server.ctx.calls.open(call.callSid, new RecordingTransport())).rejects.toThrow(/has ended/);
  });

  it('a realtor who gives no PIN: the receptionist session opens on the call at once, while the first still ends', async () => {
    await server.ctx.services.agents.setPin({ em: server.ctx.orm.em.fork(), agentId: line.agentId }, '4821');
    const call = await callRecord(line.mobile);
    const agent = await server.ctx.orm.em.fork().findOneOrFail(Agent, line.agentId);
    // The carrier reconnects the moment the first session hands over (before it has written its end).
    let reopened: Promise<unknown> | undefined;
    const first = new RecordingTransport();
    first.end = (how) => {
      first.ends.push(how);
      server.ctx.calls.admit(call, agent, server.ctx.calls.receptionistFor(call, agent));
      reopened = server.ctx.calls.open(call.callSid, new RecordingTransport());
    };
    const commands = await server.ctx.calls.open(call.callSid, first);
    expect(commands.greeting).toMatch(/Please say or key your PIN/);
    commands.callerSaid('I want to leave a message');
    // What they said instead of a PIN goes with the call, for the receptionist to answer.
    await vi.waitFor(
      () => expect(first.ends).toEqual([{ kind: 'receptionist', callerSaid: 'I want to leave a message' }]),
      WAIT,
    );
    const receptionist = (await reopened) as Awaited<ReturnType<typeof server.ctx.calls.open>>;
    expect(receptionist.greeting).toMatch(/virtual assistant; I'm an AI/);
    await commands.done;
    expect(server.ctx.calls.get(call.callSid)).toBe(receptionist);
    receptionist.hungUp();
    await receptionist.done;
  });

  it('a call its webhook just admitted opens without reading its record again; a forgotten one reads it', async () => {
    const em = server.ctx.orm.em.fork();
    const started = (await server.ctx.services.calls.startInbound(em, {
      callSid: `CAadm${Date.now()}${n++}`,
      from: '+15125550142',
      to: line.line,
      transport: 'conversation-relay',
    }))!;
    const reads: string[] = [];
    const connection = server.ctx.orm.em.getConnection() as unknown as { execute: (...a: unknown[]) => unknown };
    const proto = Object.getPrototypeOf(connection) as typeof connection;
    const original = proto.execute;
    proto.execute = function (this: unknown, ...args: unknown[]) {
      if (/^select/i.test(String(args[0]))) reads.push(String(args[0]));
      return original.apply(this, args);
    };
    try {
      server.ctx.calls.admit(started.call, started.agent);
      const session = await server.ctx.calls.open(started.call.callSid, new RecordingTransport());
      expect(reads.filter((q) => /"calls"|"agents"/.test(q))).toEqual([]);
      session.hungUp();
      await session.done;

      const other = await callRecord('+15125550142');
      server.ctx.calls.admit(other, started.agent);
      server.ctx.calls.forgetAdmitted(other.callSid);
      const second = await server.ctx.calls.open(other.callSid, new RecordingTransport());
      expect(reads.some((q) => /from "calls"/.test(q))).toBe(true);
      second.hungUp();
      await second.done;
    } finally {
      proto.execute = original;
    }
  });

  it('a restarted instance resumes a call from its persisted snapshot (no second greeting)', async () => {
    // The snapshot a previous instance stored: the caller was asking about a property.
    const before = createActor(receptionistMachine, {
      input: { silenceMs: 60_000, maxDurationMs: 600_000, maxMisunderstandings: 2, goodbyeMs: 0, canTransfer: true },
    });
    before.start();
    before.send({ type: 'PROPERTY.FOCUSED', propertyId: 1 });
    const snapshot = JSON.parse(JSON.stringify(before.getPersistedSnapshot())) as Record<string, unknown>;
    before.stop();
    const call = await callRecord('+15125550142', { machineSnapshot: snapshot });

    const transport = new RecordingTransport();
    const session = await server.ctx.calls.open(call.callSid, transport);
    expect(session.state).toBe('property.listening');
    expect(session.phase).toBe('property');
    session.callerSaid('How many bedrooms does 141 Elm Street have?');
    await until(() => transport.texts.length > 0, 'the answer');
    expect(transport.texts.join('')).toMatch(/3 bedrooms/);
    session.hungUp();
    await session.done;
    const turns = await server.ctx.orm.em.fork().find(CallTurn, { call: call.id }, { orderBy: { seq: 'asc' } });
    expect(turns[0]).toMatchObject({ role: 'caller' }); // no greeting turn on resume
    const row = await server.ctx.orm.em.fork().findOneOrFail(Call, call.id);
    expect(row).toMatchObject({ endedReason: 'caller_hung_up', outcome: 'information_provided' });
    expect((row.machineSnapshot as { status: string }).status).toBe('done');
    const metrics = await server.ctx.metrics.registry.metrics();
    expect(metrics).toMatch(
      /calls_ended_total\{transport="conversation-relay",reason="caller_hung_up",outcome="information_provided"\} [1-9]/,
    );
    expect(metrics).toMatch(/call_turn_first_text_seconds_count\{brain="local"\} [1-9]/);
  });
});
