import { performance } from 'node:perf_hooks';
import { createActor, fromPromise, type Actor, type Snapshot } from 'xstate';
import {
  stateName,
  type ConversationInput,
  type OptOutSource,
  type PinVerdict,
  type TurnInput,
  type TurnOutput,
} from '../../state-machines/conversation.ts';
import type { receptionistMachine } from '../../state-machines/receptionist.machine.ts';
import type { Orm } from '../db/orm.ts';
import type { IAgent } from '../domain/agents/agent.entity.ts';
import { Call, type ICall } from '../domain/calls/call.entity.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { classifyUtterance, detectFairHousing, detectOptOut, extractYesNo } from '../voice/nlu/index.ts';
import type { Brain, BrainFactory, BrainToolCall, ConversationItem } from './brain.port.ts';
import type { CallEventBus } from './call-events.ts';
import { CallRecord, type TurnTimings } from './call-record.ts';
import type { CallOutcome, Conversation } from './conversation.ts';
import { fill, line, type Persona } from './persona.ts';
import { CallOutcomeArgs, toolSpecs } from './runtime-tools.ts';
import { SentenceChunker } from './sentences.ts';

/** How a session hands the call back to the carrier. */
export type Handoff =
  | { kind: 'hangup' }
  | { kind: 'transfer'; to: string; summary: string }
  /** The call goes on with the receptionist (a realtor on their own line who gave no PIN). */
  | { kind: 'receptionist' };

/** How a transport carries the agent's side of the call. One per call; the session never sees the wire. */
export interface CallTransport {
  readonly kind: ICall['transport'];
  /** The carrier already speaks the greeting (ConversationRelay welcomeGreeting, Vapi firstMessage). */
  readonly carrierSpeaksGreeting: boolean;
  /** The carrier times caller silence itself (Vapi), so the machine's "are you still there?" is off. */
  readonly carrierHandlesSilence?: boolean;
  /** Speak a piece of the agent's reply; `last` ends the reply. */
  sendText(text: string, last: boolean): void;
  /** Drop agent audio still queued (barge-in). ConversationRelay does this itself. */
  clearAudio?(): void;
  sendDigits?(digits: string): void;
  /** The session is over: hang up, or hand the call back to the carrier to ring a person. */
  end(how: Handoff): void;
}

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

const MAX_STEPS = 4;
const OUTCOME_BY_TOOL: [string, ICall['outcome']][] = [
  ['take_offer', 'offer_created'],
  ['schedule_viewing', 'viewing_scheduled'],
  ['take_message', 'message_taken'],
];

/** "Wednesday, November 25, 2026 at 10:00 AM" in a time zone; one formatter per zone. */
const clocks = new Map<string, Intl.DateTimeFormat>();
function clockFor(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'short' });
    clocks.set(timeZone, clock);
  }
  return clock;
}

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/**
 * One phone call: its receptionist machine (persisted between turns), its brain, its conversation
 * history, and its records (call, turns, tool calls) written as they happen on the session's own
 * EntityManager fork. Transports feed it caller events and carry its replies.
 */
