import type { Snapshot } from 'xstate';
import type { Orm } from '../db/orm.ts';
import { Agent, type IAgent } from '../domain/agents/agent.entity.ts';
import { Call, type ICall } from '../domain/calls/call.entity.ts';
import { lastTurnSeq } from '../domain/calls/calls.service.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { needsRecordingNotice } from '../voice/area-codes.ts';
import type { Brain, BrainFactory } from './brain.port.ts';
import type { CallEventBus } from './call-events.ts';
import { CallSession, type CallSettings, type CallTransport, type Handoff } from './call-session.ts';
import type { Conversation, OutboundConversations } from './conversation.ts';
import { VoiceCommands } from './voice-commands.ts';
import { line, loadPersona, type Persona } from './persona.ts';
import { receptionistMachine } from '../../state-machines/receptionist.machine.ts';

export interface CallRuntimeDeps {
  orm: Orm;
  metrics?: Metrics;
  tools: ToolRegistry;
  log: Logger;
  bus: CallEventBus;
  brainFactory: BrainFactory;
  settings: CallSettings;
  persona?: Persona;
  /** The conversations of outbound (campaign) calls; without it an outbound call gets the receptionist. */
  outbound?: OutboundConversations;
}

/** Why a transport could not open a session; the transport refuses the connection with it. */
export class SessionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionRefused';
  }
}

/**
 * The one call runtime every transport feeds (ConversationRelay, Media Streams, Vapi): it opens a session
 * per live call, keeps them by CallSid, and builds the greeting the carrier or the session speaks.
 */
/**
 * A call about to get a session: its rows, who answers (unless the runtime decides), and the seq of its last
 * stored turn (a session taking over a call numbers its turns on, so the transcript keeps its order).
 */
interface Admitted {
  call: ICall;
  agent: IAgent;
  conversation: Conversation | undefined;
  lastSeq: number;
}

export class CallRuntime {
  private readonly sessions = new Map<string, CallSession>();
  private readonly handoffs = new Map<string, Handoff>();
  /** The last turn seq of a call's sessions that ended here in the last minute (a handover's next session). */
  private readonly endedSeqs = new Map<string, { seq: number; timer: NodeJS.Timeout }>();
  /** Calls this process just admitted (their webhook), kept until their stream opens: no re-read then. */
  private readonly admitted = new Map<string, Admitted & { timer: NodeJS.Timeout }>();
  readonly persona: Persona;
  readonly voiceCommands: VoiceCommands;

  constructor(private readonly deps: CallRuntimeDeps) {
    this.persona = deps.persona ?? loadPersona('receptionist');
    this.voiceCommands = new VoiceCommands(deps.orm);
  }

  /** The opening line: brokerage, AI disclosure, and the recording notice where the caller's state needs one. */
  greeting(agent: Pick<IAgent, 'name' | 'brokerageName'>, callerNumber: string): string {
    const vars = { agent: agent.name, brokerage: agent.brokerageName ?? agent.name };
    const greeting = line(this.persona, 'greeting', vars);
    return needsRecordingNotice(callerNumber) ? `${line(this.persona, 'recordingNotice', vars)} ${greeting}` : greeting;
  }

  /**
   * Opens the session of a call whose record exists (created by the carrier's webhook). A call that already
   * has a live session is refused; one whose record holds a machine snapshot and has not ended resumes from it.
   */
  async open(callSid: string, transport: CallTransport, opts: { brain?: Brain } = {}): Promise<CallSession> {
    // A session that is over (one that handed the call to the receptionist) may still be writing its end.
    const previous = this.sessions.get(callSid);
    if (previous?.isOver === false) throw new SessionRefused(`Call ${callSid} already has a live session`);
    const { call, agent, conversation, ...stored } = this.takeAdmitted(callSid) ?? (await this.load(callSid));
    // The stored seq misses the turns a previous session here has not written yet.
    const lastSeq = Math.max(stored.lastSeq, previous?.lastSeq ?? 0, this.endedSeqs.get(callSid)?.seq ?? 0);
    if (call.endedAt) throw new SessionRefused(`Call ${callSid} has ended`);
    const restored = resumable(call);
    const session = new CallSession(
      this.deps,
      call,
      agent,
      transport,
      conversation ?? (await this.conversationFor(call, agent)),
      restored,
      opts.brain,
      lastSeq,
    );
    this.sessions.set(callSid, session);
    void session.done.then(() => {
      if (this.sessions.get(callSid) === session) this.sessions.delete(callSid);
      clearTimeout(this.endedSeqs.get(callSid)?.timer);
      const timer = setTimeout(() => this.endedSeqs.delete(callSid), 60_000).unref();
      this.endedSeqs.set(callSid, { seq: session.lastSeq, timer });
    });
    session.start();
    if (restored) this.deps.log.info({ callSid }, 'call session resumed from its persisted snapshot');
    return session;
  }

