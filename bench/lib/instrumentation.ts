/**
 * The call server's measuring points, added from outside src/: a speech-to-text wrapper (sees every frame
 * handed to the recognizer and the recognizer's events, tagged with the call), a brain wrapper (the "LLM"
 * first-token latency), and a per-socket hook on the WebSocket server (sees each caller message as it
 * arrives, and each message the route writes). Nothing here changes what the route does; it stamps times,
 * and adds `bench*` fields to outbound messages for the load generator:
 *
 * - every agent `media`: `benchT`, when it was written (the outbound leg);
 * - the first `media` of a reply: `benchTurnFrom`, when the caller sent the frame that ended their utterance
 *   (the frame whose push made the VAD emit `speechStopped`);
 * - `clear`: `benchSpeechFrom`, when the caller sent the frame that started the utterance (`speechStarted`),
 *   and `benchDecidedFrom`, when they sent the frame on which the route decided to interrupt.
 *
 * Times are on the monotonic clock shared by both processes (shared.ts `mono`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RawData, WebSocket } from 'ws';
import type { Brain, BrainFactory } from '../../src/call-runtime/brain.port.ts';
import type { SpeechToText, SttOpenOptions, SttStream } from '../../src/call-runtime/speech.port.ts';
import type { FakeSpeechToText } from '../../src/voice/fakes/fake-stt.ts';
import { CALLER_SCRIPT, FRAME_BYTES, mono, Samples } from './shared.ts';

/**
 * The local brain with a fixed first-token latency on the first model call of each turn (the step that
 * answers the caller's words). Steps after a tool result are not delayed, so every turn's path to its first
 * audio holds exactly one brain latency. Aborting (barge-in, hang-up) ends the wait.
 */
export function withFirstTokenLatency(factory: BrainFactory, ms: number): BrainFactory {
  return (info) => {
    const inner = factory(info);
    const brain: Brain = {
      name: inner.name,
      async *step(req) {
        if (ms > 0 && req.history.at(-1)?.role === 'user') {
          try {
            await sleep(ms, undefined, { signal: req.signal });
          } catch {
            return;
          }
        }
        yield* inner.step(req);
      },
    };
    return brain;
  };
}

const MEDIA_PREFIX = Buffer.from('{"event":"media"');
const BENCH_T = Buffer.from('"benchT":');
/** A `final` this close after the last agent media (with no clear since) may be answered by old audio. */
const OVERLAP_MS = 1_500;

/** One caller frame: when the caller sent it, when its message event fired here. */
interface Frame {
  sentAt: number;
  arrivedAt: number;
}

/** One media stream as the server sees it. */
class Conn {
  callSid: string | null = null;
  /** Caller frames received and not yet handed to the recognizer, oldest first. */
  private frames: Frame[] = [];
  private head = 0;
  /** The frame being pushed into the recognizer right now (its events fire inside the push). */
  inPush: Frame | null = null;
  startAt: number | null = null;
  greeted = false;
  /** speechStarted: when it fired, and the frame that set it off. */
  speechAt: number | null = null;
  speechFrame: Frame | null = null;
  /** The frame that set off the last speechStopped (the end of the utterance for the VAD). */
  stopFrame: Frame | null = null;
  /** The latest recognizer event (a `final` may decide a barge-in outside any push). */
  lastEventAt = 0;
  /** A final waiting for the first media of its reply: when it fired, and the utterance's end frame. */
  finalAt: number | null = null;
  finalText = '';
  /** Time spent in tool calls since the final (they are on the turn's path to its first audio). */
  toolMs = 0;
  finalFrom: Frame | null = null;
  finalOverlaps = false;
  lastMediaOutAt = -Infinity;
  clearedSinceMedia = true;

  constructor(private readonly probes: Probes) {}

  received(frame: Frame): void {
    if (this.probes.pairFrames) this.frames.push(frame);
    if (this.probes.recording && !Number.isNaN(frame.sentAt)) {
      this.probes.inFrames++;
      this.probes.toMessageEvent.push(frame.arrivedAt - frame.sentAt);
    }
  }

  /** The oldest frame not yet handed to the recognizer (the one the route is handling, or next). */
  get next(): Frame | null {
    return this.frames[this.head] ?? null;
  }

  /** The recognizer gets `bytes` of caller audio now: the oldest frames waiting are done. */
  pushing(bytes: number, at: number): Frame | null {
    const p = this.probes;
    let last: Frame | null = null;
    const count = Math.max(1, Math.round(bytes / FRAME_BYTES));
    for (let i = 0; i < count && this.head < this.frames.length; i++) {
      last = this.frames[this.head++]!;
      if (!p.recording || Number.isNaN(last.sentAt)) continue;
      const leg = at - last.sentAt;
      p.toRecognizer.push(leg);
      p.routeProcessing.push(at - last.arrivedAt);
      if (leg > p.lateMs) p.late++;
    }
    if (this.head > 4096) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
    return last;
  }

