import type { Actor, Snapshot } from 'xstate';
import { stateName, type OptOutSource } from '../../state-machines/conversation.ts';
import type { receptionistMachine } from '../../state-machines/receptionist.machine.ts';
import type { Orm } from '../db/orm.ts';
import type { IAgent } from '../domain/agents/agent.entity.ts';
import { Call, type ICall } from '../domain/calls/call.entity.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { detectOptOut } from '../voice/nlu/index.ts';
import type { Brain, BrainFactory } from './brain.port.ts';
import type { CallEventBus } from './call-events.ts';
import { CallRecord, type TurnTimings } from './call-record.ts';
import { CallToolRunner } from './call-tool-runner.ts';
import { CallTurns } from './call-turns.ts';
import type { Conversation } from './conversation.ts';
import { line, type Persona } from './persona.ts';
import { sessionActor } from './session-machine.ts';
import type { CallTransport } from './transport.port.ts';

export type { CallTransport, Handoff } from './transport.port.ts';

export interface CallSettings {
  silenceMs: number;
  maxDurationMs: number;
  maxMisunderstandings: number;
  /** Playback estimate per spoken word, for silence timing and the goodbye. */
  speechMsPerWord: number;
  /** A tool still running after this long gets a spoken filler ("One moment."). */
  fillerAfterMs: number;
}

export const DEFAULT_CALL_SETTINGS: CallSettings = {
  silenceMs: 8_000,
  maxDurationMs: 15 * 60_000,
  maxMisunderstandings: 2,
  speechMsPerWord: 330,
  fillerAfterMs: 700,
};

export interface SessionDeps {
  orm: Orm;
  metrics?: Metrics;
  tools: ToolRegistry;
  log: Logger;
  bus: CallEventBus;
  brainFactory: BrainFactory;
  settings: CallSettings;
}

/**
 * One phone call: its receptionist machine (persisted between turns), its conversation (call-turns.ts: the brain
 * answering each caller turn), and its records (call, turns, tool calls) written as they happen on the session's
 * own EntityManager fork. Transports feed it caller events and carry its replies; the machine's effects (lines,
 * transfer, goodbye, the call's end or handover) are carried out here.
 */
export class CallSession {
  readonly callSid: string;
  private readonly log: Logger;
  /** The call's turns and other writes, and its live events. */
  private readonly record: CallRecord;
  /** The brain's tool calls, and which ran. */
  private readonly tools: CallToolRunner;
  /** The conversation: history, the agent's lines, the brain's answers. */
  private readonly turns: CallTurns;
  /**
   * The conversation's machine (the receptionist's or a campaign call's). Typed as the receptionist's: the machines
   * share context, events and effects; the session reads state values only by name (stateName).
   */
  private readonly actor: Actor<typeof receptionistMachine>;
  private readonly persona: Persona;
  private readonly vars: Record<string, string>;
  private lastState = '';
  private ended = false;
  private handingOver = false;
  private carriedWordsSaid = false;
  private goodbyeMs = 0;
  private snapshotQueued = false;
  private transferSummary: string | null = null;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  /** The seq of this session's last turn: a session taking the call over numbers its turns on from it. */
  get lastSeq(): number {
    return this.record.lastSeq;
  }

