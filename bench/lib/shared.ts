/**
 * What the call benchmark's two processes share: the fakes' configured latencies, the caller's script, the
 * monotonic clock both sides stamp with, the IPC messages, and percentile summaries.
 */
import type { IntervalHistogram } from 'node:perf_hooks';

/** The fakes' fixed latencies and the speech timing the load generator must agree with. */
export interface Fakes {
  /** Fake STT: from the end of the utterance (VAD stop) to `final`. */
  sttLatencyMs: number;
  /** Brain: delay before the first chunk of the first model call of a turn (the local brain, wrapped). */
  brainFirstTokenMs: number;
  /** Fake TTS: delay before the first audio chunk of a phrase. */
  ttsFirstByteMs: number;
  /** Fake TTS: spoken length of one word (also the session's playback estimate). */
  ttsMsPerWord: number;
  /** Fake STT VAD: voiced time before `speechStarted`. */
  sttStartMs: number;
  /** Fake STT VAD: unvoiced time that ends an utterance. */
  sttStopMs: number;
}

export const DEFAULT_FAKES: Fakes = {
  sttLatencyMs: 100,
  brainFirstTokenMs: 200,
  ttsFirstByteMs: 75,
  ttsMsPerWord: 330,
  sttStartMs: 60,
  sttStopMs: 500,
};

export const FRAME_MS = 20;
export const FRAME_BYTES = 160;

/**
 * What the callers say, in order, cycling (every call starts at a different offset). Each line is understood
 * in any dialogue state and answered by the local brain in one piece of text (no multi-step replies), so a
 * reply's audio is one uninterrupted stretch: listing questions (a tool call that reads the database) and a
 * greeting (no tool). No line ends, transfers or books anything, so calls run as long as the bench wants.
 */
export const CALLER_SCRIPT: readonly string[] = [
  "Hi, I'm calling about one forty one Elm Street. How much is it?",
  'Is it still available?',
  'Hello',
  'Tell me about 1205 Oak Avenue',
  'How many bathrooms does it have?',
  'Tell me about 77 Lakeshore Boulevard',
  'Hello',
  'How much is 908 Maple Drive?',
];

/** The inbound-call webhook form (Twilio's fields); CallSid, To and Called are set per call. */
export const INBOUND_FORM: Readonly<Record<string, string>> = {
  AccountSid: 'AC00000000000000000000000000000000',
  ApiVersion: '2010-04-01',
  CallStatus: 'ringing',
  Caller: '+15125550142',
  Direction: 'inbound',
  From: '+15125550142',
  FromCity: 'AUSTIN',
  FromState: 'TX',
  FromZip: '78701',
  FromCountry: 'US',
  ToState: 'TX',
  ToCountry: 'US',
};

/**
 * What the server runs: the app with VOICE_PIPELINE=cascaded or realtime, or the bare pass-through bridge
 * (bench/lib/bare-bridge.ts, the reference the others are compared with).
 */
export type Pipeline = 'cascaded' | 'realtime' | 'bridge';

/** What the parent passes to the call server (env BENCH_CALL_SERVER, JSON). */
export interface ServerOptions {
  pipeline: Pipeline;
  /** The fake Realtime server (realtime and bridge pipelines). */
  realtime: { url: string; apiKey: string } | null;
  fakes: Fakes;
  authToken: string;
  publicUrl: string;
  lineNumber: string;
  /** Inbound frames that reach the recognizer later than this after they were sent count as dropped. */
  lateMs: number;
  /** Calls the load generator will hold (names the profile). */
  calls: number;
  /** Write a CPU profile of the measurement window here. */
  profileDir: string | null;
}

export type ToServer = { type: 'window-start' } | { type: 'window-end' } | { type: 'shutdown' };