  /**
   * The carrier's webhook just created this call's record: its session, opened moments later when the
   * stream connects, starts from these rows instead of reading them again (the greeting waits on that read).
   * Forgotten after a minute; another instance, or a resumed session, reads the database.
   */
  admit(call: ICall, agent: IAgent, conversation?: Conversation, lastSeq = 0): void {
    this.takeAdmitted(call.callSid);
    const timer = setTimeout(() => this.admitted.delete(call.callSid), 60_000).unref();
    this.admitted.set(call.callSid, { call, agent, conversation, lastSeq, timer });
  }

  /**
   * Who answers a call: an outbound call's campaign conversation; the agent calling their own line (caller ID +
   * PIN set) gets voice commands; everyone else the receptionist.
   */
  async conversationFor(call: ICall, agent: IAgent): Promise<Conversation> {
    if (call.direction === 'outbound' && this.deps.outbound) {
      const outbound = await this.deps.outbound.conversationOf(call, agent);
      if (outbound) return outbound;
      this.deps.log.warn({ callSid: call.callSid }, 'outbound call without a campaign conversation: receptionist');
    }
    if (call.direction === 'inbound') {
      const own = await this.voiceCommands.conversationFor(call, agent);
      if (own) return own;
    }
    return this.receptionistFor(call, agent);
  }

  /** The inbound receptionist's conversation. */
  receptionistFor(call: Pick<ICall, 'fromNumber'>, agent: IAgent): Conversation {
    return {
      kind: 'receptionist',
      persona: this.persona,
      machine: receptionistMachine,
      greeting: this.greeting(agent, call.fromNumber),
      vars: {},
      propertyId: null,
    };
  }

  /** The call ended before its stream opened (a status callback): a late stream must read the record. */
  forgetAdmitted(callSid: string): void {
    this.takeAdmitted(callSid);
  }

  private takeAdmitted(callSid: string): Admitted | undefined {
    const entry = this.admitted.get(callSid);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.admitted.delete(callSid);
    return entry;
  }

  private async load(callSid: string): Promise<Admitted> {
    const em = this.deps.orm.em.fork();
    const call = await em.findOne(Call, { callSid });
    if (!call) throw new SessionRefused(`Unknown call ${callSid}`);
    return {
      call,
      agent: await em.findOneOrFail(Agent, call.agent.id),
      conversation: undefined,
      lastSeq: await lastTurnSeq(em, call.id),
    };
  }

  /**
   * Keeps how a session ended for the carrier's next webhook (Media Streams: the TwiML after <Connect>
   * asks what to do once the stream closes). Taken once; forgotten after 10 minutes.
   */
  setHandoff(callSid: string, handoff: Handoff): void {
    this.handoffs.set(callSid, handoff);
    setTimeout(() => this.handoffs.delete(callSid), 10 * 60_000).unref();
  }

  takeHandoff(callSid: string): Handoff | undefined {
    const handoff = this.handoffs.get(callSid);
    this.handoffs.delete(callSid);
    return handoff;
  }

  get(callSid: string): CallSession | undefined {
    return this.sessions.get(callSid);
  }

  get active(): number {
    return this.sessions.size;
  }

  /**
   * A transfer nobody answered: the agent gets the caller's request as a message (call-back task within the
   * hour + notification) and the caller hears what happens next. Returns that sentence.
   */
  async missedTransfer(callSid: string, dialStatus: string): Promise<string> {
    const live = this.sessions.get(callSid);
    if (live) await Promise.race([live.done, new Promise((r) => setTimeout(r, 2_000))]);
    const em = this.deps.orm.em.fork();
    const call = await em.findOne(Call, { callSid }, { populate: ['agent'] });
    if (!call) return 'Sorry, nobody is available right now. Please call back later. Goodbye.';
    const agent = call.agent as unknown as IAgent;
    await em.nativeUpdate(Call, { id: call.id }, { outcome: 'message_taken' });
    const outcome = await this.deps.tools.invoke(
      'take_message',
      {
        caller_phone: call.fromNumber || undefined,
        message: `Transfer not answered (${dialStatus}). ${call.summary ?? ''}`.trim(),
        ...(call.propertyId ? { property_id: call.propertyId } : {}),
      },
      { agentId: agent.id, sessionId: `call:${callSid}`, source: 'call' },
    );
    if (!outcome.ok) this.deps.log.error({ callSid, err: outcome.error }, 'missed-transfer message failed');
    return `I'm sorry, ${agent.name} isn't available right now. I've passed on your request, and you'll get a call back within the hour. Goodbye.`;
  }

  /** Ends every live session (shutdown) and waits for their records. */
  async closeAll(): Promise<void> {
    const sessions = [...this.sessions.values()];
    for (const s of sessions) s.hungUp();
    await Promise.all(sessions.map((s) => s.flush()));
  }
}

function resumable(call: ICall): Snapshot<unknown> | undefined {
  const snap = call.machineSnapshot as { status?: string } | null;
  return snap && snap.status === 'active' ? (snap as Snapshot<unknown>) : undefined;
}