  constructor(
    private readonly deps: SessionDeps,
    private readonly call: ICall,
    private readonly agent: IAgent,
    private readonly transport: CallTransport,
    private readonly conversation: Conversation,
    restored?: Snapshot<unknown>,
    /** A brain bound to this call's transport (speech-to-speech); else one from the factory. */
    brain?: Brain,
    /** The seq of the call's last stored turn (a session taking over goes on from it). */
    lastSeq = 0,
  ) {
    this.callSid = call.callSid;
    this.log = deps.log.child({ callSid: call.callSid, agentId: agent.id });
    this.record = new CallRecord(
      deps.orm.em.fork(),
      this.log,
      deps.bus,
      { id: call.id, callSid: call.callSid, agentId: agent.id },
      () => this.lastState,
      lastSeq,
    );
    this.persona = conversation.persona;
    this.vars = {
      agent: agent.name,
      brokerage: agent.brokerageName ?? agent.name,
      timezone: agent.timezone,
      caller: (call.direction === 'outbound' ? call.toNumber : call.fromNumber) || 'unknown',
      ...conversation.vars,
    };
    const focusedPropertyId = (): number | null => this.actor.getSnapshot().context.propertyId;
    this.tools = new CallToolRunner({
      tools: deps.tools,
      record: this.record,
      call,
      agent,
      persona: this.persona,
      vars: this.vars,
      focusedPropertyId,
      focus: (propertyId) => this.actor.send({ type: 'PROPERTY.FOCUSED', propertyId }),
    });
    this.turns = new CallTurns({
      deps,
      log: this.log,
      record: this.record,
      ...(brain ? { brain } : {}),
      transport,
      tools: this.tools,
      callId: call.id,
      agent,
      conversation,
      persona: this.persona,
      vars: this.vars,
      phase: () => this.phase,
      focusedPropertyId,
      ended: () => this.ended,
    });
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.actor = sessionActor(
      conversation,
      {
        settings: deps.settings,
        carrierHandlesSilence: !!transport.carrierHandlesSilence,
        canTransfer: !!agent.mobilePhone,
      },
      {
        answer: (turn, signal) => this.turns.answer(turn, signal),
        recordOptOut: (source) => this.recordOptOut(source),
        greet: () => this.greet(),
        sayLine: (key) => this.sayLine(key),
        startTransfer: () => this.startTransfer(),
        sayGoodbye: (key) => this.sayGoodbye(key),
        handOver: (callerSaid) => {
          this.sayLine('handover');
          this.handingOver = true;
          this.transport.end({ kind: 'receptionist', ...(callerSaid ? { callerSaid } : {}) });
        },
        hangUp: () => this.transport.end({ kind: 'hangup' }),
        finish: (reason) => void this.finish(reason),
        goodbyeMs: () => this.goodbyeMs,
      },
      restored,
    );
    this.actor.subscribe({
      next: (snapshot) => {
        const name = stateName(snapshot.value);
        if (name === this.lastState) return;
        this.lastState = name;
        this.record.publish({ type: 'state', value: name });
        // Words the caller said before this conversation took the call over: answered once it first listens.
        const carried = this.conversation.callerSaidFirst;
        if (carried && !this.carriedWordsSaid && name.endsWith('.listening')) {
          this.carriedWordsSaid = true;
          queueMicrotask(() => this.callerSaid(carried));
        }
        // Mid-reply states are not stored: the turn's end stores where it led (one write per turn).
        if (!name.endsWith('.responding')) this.persistSnapshot();
      },
      error: (err) => this.log.error({ err }, 'call machine failed'),
    });
  }

  private persistedSnapshot(): Record<string, unknown> {
    return this.actor.getPersistedSnapshot() as unknown as Record<string, unknown>;
  }

  /** Stores the machine snapshot and the focused property; a write already queued takes the latest. */
  private persistSnapshot(): void {
    if (this.snapshotQueued) return;
    this.snapshotQueued = true;
    this.record.write((em) => {
      this.snapshotQueued = false;
      const propertyId = this.actor.getSnapshot().context.propertyId;
      return em.nativeUpdate(
        Call,
        { id: this.call.id },
        { machineSnapshot: this.persistedSnapshot(), ...(propertyId ? { propertyId } : {}) },
      );
    });
  }

  start(): void {
    const { direction, fromNumber: from, toNumber: to } = this.call;
    this.record.publish({ type: 'started', direction, from, to, kind: this.conversation.kind });
    this.deps.metrics?.callsActive.inc({ transport: this.transport.kind });
    this.record.write((em) =>
      em.nativeUpdate(Call, { id: this.call.id }, { status: 'in-progress', transport: this.transport.kind }),
    );
    this.actor.start();
    const { propertyId } = this.conversation;
    if (propertyId && !this.actor.getSnapshot().context.propertyId)
      this.actor.send({ type: 'PROPERTY.FOCUSED', propertyId });
  }

  /** The conversation has ended or handed the call over (its records may still be being written). */
  get isOver(): boolean {
    return this.ended || this.handingOver;
  }

  /** The opening line of this conversation. */
  get greeting(): string {
    return this.conversation.greeting;
  }

  /** Current machine state name, e.g. "property.listening". */
  get state(): string {
    return this.lastState;
  }

  get phase(): string {
    return this.actor.getSnapshot().context.phase;
  }

  // ---- caller events (from the transport) ----

  /**
   * The caller's words; `timings` are the transport's figures for them (`endpointingMs`), kept for the agent
   * turn that answers.
   */
  callerSaid(text: string, timings: TurnTimings = {}): void {
    const trimmed = text.trim();
    if (!trimmed || this.ended) return;
    this.record.callerSpoke(timings);
    // A campaign call's opt-out is heard here, not left to the model: the machine ends the call at once.
    if (this.conversation.kind === 'campaign' && detectOptOut(trimmed)) {
      this.record.turn({ role: 'caller', text: trimmed, intent: 'opt_out' });
      this.actor.send({ type: 'CALLER.OPTED_OUT', source: 'opt_out_spoken' });
      return;
    }
    this.actor.send({ type: 'CALLER.SAID', text: trimmed });
  }

