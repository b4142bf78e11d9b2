/**
 * What the load generator measures: the samples and counts its callers record during the measurement window (and
 * the greeting latencies and call counts of the whole run), the process's own CPU and event-loop delay over the
 * window, and the ClientReport they add up to.
 */
import { cpuUsage } from 'node:process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ELD_RESOLUTION_MS, eventLoopDelay, mono, Samples, type Summary } from './shared.ts';

/** What the load generator measured over the window (ms). */
export interface ClientReport {
  wallMs: number;
  cpuPct: number;
  eventLoopDelay: Summary;
  /** How late the shared timer's ticks ran (a busy load generator sends late). */
  tickLag: Summary;
  callsStarted: number;
  callsActive: number;
  callsFailed: number;
  errors: string[];
  framesSent: number;
  /**
   * Per turn, as the caller sees it: the frame that ended the utterance for the VAD was sent → the reply's
   * first media arrived, minus the fakes' STT + brain + TTS latencies (the server names that frame).
   */
  turnAdded: Summary;
  turnsNoReply: number;
  /** Barge-in, as the caller sees it: the caller frame the server decided on was sent → `clear` arrived. */
  bargeInDecision: Summary;
  /** Barge-in from speech start: the frame that started the utterance was sent → `clear` arrived. */
  bargeInFromSpeech: Summary;
  bargeInsTried: number;
  /** Barge-ins whose utterance got its reply with no `clear` before it. */
  bargeInsMissed: number;
  /** `start` sent → the greeting's first media arrived (all calls of the run, ramp included). */
  greeting: Summary;
  /** Server wrote an agent media message → it arrived here. */
  outboundLeg: Summary;
  /** Agent audio underruns inside a reply: media arriving after the audio before it had finished playing. */
  gaps: number;
  gapFrames: number;
  gapMs: number;
  mediaReceived: number;
  /** Echo mode: caller frame sent → its echo (an agent media message) received. */
  echoRoundTrip: Summary;
  /** Echo mode: frames whose echo came later than `lateMs`, or not at all. */
  echoLate: number;
  echoMissing: number;
}

/** The load generator's measurements; callers add to the window's only while `recording`. */
export class LoadMetrics {
  recording = false;
  /** When the window started (monotonic ms). */
  windowAt = 0;
  readonly turnAdded = new Samples();
  readonly bargeInDecision = new Samples();
  readonly bargeInFromSpeech = new Samples();
  /** Not cleared at the window's start: all calls of the run. */
  readonly greeting = new Samples();
  readonly outboundLeg = new Samples();
  readonly tickLag = new Samples();
  readonly echoRoundTrip = new Samples();
  echoLate = 0;
  echoMissing = 0;
  /** The run's, not the window's. */
  callsStarted = 0;
  callsFailed = 0;
  private readonly errors: string[] = [];
  framesSent = 0;
  turnsNoReply = 0;
  bargeInsTried = 0;
  bargeInsMissed = 0;
  gaps = 0;
  gapFrames = 0;
  gapMs = 0;
  mediaReceived = 0;
  private readonly eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  private windowCpu: NodeJS.CpuUsage = cpuUsage();

  /** A call failed (counted for the whole run; the first 20 reasons kept). */
  fail(callSid: string, what: string): void {
    this.callsFailed++;
    if (this.errors.length < 20) this.errors.push(`${callSid}: ${what}`);
  }

  /** Whether something sent at `sentAt` belongs to the window being recorded. */
  inWindow(sentAt: number): boolean {
    return this.recording && sentAt >= this.windowAt;
  }

  /** Clears the window's samples and counts, and starts recording. */
  startWindow(): void {
    for (const s of [
      this.turnAdded,
      this.bargeInDecision,
      this.bargeInFromSpeech,
      this.outboundLeg,
      this.tickLag,
      this.echoRoundTrip,
    ])
      s.clear();
    this.echoLate = this.echoMissing = 0;
    this.framesSent = this.turnsNoReply = this.bargeInsTried = this.bargeInsMissed = 0;
    this.gaps = this.gapFrames = this.gapMs = this.mediaReceived = 0;
    this.eld.reset();
    this.eld.enable();
    this.windowAt = mono();
    this.windowCpu = cpuUsage();
    this.recording = true;
  }

  /**
   * Stops recording and reports the window. `settle` runs at the window's end (`now`), before the report is made,
   * for what can only be counted then; `callsActive` is the number of calls up.
   */
  endWindow(settle: (now: number) => void, callsActive: () => number): ClientReport {
    const cpu = cpuUsage(this.windowCpu);
    const now = mono();
    const wallMs = now - this.windowAt;
    this.recording = false;
    settle(now);
    this.eld.disable();
    return {
      wallMs,
      cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
      eventLoopDelay: eventLoopDelay(this.eld),
      tickLag: this.tickLag.summary(),
      callsStarted: this.callsStarted,
      callsActive: callsActive(),
      callsFailed: this.callsFailed,
      errors: this.errors.slice(0, 5),
      framesSent: this.framesSent,
      turnAdded: this.turnAdded.summary(),
      turnsNoReply: this.turnsNoReply,
      bargeInDecision: this.bargeInDecision.summary(),
      bargeInFromSpeech: this.bargeInFromSpeech.summary(),
      bargeInsTried: this.bargeInsTried,
      bargeInsMissed: this.bargeInsMissed,
      greeting: this.greeting.summary(),
      outboundLeg: this.outboundLeg.summary(),
      gaps: this.gaps,
      gapFrames: this.gapFrames,
      gapMs: this.gapMs,
      mediaReceived: this.mediaReceived,
      echoRoundTrip: this.echoRoundTrip.summary(),
      echoLate: this.echoLate,
      echoMissing: this.echoMissing,
    };
  }
}
