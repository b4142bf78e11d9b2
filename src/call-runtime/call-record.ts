import type { Em } from '../db/orm.ts';
import { CallTurn } from '../domain/calls/call.entity.ts';
import type { Logger } from '../log.ts';
import type { CallEvent, CallEventBody, CallEventBus } from './call-events.ts';

/**
 * Latency figures of an agent turn, in ms (stored rounded in `call_turns.timings`): `firstTextMs`, `toolMs` and
 * `totalMs` from the session; on Media Streams also `endpointingMs` (the caller's silence waited for before their
 * utterance was taken as finished) and `ttsFirstByteMs` (the reply's first phrase handed to synthesis → its first
 * audio sent to the caller). A figure nobody measured is absent.
 */
export type TurnTimings = Record<string, number>;

export interface TurnRow {
  role: 'caller' | 'agent' | 'tool';
  text: string;
  intent?: string;
  toolName?: string;
  toolArguments?: Record<string, unknown>;
  ok?: boolean;
  interrupted?: boolean;
  timings?: TurnTimings;
}

const rounded = (timings: TurnTimings): TurnTimings =>
  Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)]));

/**
 * A call's records and live events: its turns and other writes, one after another on the session's own
 * EntityManager fork (a failed write is logged and does not stop the call), and the events, stamped with the
 * call and the time. Keeps the last agent turn, which an interruption or a late timing updates.
 */
export class CallRecord {
  private writes: Promise<unknown> = Promise.resolve();
  /** The last agent turn recorded: its seq, row id (once inserted) and timings. */
  private lastAgentTurn: { seq: number; id: Promise<number | null>; timings: TurnTimings } | null = null;
  /** Figures for the agent turn not recorded yet: the answer to the caller's latest utterance. */
  private upcoming: TurnTimings = {};

  constructor(
    private readonly em: Em,
    private readonly log: Logger,
    private readonly bus: CallEventBus,
    private readonly call: { id: number; callSid: string; agentId: number },
    /** The machine's current state name, stored on each turn. */
    private readonly state: () => string,
    /** The seq of the call's last stored turn: this record numbers its turns on from it. */
    private seq = 0,
  ) {}

  /** The seq of the last turn recorded (its write may still be queued). */
  get lastSeq(): number {
    return this.seq;
  }

  publish(event: CallEventBody): void {
    this.bus.publish(this.call.agentId, {
      ...event,
      callSid: this.call.callSid,
      at: new Date().toISOString(),
    } as CallEvent);
  }

  /** The caller's new utterance: the figures of the agent turn that answers it start over from these. */
  callerSpoke(timings: TurnTimings): void {
    this.upcoming = { ...timings };
  }

  /**
   * A figure measured by the transport: it goes on the agent turn being prepared (`upcoming`), else on the last
   * one recorded (its row is updated).
   */
  timing(name: string, ms: number, upcoming: boolean): void {
    const turn = this.lastAgentTurn;
    if (upcoming || !turn) {
      this.upcoming[name] = ms;
      return;
    }
    turn.timings = { ...turn.timings, [name]: ms };
    const timings = rounded(turn.timings);
    this.write(async (em) => {
      const id = await turn.id;
      if (id !== null) await em.nativeUpdate(CallTurn, { id }, { timings });
    });
  }

  /** Records and publishes an agent turn, with the figures gathered for it. */
  agentTurn(text: string, opts: { timings?: TurnTimings; interrupted?: boolean } = {}): void {
    const timings = { ...this.upcoming, ...opts.timings };
    this.upcoming = {};
    const interrupted = opts.interrupted ?? false;
    const { seq, id } = this.turn({
      role: 'agent',
      text,
      interrupted,
      ...(Object.keys(timings).length ? { timings } : {}),
    });
    this.lastAgentTurn = { seq, id, timings };
  }

  /** The caller cut the last agent turn off after it was recorded: it keeps what they heard. */
  agentTurnCut(text: string): void {
    const turn = this.lastAgentTurn;
    if (!turn) return;
    this.write(async (em) => {
      const id = await turn.id;
      if (id !== null) await em.nativeUpdate(CallTurn, { id }, { text, interrupted: true });
    });
    this.publish({ type: 'turn', seq: turn.seq, role: 'agent', text, interrupted: true });
  }

  /**
   * Inserts a turn row with the next seq and publishes a caller or agent turn (a tool turn's event, with its
   * timing, is the tool runner's). `id` resolves to the row's id, or null if the write failed.
   */
  turn(t: TurnRow): { seq: number; id: Promise<number | null> } {
    const seq = ++this.seq;
    const state = this.state() || null;
    if (t.role !== 'tool')
      this.publish({ type: 'turn', seq, role: t.role, text: t.text, ...(t.interrupted ? { interrupted: true } : {}) });
    const id = this.write(async (em) => {
      const id = await em.insert(CallTurn, {
        call: this.call.id,
        seq,
        role: t.role,
        text: t.text,
        state,
        intent: t.intent ?? null,
        toolName: t.toolName ?? null,
        toolArguments: t.toolArguments ?? null,
        ok: t.ok ?? null,
        interrupted: t.interrupted ?? false,
        timings: t.timings ? rounded(t.timings) : null,
        createdAt: new Date(),
      });
      return id as number;
    });
    return { seq, id };
  }

  /** Writes run one after another on the session's fork; a failed write is logged and does not stop the call. */
  write<T>(fn: (em: Em) => Promise<T>): Promise<T | null> {
    const next = this.writes.then(
      () => fn(this.em),
      () => fn(this.em),
    );
    this.writes = next.catch((err: unknown) => this.log.error({ err }, 'call record write failed'));
    return next.catch(() => null);
  }

  /** Waits for every write queued so far. */
  async flush(): Promise<void> {
    await this.writes;
  }
}