  /** The caller barged in; `heard` is what they heard of the agent's reply before that. */
  callerInterrupted(heard: string): void {
    if (this.ended) return;
    this.transport.clearAudio?.();
    this.turns.interrupted(heard.trim());
    this.actor.send({ type: 'CALLER.INTERRUPTED', heard });
  }

  dtmf(digit: string): void {
    if (this.ended) return;
    this.log.info({ digit }, 'dtmf');
    this.actor.send({ type: 'CALLER.DTMF', digit });
  }

  /** The caller or the carrier ended the call (socket closed, stop message, status callback). */
  hungUp(): void {
    if (!this.ended) this.actor.send({ type: 'CALLER.HUNG_UP' });
  }

  /**
   * A latency figure the transport measured after handing over the reply (`ttsFirstByteMs`): it goes on the agent
   * turn being answered, or on the last one if that is already recorded.
   */
  noteTiming(name: string, ms: number): void {
    this.record.timing(name, ms, this.turns.answering);
  }

  /** Waits for every record of the call to be written. */
  flush(): Promise<void> {
    return this.record.flush();
  }

  // ---- machine effects ----

  private greet(): void {
    const { greeting, hooks } = this.conversation;
    if (!this.transport.carrierSpeaksGreeting) {
      this.transport.sendText(greeting, true);
      hooks?.greeted?.(new Date());
    }
    this.turns.said(greeting);
  }

  /** The number goes on the do-not-call list before the person hears that it has (the machine waits for this). */
  private async recordOptOut(source: OptOutSource): Promise<void> {
    try {
      await this.conversation.hooks?.optedOut(source);
    } catch (err) {
      this.log.error({ err, source }, 'opt-out could not be recorded');
      throw err;
    }
  }

  /** Says the persona's line `key`. */
  private sayLine(key: string): string {
    const text = line(this.persona, key, this.vars);
    this.turns.say(text);
    return text;
  }

  private startTransfer(): void {
    const to = this.agent.mobilePhone;
    if (!to) return;
    this.sayLine('transfer');
    const asked = this.turns.callerLines();
    const summary = `Call from ${this.call.fromNumber || 'an unknown number'}${asked.length ? `: ${asked.slice(-2).join(' … ')}` : ''}`;
    this.transferSummary = summary;
    this.record.write((em) => em.nativeUpdate(Call, { id: this.call.id }, { outcome: 'transferred' }));
    this.transport.end({ kind: 'transfer', to, summary: summary.slice(0, 300) });
  }

  /** Says the goodbye line `key`; the machine lets it play (`goodbyeMs`) before hanging up. */
  private sayGoodbye(key: string): void {
    this.goodbyeMs = this.turns.replyMs(this.sayLine(key));
  }

  private async finish(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (reason === 'handover') return this.handedOver();
    const outcome = this.tools.outcomeFor(reason);
    const endedAt = new Date();
    this.record.write((em) =>
      em.nativeUpdate(
        Call,
        { id: this.call.id },
        {
          endedReason: reason.slice(0, 40),
          outcome,
          endedAt,
          // A console test call has no carrier to report its end: the session's end is the call's end.
          ...(this.call.provider === 'console'
            ? {
                status: 'completed' as const,
                durationSec: Math.round((endedAt.getTime() - this.call.startedAt.getTime()) / 1000),
              }
            : {}),
          summary: this.summary(),
          machineSnapshot: this.persistedSnapshot(),
        },
      ),
    );
    await this.flush();
    await this.conversation.hooks
      ?.ended({ reason, outcome: this.tools.callOutcome, toolsUsed: [...this.tools.used] })
      .catch((err: unknown) => this.log.error({ err }, 'campaign call outcome not recorded'));
    this.deps.metrics?.callsActive.dec({ transport: this.transport.kind });
    this.deps.metrics?.callsEnded.inc({ transport: this.transport.kind, reason, outcome });
    this.record.publish({ type: 'ended', reason, outcome });
    this.log.info({ reason, outcome }, 'call ended');
    this.resolveDone();
  }

  /** This conversation ended but the call goes on with another (the receptionist): the call is not over. */
  private async handedOver(): Promise<void> {
    this.record.write((em) =>
      em.nativeUpdate(Call, { id: this.call.id }, { machineSnapshot: this.persistedSnapshot() }),
    );
    await this.flush();
    this.deps.metrics?.callsActive.dec({ transport: this.transport.kind });
    this.record.publish({ type: 'state', value: 'handover' });
    this.log.info('call handed over to the receptionist');
    this.resolveDone();
  }

  private summary(): string {
    const callerSaid = this.turns.callerLines().length;
    const tools = [...this.tools.used].join(', ');
    const transfer = this.transferSummary ? ` Transfer requested. ${this.transferSummary}` : '';
    return `${callerSaid} caller turn(s)${tools ? `; tools: ${tools}` : ''}.${transfer}`;
  }
}