  /** Frames received more than `lateMs` ago that the recognizer has not had. */
  stuck(now: number): number {
    let n = 0;
    for (let i = this.head; i < this.frames.length; i++) if (now - this.frames[i]!.sentAt > this.probes.lateMs) n++;
    return n;
  }

  final(at: number, text: string): void {
    if (this.finalAt !== null && this.probes.recording) this.probes.turnsUnanswered++;
    this.finalAt = at;
    this.finalText = text;
    this.toolMs = 0;
    this.finalFrom = this.stopFrame;
    this.finalOverlaps = !this.clearedSinceMedia && at - this.lastMediaOutAt < OVERLAP_MS;
  }

  /** An agent media message is being written; returns the extra fields to stamp on it. */
  mediaOut(at: number): string {
    const p = this.probes;
    let extra = '';
    if (p.recording) p.outboundMedia++;
    if (!this.greeted && this.startAt !== null) {
      this.greeted = true;
      p.greeting.push(at - this.startAt);
    }
    if (this.finalAt !== null) {
      if (this.finalOverlaps) {
        if (p.recording) p.turnsOverlapped++;
      } else {
        if (p.recording) p.turn(this.finalText, at - this.finalAt - p.turnFakeMs, this.toolMs);
        if (this.finalFrom && !Number.isNaN(this.finalFrom.sentAt))
          extra += `,"benchTurnFrom":${this.finalFrom.sentAt.toFixed(3)}`;
      }
      this.finalAt = null;
    }
    this.lastMediaOutAt = at;
    this.clearedSinceMedia = false;
    return `${extra},"benchT":${at.toFixed(3)}`;
  }

  /**
   * A `clear` is being written (a barge-in: the route sends it synchronously on the event that decided it).
   * That event is a recognizer event fired inside a push (its frame is `inPush`), or the caller frame the
   * route is handling before its push (the route judges audio levels first: `next`), or else a `final`.
   */
  clearOut(at: number): string {
    const p = this.probes;
    const decided = this.inPush ?? this.next;
    if (p.recording) {
      p.clears++;
      // From when the caller sent the deciding frame: the wait for the event loop counts too.
      const from = decided ? (Number.isNaN(decided.sentAt) ? decided.arrivedAt : decided.sentAt) : this.lastEventAt;
      p.bargeInDecision.push(at - from);
      if (this.speechAt !== null) p.bargeInFromSpeech.push(at - this.speechAt);
    }
    let extra = '';
    if (this.speechFrame && this.speechAt !== null) extra += `,"benchSpeechFrom":${this.speechFrame.sentAt.toFixed(3)}`;
    if (decided) extra += `,"benchDecidedFrom":${decided.sentAt.toFixed(3)}`;
    this.speechAt = null;
    this.clearedSinceMedia = true;
    return extra;
  }
}

/** Every connection's measuring state, and what was measured while `recording`. */
export class Probes {
  recording = false;
  readonly byCall = new Map<string, Conn>();
  readonly conns = new Set<Conn>();
  readonly turnAdded = new Samples();
  readonly turnAddedExclTools = new Samples();
  readonly toolCalls = new Samples();
  /** The same, by what the caller said (a listing question runs a tool; "Hello" does not). */
  readonly turnAddedBySaying = new Map<string, Samples>();
  readonly bargeInDecision = new Samples();
  readonly bargeInFromSpeech = new Samples();
  readonly greeting = new Samples();
  readonly toRecognizer = new Samples();
  readonly toMessageEvent = new Samples();
  readonly routeProcessing = new Samples();
  turnsOverlapped = 0;
  turnsUnanswered = 0;
  inFrames = 0;
  late = 0;
  outboundMedia = 0;
  clears = 0;
  vadMs = 0;

  /**
   * @param turnFakeMs the fakes' latency inside final → first audio (brain first token + TTS first byte)
   * @param lateMs a caller frame reaching the recognizer later than this after it was sent is dropped
   * @param pairFrames caller frames go to a recognizer (cascaded): pair each with its push
   */
  constructor(
    readonly turnFakeMs: number,
    readonly lateMs: number,
    readonly pairFrames = true,
  ) {}

  turn(saying: string, ms: number, toolMs: number): void {
    this.turnAdded.push(ms);
    this.turnAddedExclTools.push(ms - toolMs);
    let samples = this.turnAddedBySaying.get(saying);
    if (!samples) this.turnAddedBySaying.set(saying, (samples = new Samples()));
    samples.push(ms);
  }

  reset(): void {
    this.turnAddedBySaying.clear();
    for (const s of [
      this.turnAdded,
      this.turnAddedExclTools,
      this.toolCalls,
      this.bargeInDecision,
      this.bargeInFromSpeech,
      this.toRecognizer,
      this.toMessageEvent,
      this.routeProcessing,
    ])
      s.clear();
    this.turnsOverlapped = this.turnsUnanswered = this.inFrames = this.late = 0;
    this.outboundMedia = this.clears = this.vadMs = 0;
  }