export class CallSession {
  readonly callSid: string;
  private readonly log: Logger;
  /** The call's turns and other writes, and its live events. */
  private readonly record: CallRecord;
  private readonly brain: Brain;
  private readonly history: ConversationItem[] = [];
  /**
   * The conversation's machine (the receptionist's or a campaign call's). Typed as the receptionist's: the machines
   * share context, events and effects; the session reads state values only by name (stateName).
   */
  private readonly actor: Actor<typeof receptionistMachine>;
  private readonly persona: Persona;
  private readonly vars: Record<string, string>;
  private lastState = '';
  private toolsUsed = new Set<string>();
  private ended = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly deps: SessionDeps,
    private readonly call: ICall,
    private readonly agent: IAgent,
    private readonly transport: CallTransport,
    private readonly conversation: Conversation,
    restored?: Snapshot<unknown>,
    /** A brain bound to this call's transport (speech-to-speech); else one from the factory. */
    brain?: Brain,
  ) {
    this.callSid = call.callSid;
    this.log = deps.log.child({ callSid: call.callSid, agentId: agent.id });
    this.record = new CallRecord(
      deps.orm.em.fork(),
      this.log,
      deps.bus,
      { id: call.id, callSid: call.callSid, agentId: agent.id },
      () => this.lastState,
    );
    this.persona = conversation.persona;
    this.brain =
      brain ??
      deps.brainFactory({
        timeZone: agent.timezone,
        agentName: agent.name,
        ...(conversation.campaign ? { campaign: conversation.campaign } : {}),
        ...(conversation.kind === 'voice-command' ? { voiceCommands: true } : {}),
      });
    this.vars = {
      agent: agent.name,
      brokerage: agent.brokerageName ?? agent.name,
      timezone: agent.timezone,
      caller: (call.direction === 'outbound' ? call.toNumber : call.fromNumber) || 'unknown',
      ...conversation.vars,
    };
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    const { settings } = deps;
    const input: ConversationInput = {
      // Past the maximum duration: a carrier that handles silence ends the call before this fires.
      silenceMs: transport.carrierHandlesSilence ? settings.maxDurationMs + 1 : settings.silenceMs,
      maxDurationMs: settings.maxDurationMs,
      maxMisunderstandings: settings.maxMisunderstandings,
      goodbyeMs: 0,
      canTransfer: !!agent.mobilePhone,
      ...(conversation.authenticated ? { authenticated: true } : {}),
    };
    const machine = (conversation.machine as typeof receptionistMachine).provide({
      actors: {
        respond: fromPromise<TurnOutput, TurnInput>(({ input: turn, signal }) => this.runTurn(turn, signal)),
        recordOptOut: fromPromise<void, { source: OptOutSource }>(({ input }) => this.recordOptOut(input.source)),
        checkPin: fromPromise<PinVerdict, { pin: string }>(
          ({ input }) =>
            conversation.voiceCommands?.verifyPin(input.pin) ?? Promise.resolve({ ok: false, locked: true }),
        ),
      },
      actions: {
        greet: () => this.greet(),
        askStillThere: () => this.say(line(this.persona, 'stillThere', this.vars)),
        offerHuman: () => this.say(line(this.persona, 'offerHuman', this.vars)),
        explainNoTransfer: () => this.say(line(this.persona, 'noTransferNumber', this.vars)),
        apologise: () => this.say(line(this.persona, 'apology', this.vars)),
        startTransfer: () => this.startTransfer(),
        sayGoodbye: (_, { reason }) => this.sayGoodbye(reason),
        confirmOptOut: () => this.sayGoodbye('opted_out'),
        askPin: () => this.say(line(this.persona, 'pinRetry', this.vars)),
        welcome: () => this.say(line(this.persona, 'welcome', this.vars)),
        handOver: () => {
          this.say(line(this.persona, 'handover', this.vars));
          this.handingOver = true;
          this.transport.end({ kind: 'receptionist' });
        },
        hangUp: () => this.transport.end({ kind: 'hangup' }),
        finish: (_, { reason }) => void this.finish(reason),
      },
      delays: {
        goodbye: () => this.goodbyeMs,
      },
    });
    this.actor = createActor(machine, { input, ...(restored ? { snapshot: restored as never } : {}) });
    this.actor.subscribe({
      next: (snapshot) => {
        const name = stateName(snapshot.value);
        if (name === this.lastState) return;
        this.lastState = name;
        this.record.publish({ type: 'state', value: name });
        // Mid-reply states are not stored: the turn's end stores where it led (one write per turn).
        if (!name.endsWith('.responding')) this.persistSnapshot();
      },
      error: (err) => this.log.error({ err }, 'call machine failed'),
    });
  }

  private goodbyeMs = 0;
  private snapshotQueued = false;

  /** Stores the machine snapshot and the focused property; a write already queued takes the latest. */
  private persistSnapshot(): void {
    if (this.snapshotQueued) return;
    this.snapshotQueued = true;
    this.record.write((em) => {
      this.snapshotQueued = false;
      const snapshot = this.actor.getSnapshot();
      const propertyId = snapshot.context.propertyId;
      return em.nativeUpdate(
        Call,
        { id: this.call.id },
        {
          machineSnapshot: this.actor.getPersistedSnapshot() as unknown as Record<string, unknown>,
          ...(propertyId ? { propertyId } : {}),
        },
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

  private handingOver = false;

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
    const text = heard.trim();
    if (this.replying) {
      // Cut mid-turn: the reply is recorded as far as it was heard.
      this.replying = null;
      this.history.push({ role: 'assistant', text });
      this.record.agentTurn(text, { interrupted: true });
    } else {
      const last = this.history.findLast((i) => i.role === 'assistant');
      if (last && last.role === 'assistant') last.text = text;
      this.record.agentTurnCut(text);
    }
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
    this.record.timing(name, ms, this.replying !== null);
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
    this.history.push({ role: 'assistant', text: greeting });
    this.record.agentTurn(greeting);
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

  private say(text: string): void {
    if (this.ended) return;
    this.transport.sendText(text, true);
    this.history.push({ role: 'assistant', text });
    this.record.agentTurn(text);
  }

  private startTransfer(): void {
    const to = this.agent.mobilePhone;
    if (!to) return;
    this.say(line(this.persona, 'transfer', this.vars));
    const asked = this.history.filter((i) => i.role === 'user').map((i) => (i as { text: string }).text);
    const summary = `Call from ${this.call.fromNumber || 'an unknown number'}${asked.length ? `: ${asked.slice(-2).join(' … ')}` : ''}`;
    this.transferSummary = summary;
    this.record.write((em) => em.nativeUpdate(Call, { id: this.call.id }, { outcome: 'transferred' }));
    this.transport.end({ kind: 'transfer', to, summary: summary.slice(0, 300) });
  }

  private sayGoodbye(reason: string): void {
    const key =
      reason === 'silence'
        ? 'silenceGoodbye'
        : reason === 'max_duration'
          ? 'maxDurationGoodbye'
          : reason === 'opted_out'
            ? 'optOut'
            : reason === 'pin_failed' || reason === 'pin_locked'
              ? 'pinGoodbye'
              : 'goodbye';
    const text = line(this.persona, key, this.vars);
    this.say(text);
    this.goodbyeMs = words(text) * this.deps.settings.speechMsPerWord;
  }

  private async finish(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (reason === 'handover') return this.handedOver();
    const outcome =
      OUTCOME_BY_TOOL.find(([tool]) => this.toolsUsed.has(tool))?.[1] ??
      (reason === 'transferred'
        ? 'transferred'
        : this.toolsUsed.has('listing_info') || this.toolsUsed.has('compare_price')
          ? 'information_provided'
          : 'no_outcome');
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
          machineSnapshot: this.actor.getPersistedSnapshot() as unknown as Record<string, unknown>,
        },
      ),
    );
    await this.flush();
    await this.conversation.hooks
      ?.ended({ reason, outcome: this.callOutcome, toolsUsed: [...this.toolsUsed] })
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
      em.nativeUpdate(
        Call,
        { id: this.call.id },
        { machineSnapshot: this.actor.getPersistedSnapshot() as unknown as Record<string, unknown> },
      ),
    );
    await this.flush();
    this.deps.metrics?.callsActive.dec({ transport: this.transport.kind });
    this.record.publish({ type: 'state', value: 'handover' });
    this.log.info('call handed over to the receptionist');
    this.resolveDone();
  }

  private transferSummary: string | null = null;
  /** What set_call_outcome recorded (campaign calls). */
  private callOutcome: CallOutcome | null = null;

  private summary(): string {
    const callerSaid = this.history.filter((i) => i.role === 'user').length;
    const tools = [...this.toolsUsed].join(', ');
    const transfer = this.transferSummary ? ` Transfer requested. ${this.transferSummary}` : '';
    return `${callerSaid} caller turn(s)${tools ? `; tools: ${tools}` : ''}.${transfer}`;
  }

  // ---- one caller turn ----

  private async runTurn(turn: TurnInput, signal: AbortSignal): Promise<TurnOutput> {
    const started = performance.now();
    const nlu = classifyUtterance(turn.text, { now: new Date(), timeZone: this.agent.timezone });
    this.record.turn({ role: 'caller', text: turn.text, intent: nlu.intent });
    this.history.push({ role: 'user', text: turn.text });
    if (turn.phase === 'confirming') return this.confirmTurn(turn.text, nlu.intent);

    const fairHousing = detectFairHousing(turn.text);
    if (fairHousing.isFairHousing) {
      this.log.warn({ reasons: fairHousing.reasons }, 'fair-housing question declined');
      this.record.write((em) =>
        em.nativeUpdate(Call, { id: this.call.id }, { fairHousingDeflections: ++this.fairHousingCount }),
      );
      const text = line(this.persona, 'fairHousing', this.vars);
      this.say(text);
      return { understood: true, propertyId: null, directive: 'continue', replyMs: this.replyMs(text) };
    }

    const chunker = new SentenceChunker();
    let reply = '';
    let firstTextMs: number | null = null;
    let toolMs = 0;
    let directive: TurnOutput['directive'] = 'continue';
    let propertyId: number | null = null;
    let usedTool = false;
    this.replying = { sent: '' };
    const speak = (sentence: string, last: boolean): void => {
      if (signal.aborted) return;
      this.transport.sendText(sentence, last);
      if (this.replying) this.replying.sent += `${sentence} `;
    };

    for (let step = 0; step < MAX_STEPS && directive === 'continue' && !signal.aborted; step++) {
      const phase = this.phase;
      const allowed = new Set(this.persona.tools[phase] ?? []);
      const calls: BrainToolCall[] = [];
      let stepText = '';
      for await (const chunk of this.brain.step({
        instructions: this.instructions(phase),
        history: this.history,
        tools: toolSpecs(this.deps.tools, allowed),
        phase,
        signal,
      })) {
        if (signal.aborted) break;
        if (chunk.type === 'text') {
          if (firstTextMs === null) {
            firstTextMs = performance.now() - started;
            this.deps.metrics?.turnFirstText.observe({ brain: this.brain.name }, firstTextMs / 1000);
          }
          stepText += chunk.text;
          if (!chunk.voiced) for (const sentence of chunker.push(chunk.text)) speak(sentence, false);
        } else {
          calls.push(chunk.call);
        }
      }
      if (signal.aborted) break;
      reply += (reply && stepText ? ' ' : '') + stepText.trim();
      this.history.push(
        calls.length ? { role: 'assistant', text: stepText, toolCalls: calls } : { role: 'assistant', text: stepText },
      );
      if (!calls.length) break;
      const rest = chunker.flush();
      if (rest) speak(rest, false);

      const toolStarted = performance.now();
      const filler = setTimeout(() => {
        if (this.brain.speaks) return; // a speech-to-speech model says its own "let me check"
        const fillers = this.persona.lines.fillers;
        const text = Array.isArray(fillers) ? fillers[step % fillers.length] : fillers;
        if (text && !signal.aborted) speak(text, false);
      }, this.deps.settings.fillerAfterMs);
      try {
        for (const call of calls) {
          usedTool = true;
          if (this.needsConfirmation(call)) {
            // A change by voice is never made on the model's word alone: it waits for the caller's yes.
            this.pending = { call, allowed };
            this.history.push({
              role: 'tool',
              toolCallId: call.id,
              name: call.name,
              content: JSON.stringify({ ok: false, pending_confirmation: true }),
            });
            // The brain's read-back may already ask ("Delete property 12?"); else say what is about to happen.
            const said = stepText.trim();
            const ask = said.endsWith('?')
              ? ''
              : `${said ? '' : `I'm about to ${this.deps.tools.get(call.name)!.title.toLowerCase()}. `}Shall I go ahead?`;
            if (ask) {
              speak(ask, false);
              reply += ` ${ask}`;
            }
            directive = 'confirm';
            break;
          }
          const result = await this.runTool(call, allowed);
          this.history.push({
            role: 'tool',
            toolCallId: call.id,
            name: call.name,
            content: JSON.stringify(result.content),
          });
          if (result.directive) directive = result.directive;
          if (result.propertyId) propertyId = result.propertyId;
        }
      } finally {
        clearTimeout(filler);
        toolMs += performance.now() - toolStarted;
      }
    }
    if (signal.aborted) {
      // Replaced by a newer utterance (an interruption has already recorded what was heard).
      const sent = this.replying?.sent.trim();
      if (sent) this.record.turn({ role: 'agent', text: sent, interrupted: true });
      this.replying = null;
      return { understood: true, propertyId, directive: 'continue', replyMs: 0 };
    }
    this.replying = null;
    const rest = chunker.flush();
    speak(rest, true);
    const text = reply.trim();
    if (text)
      this.record.agentTurn(text, {
        timings: { firstTextMs: firstTextMs ?? -1, toolMs, totalMs: performance.now() - started },
      });
    return {
      understood: usedTool || nlu.intent !== 'unknown',
      propertyId,
      directive,
      replyMs: this.replyMs(text),
    };
  }

  /** Voice commands: a change the brain asked for, waiting for the caller's yes. */
  private pending: { call: BrainToolCall; allowed: Set<string> } | null = null;

  /** Voice commands: tools that change or send something run only after a yes (read-only ones at once). */
  private needsConfirmation(call: BrainToolCall): boolean {
    if (this.conversation.kind !== 'voice-command') return false;
    const tool = this.deps.tools.get(call.name);
    return !!tool && !tool.readOnly;
  }

  /** The caller's answer to "shall I go ahead?": yes runs the held tool, no drops it, anything else asks again. */
  private async confirmTurn(text: string, intent: string): Promise<TurnOutput> {
    const yes = intent === 'yes' ? true : intent === 'no' ? false : extractYesNo(text);
    const pending = this.pending;
    let reply: string;
    let propertyId: number | null = null;
    if (yes === null && pending) {
      reply = 'Sorry, should I go ahead? Please say yes or no.';
    } else if (yes && pending) {
      this.pending = null;
      const call = { ...pending.call, id: `${pending.call.id}-confirmed` };
      this.history.push({ role: 'assistant', text: '', toolCalls: [call] });
      const result = await this.runTool(call, pending.allowed);
      this.history.push({
        role: 'tool',
        toolCallId: call.id,
        name: call.name,
        content: JSON.stringify(result.content),
      });
      propertyId = result.propertyId ?? null;
      const said = result.content.ok ? String(result.content.voice_summary ?? 'Done.') : String(result.content.error);
      reply = `${said} Anything else?`;
    } else {
      this.pending = null;
      reply = "Okay, I won't do that. Anything else?";
    }
    this.say(reply);
    return {
      understood: yes !== null,
      propertyId,
      directive: yes === null && pending ? 'confirm' : 'continue',
      replyMs: this.replyMs(reply),
    };
  }

  private fairHousingCount = 0;
  /** The reply being spoken in the running turn (what has been sent so far), or null between turns. */
  private replying: { sent: string } | null = null;

  private replyMs(text: string): number {
    return words(text) * this.deps.settings.speechMsPerWord;
  }

  private async runTool(
    call: BrainToolCall,
    allowed: Set<string>,
  ): Promise<{ content: Record<string, unknown>; directive?: TurnOutput['directive']; propertyId?: number }> {
    const started = performance.now();
    const report = (ok: boolean, summary: string, args = call.arguments): void => {
      const durationMs = Math.round(performance.now() - started);
      this.record.turn({ role: 'tool', text: summary, toolName: call.name, toolArguments: args, ok });
      this.record.publish({ type: 'tool', name: call.name, arguments: args, ok, summary, durationMs });
    };
    if (!allowed.has(call.name)) {
      const error = `${call.name} is not available at this point of the call`;
      report(false, error);
      return { content: { ok: false, error } };
    }
    if (call.name === 'set_call_outcome') {
      const parsed = CallOutcomeArgs.safeParse(call.arguments);
      if (!parsed.success) {
        const error = `set_call_outcome: ${parsed.error.issues.map((i) => i.message).join('; ')}`;
        report(false, error);
        return { content: { ok: false, error } };
      }
      const { outcome, note, call_back_at } = parsed.data;
      this.callOutcome = { outcome, note: note ?? null, callBackAt: call_back_at ?? null };
      report(true, `outcome: ${outcome}`);
      this.toolsUsed.add(call.name);
      return { content: { ok: true, voice_summary: 'Noted.' } };
    }
    if (call.name === 'transfer_call' || call.name === 'end_call') {
      if (call.name === 'transfer_call' && !this.agent.mobilePhone) {
        const error = line(this.persona, 'noTransferNumber', this.vars);
        report(false, error);
        return { content: { ok: false, error } };
      }
      report(true, call.name === 'transfer_call' ? 'transferring' : 'ending the call');
      this.toolsUsed.add(call.name);
      return { content: { ok: true }, directive: call.name === 'transfer_call' ? 'transfer' : 'end' };
    }
    const args = this.withCallerDefaults(call.name, call.arguments);
    const outcome = await this.deps.tools.invoke(call.name, args, {
      agentId: this.agent.id,
      sessionId: `call:${this.callSid}`,
      source: 'call',
      lastPropertyId: () => Promise.resolve(this.actor.getSnapshot().context.propertyId),
      deferHistory: true,
    });
    this.record.write(() => outcome.recorded);
    if (!outcome.ok) {
      report(false, outcome.error.message, args);
      return {
        content: { ok: false, error: outcome.error.message, code: outcome.error.code, details: outcome.error.details },
      };
    }
    this.toolsUsed.add(call.name);
    report(true, outcome.result.voice_summary, args);
    const propertyId = outcome.result.property_id ?? undefined;
    if (propertyId) this.actor.send({ type: 'PROPERTY.FOCUSED', propertyId });
    return {
      content: {
        ok: true,
        data: outcome.result.data,
        voice_summary: outcome.result.voice_summary,
        ...(propertyId ? { property_id: propertyId } : {}),
      },
      ...(propertyId ? { propertyId } : {}),
    };
  }

  /** The person's number (the caller ID, or the number a campaign called) fills a missing phone on tools that take one. */
  private withCallerDefaults(name: string, args: Record<string, unknown>): Record<string, unknown> {
    const tool = this.deps.tools.get(name);
    const shape = tool?.input.shape ?? {};
    const caller = this.call.direction === 'outbound' ? this.call.toNumber : this.call.fromNumber;
    if (!caller) return args;
    for (const key of ['caller_phone', 'visitor_phone']) {
      if (key in shape && args[key] === undefined) return { ...args, [key]: caller };
    }
    return args;
  }

  /** The persona's instructions with this call's facts and the guidance for the current dialogue state. */
  private instructions(phase: string): string {
    const focused = this.actor.getSnapshot().context.propertyId;
    const vars = {
      ...this.vars,
      now: clockFor(this.agent.timezone).format(new Date()),
      property: focused ? `#${focused}` : (this.conversation.vars.property ?? 'none yet'),
      property_id: focused ? String(focused) : '',
    };
    return fill(this.persona.instructions, { ...vars, phase_guidance: fill(this.persona.phases?.[phase] ?? '', vars) });
  }
}