export type FromServer =
  | { type: 'ready'; port: number; database: string; node: string; listings: number }
  | { type: 'window-started' }
  | { type: 'report'; report: ServerReport }
  | { type: 'failed'; message: string };

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** What the call server measured over the window (times in ms, sizes in MB). */
export interface ServerReport {
  wallMs: number;
  /** CPU time (user + system, all threads) over the window, % of one core. */
  cpuPct: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** RSS before the first call, at the window's end, and the largest sampled during it. */
  rssBaseMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  heapUsedMb: number;
  /** JS heap used + external memory (buffers, WASM), after a full GC: before the first call, at the window's end. */
  heapBaseMb: number;
  heapEndMb: number;
  eventLoopDelay: Summary;
  /** Live call sessions at the window's end. */
  sessions: number;
  /** Per turn: `final` emitted → first media message of the reply written, minus brain + TTS latencies. */
  turnAdded: Summary;
  /** The same minus the time the turn spent in tool calls (the orchestration's own share). */
  turnAddedExclTools: Summary;
  /** Tool calls of the call sessions (ToolRegistry.invoke: transaction, queries, history record). */
  toolCalls: Summary;
  /** The same, by what the caller said (listing questions run a tool that reads the database; "Hello" does not). */
  turnAddedBySaying: Record<string, Summary>;
  /** Finals whose first media could not be told from the previous reply's (overlap); not sampled. */
  turnsOverlapped: number;
  /** Turns with no reply audio by the window's end (counted when the next final came first). */
  turnsUnanswered: number;
  /**
   * Barge-in: the caller sent the frame on which the route decided to interrupt (or the recognizer emitted
   * the `final` that decided it) → `clear` written.
   */
  bargeInDecision: Summary;
  /** Barge-in from speech start: `speechStarted` emitted → `clear` written (includes the barge-in policy's wait). */
  bargeInFromSpeech: Summary;
  /** `start` message received → first greeting media written (all calls of the run, ramp included). */
  greeting: Summary;
  inbound: {
    /** Caller media messages received over the window. */
    frames: number;
    /** Client send → the fake STT's push() got the frame (cross-process monotonic clock). */
    toRecognizer: Summary;
    /** Client send → the WebSocket `message` event (socket + WS parsing + waiting for the event loop). */
    toMessageEvent: Summary;
    /** `message` event → push(): the route's queue, JSON.parse, zod, base64. */
    routeProcessing: Summary;
    /** Frames that reached the recognizer more than `lateMs` after being sent. */
    late: number;
    /** Frames received but not handed to the recognizer `lateMs` after being sent, at the window's end. */
    stuck: number;
  };
  /** Time spent inside the fake STT's push() (its VAD), total, and as % of one core. */
  vadMs: number;
  vadPct: number;
  outboundMedia: number;
  clears: number;
}

/**
 * Milliseconds on the system's monotonic clock (CLOCK_MONOTONIC through libuv's hrtime): the same clock in
 * every process of this machine, so a stamp taken in one process can be subtracted from one taken in
 * another. performance.now() is on that clock too, offset by the process's start.
 */
const OFFSET = Number(process.hrtime.bigint()) / 1e6 - performance.now();
export function mono(): number {
  return performance.now() + OFFSET;
}

/** Resolution of the event-loop delay monitors (ms). */
export const ELD_RESOLUTION_MS = 5;

/**
 * An event-loop delay histogram as ms of delay: monitorEventLoopDelay records the time between its timer's
 * runs, so an idle loop reads ≈ the resolution; that is taken off.
 */
export function eventLoopDelay(h: IntervalHistogram): Summary {
  const ms = (ns: number): number => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS);
  return {
    n: h.count,
    p50: ms(h.percentile(50)),
    p95: ms(h.percentile(95)),
    p99: ms(h.percentile(99)),
    max: ms(h.max),
    mean: ms(h.mean),
  };
}

export function summarize(values: ArrayLike<number>): Summary {
  const n = values.length;
  if (!n) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(values).sort();
  const q = (p: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return { n, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: sorted[n - 1]!, mean: sum / n };
}

/** A growable list of numbers (samples), cheap to append to on a hot path. */
export class Samples {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  clear(): void {
    this.length = 0;
  }

  summary(): Summary {
    return summarize(this.data.subarray(0, this.length));
  }
}