  stuck(): number {
    const now = mono();
    let n = 0;
    for (const conn of this.conns) n += conn.stuck(now);
    return n;
  }

  conn(callSid: string): Conn | undefined {
    return this.byCall.get(callSid);
  }

  /** A tool call of a session (`call:<CallSid>`) took `ms`. */
  tool(sessionId: string, ms: number): void {
    if (this.recording) this.toolCalls.push(ms);
    const conn = sessionId.startsWith('call:') ? this.byCall.get(sessionId.slice(5)) : undefined;
    if (conn && conn.finalAt !== null) conn.toolMs += ms;
  }

  /**
   * Hooks one WebSocket before the route's handler sees it (the server's `connection` event comes first):
   * a `message` listener of our own (so it runs before the route's), and a wrapper around `send`.
   */
  attach(socket: WebSocket): void {
    const conn = new Conn(this);
    this.conns.add(conn);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const at = mono();
      if (isBinary || !Buffer.isBuffer(data)) return;
      if (data.length > MEDIA_PREFIX.length && data.compare(MEDIA_PREFIX, 0, MEDIA_PREFIX.length, 0, 16) === 0) {
        // Every media message is queued (even one without a stamp), so frames and pushes stay paired.
        const i = data.lastIndexOf(BENCH_T);
        const sentAt = i < 0 ? NaN : Number(data.toString('latin1', i + BENCH_T.length, data.indexOf(0x7d, i)));
        conn.received({ sentAt, arrivedAt: at });
        return;
      }
      try {
        const msg = JSON.parse(data.toString()) as { event?: string; start?: { callSid?: string } };
        if (msg.event === 'start' && msg.start?.callSid && conn.callSid === null) {
          conn.callSid = msg.start.callSid;
          conn.startAt = at;
          this.byCall.set(conn.callSid, conn);
        }
      } catch {
        // Not ours to judge: the route logs it.
      }
    });
    socket.on('close', () => {
      this.conns.delete(conn);
      if (conn.callSid) this.byCall.delete(conn.callSid);
    });
    const send = socket.send;
    socket.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
      let out = data;
      if (typeof data === 'string' && data.startsWith('{"event":"') && data.endsWith('}')) {
        const at = mono();
        if (data.startsWith('media"', 10)) out = data.slice(0, -1) + conn.mediaOut(at) + '}';
        else if (data.startsWith('clear"', 10)) out = data.slice(0, -1) + conn.clearOut(at) + '}';
      }
      return (send as (...args: unknown[]) => void).call(this, out, ...rest);
    } as WebSocket['send'];
  }
}

/**
 * The fake STT, seen from outside: each stream's frames and events are stamped on the call's probe. Our
 * listeners are added before the route's (in `open`), so our stamps come first; `speechStarted`,
 * `partial` and `speechStopped` fire inside a push, so the frame being pushed is the one that set them off.
 * The caller's words come from CALLER_SCRIPT, queued per call and topped up as utterances start; each call
 * starts at another line, so the calls do not all ask the same thing at once.
 */
export class InstrumentedStt implements SpeechToText {
  readonly name: string;
  private opened = 0;

  constructor(
    private readonly inner: FakeSpeechToText,
    private readonly probes: Probes,
  ) {
    this.name = inner.name;
  }

  open(opts: SttOpenOptions): SttStream {
    const { callSid } = opts;
    let said = this.opened++;
    const next = (): string => CALLER_SCRIPT[said++ % CALLER_SCRIPT.length]!;
    this.inner.queueTranscript(callSid, next(), next(), next());
    const stream = this.inner.open(opts);
    const probes = this.probes;
    stream.on('speechStarted', () => {
      this.inner.queueTranscript(callSid, next());
      const conn = probes.conn(callSid);
      if (!conn) return;
      conn.speechAt = conn.lastEventAt = mono();
      conn.speechFrame = conn.inPush;
    });
    stream.on('partial', () => {
      const conn = probes.conn(callSid);
      if (conn) conn.lastEventAt = mono();
    });
    stream.on('speechStopped', () => {
      const conn = probes.conn(callSid);
      if (!conn) return;
      conn.lastEventAt = mono();
      conn.stopFrame = conn.inPush;
    });
    stream.on('final', (text) => {
      const conn = probes.conn(callSid);
      if (!conn) return;
      conn.lastEventAt = mono();
      conn.final(conn.lastEventAt, text);
    });
    const push = stream.push.bind(stream);
    stream.push = (frame: Buffer): void => {
      const conn = probes.conn(callSid);
      const at = mono();
      if (conn) conn.inPush = conn.pushing(frame.length, at);
      try {
        push(frame);
      } finally {
        if (conn) conn.inPush = null;
        if (probes.recording) probes.vadMs += mono() - at;
      }
    };
    return stream;
  }
}
