/**
 * The load generator: N concurrent calls that each play Twilio's side of a bidirectional Media Stream against
 * the call server — the signed `POST /twilio/voice`, then `WS /twilio/media-stream` with `connected`, `start`
 * (the TwiML's callToken) and one 20 ms μ-law `media` frame every 20 ms in real time, echoing each `mark` once
 * the audio sent before it has "played" (a `clear` drops the rest and echoes its marks at once, as Twilio
 * does). Each caller listens to the greeting, then in turn pauses, speaks an utterance (loud frames, then
 * silence that ends it for the recognizer's VAD) and listens to the reply; during some replies it speaks
 * again (barge-in). Calls end after a random length and are replaced, so N stays constant.
 *
 * One shared timer drives every call: it ticks `slots` times per 20 ms and each tick sends the frames of one
 * slot's calls, so frames from different calls are spread over the 20 ms period as independent Twilio calls'
 * are (slots = 1 sends all N frames in one burst). Each caller frame carries `benchT`, the time it was written
 * (monotonic clock, shared with the server process); the server stamps its outbound media the same way.
 *
 * Here: the ramp, the shared clock, and placing, replacing and hanging up calls. One caller's script and what it
 * measures: bench/lib/caller.ts; Twilio's messages: bench/lib/twilio-media-stream.ts; the report:
 * bench/lib/load-metrics.ts.
 */
import WebSocket from 'ws';
import { Caller, type CallerBehaviour, type CallerContext } from './caller.ts';
import { LoadMetrics, type ClientReport } from './load-metrics.ts';
import { FRAME_MS, mono, type Fakes } from './shared.ts';
import { opened, TwilioDialer, type CallServerTarget } from './twilio-media-stream.ts';

export type { ClientReport };

/** The load: where the calls go, how many, how they start, and how each caller behaves. */
export interface LoadOptions extends CallServerTarget, CallerBehaviour {
  calls: number;
  /** Call starts are spread over this long. */
  rampMs: number;
  slots: number;
  fakes: Fakes;
}

export class LoadGenerator {
  private readonly calls = new Set<Caller>();
  private readonly slots: Caller[][];
  private readonly tickMs: number;
  private readonly dialer: TwilioDialer;
  private readonly runTag = Math.random().toString(16).slice(2, 10);
  private readonly metrics = new LoadMetrics();
  private readonly callers: CallerContext;
  private clockStart = 0;
  private tickIndex = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private nextCallIndex = 0;

  constructor(private readonly opts: LoadOptions) {
    this.slots = Array.from({ length: Math.max(1, opts.slots) }, () => []);
    this.tickMs = FRAME_MS / this.slots.length;
    this.dialer = new TwilioDialer(opts);
    this.callers = {
      behaviour: opts,
      metrics: this.metrics,
      turnFakeMs: opts.fakes.sttLatencyMs + opts.fakes.brainFirstTokenMs + opts.fakes.ttsFirstByteMs,
      stopping: () => this.stopping,
      replace: (call) => {
        void this.hangUp(call);
        void this.openCall();
      },
    };
  }

  /** Starts the clock and the ramp; resolves once every call of the ramp has been started (not answered). */
  async start(): Promise<void> {
    this.clockStart = mono();
    this.schedule();
    const { calls, rampMs } = this.opts;
    for (let i = 0; i < calls; i++) {
      const due = this.clockStart + (rampMs * i) / calls;
      const wait = due - mono();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (this.stopping) return;
      void this.openCall();
    }
  }

  get active(): number {
    let n = 0;
    for (const call of this.calls) if (call.state !== 'connecting' && call.state !== 'closed') n++;
    return n;
  }

  windowStart(): void {
    this.metrics.startWindow();
  }

  windowEnd(): ClientReport {
    return this.metrics.endWindow(
      (now) => {
        // Frames of the window whose echo has not come and is already late.
        if (this.opts.echo) for (const call of this.calls) this.metrics.echoMissing += call.overdueEchoes(now);
      },
      () => this.active,
    );
  }

  /** Hangs every call up (`stop`, close) and stops the clock. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const closing = [...this.calls].map((call) => this.hangUp(call));
    await Promise.all(closing);
  }

  // ---- calls ----

  private async openCall(): Promise<void> {
    const index = this.nextCallIndex++;
    const call = new Caller(
      `CA${this.runTag}${String(index).padStart(24, '0')}`,
      index % this.slots.length,
      this.callers,
    );
    this.calls.add(call);
    this.metrics.callsStarted++;
    try {
      const params = await this.dialer.ring(call.callSid);
      if (this.stopping) {
        this.calls.delete(call);
        return;
      }
      const socket = this.dialer.stream();
      call.socket = socket;
      await opened(socket);
      socket.on('message', (data: WebSocket.RawData) => call.onMessage(data as Buffer));
      socket.on('error', () => undefined);
      socket.on('close', (code, reason) => {
        if (call.state !== 'closed')
          this.metrics.fail(call.callSid, `socket closed by the server: ${code} ${reason.toString()}`);
        this.drop(call);
      });
      call.begin(params);
      this.slots[call.slot]!.push(call);
    } catch (err) {
      this.metrics.fail(call.callSid, err instanceof Error ? err.message : String(err));
      this.drop(call);
      if (!this.stopping) setTimeout(() => void this.openCall(), 1_000);
    }
  }

  private drop(call: Caller): void {
    call.state = 'closed';
    this.calls.delete(call);
    const slot = this.slots[call.slot]!;
    const i = slot.indexOf(call);
    if (i >= 0) slot.splice(i, 1);
  }

  private hangUp(call: Caller): Promise<void> {
    const socket = call.state === 'closed' ? null : call.socket;
    this.drop(call);
    return socket?.readyState === WebSocket.OPEN ? call.hangUp(socket) : Promise.resolve();
  }

  // ---- the shared clock ----

  private schedule(): void {
    if (this.stopping) return;
    const due = this.clockStart + this.tickIndex * this.tickMs;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - mono()));
  }

  /** Runs every tick due by now (catching up after a stall): each sends one frame to the calls of its slot. */
  private tick(): void {
    const now = mono();
    while (this.clockStart + this.tickIndex * this.tickMs <= now) {
      const due = this.clockStart + this.tickIndex * this.tickMs;
      if (this.metrics.recording) this.metrics.tickLag.push(mono() - due);
      const slot = this.slots[this.tickIndex % this.slots.length]!;
      this.tickIndex++;
      for (const call of [...slot]) call.step();
    }
    this.schedule();
  }
}
