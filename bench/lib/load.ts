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
 */
import { cpuUsage } from 'node:process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { signTwilioRequest } from '../../src/integrations/twilio/twilio.ts';
import { MULAW_SILENCE } from '../../src/voice/audio/mulaw.ts';
import { mulawTone } from '../../src/voice/audio/signal.ts';
import {
  ELD_RESOLUTION_MS,
  eventLoopDelay,
  FRAME_BYTES,
  FRAME_MS,
  INBOUND_FORM,
  mono,
  Samples,
  type Fakes,
  type Summary,
} from './shared.ts';

export interface LoadOptions {
  /** http://127.0.0.1:port of the call server. */
  base: string;
  /** The server's PUBLIC_URL (what Twilio signs against). */
  publicUrl: string;
  authToken: string;
  lineNumber: string;
  calls: number;
  /** Call starts are spread over this long. */
  rampMs: number;
  /** Each call lasts a random time in this range, then hangs up and a new call takes its place. */
  callMs: [number, number];
  slots: number;
  /** Share of agent replies the caller talks over (barge-in). */
  bargeIn: number;
  fakes: Fakes;
  /** Caller talk: loud frames per utterance, random in this range. */
  utteranceFrames?: [number, number];
  /** Silence after a reply has played before the caller speaks again, ms. */
  pauseMs?: [number, number];
  /**
   * Echo mode (realtime pipeline against the fake Realtime server in load mode, which answers every caller
   * frame with one agent frame of the same bytes): callers only send quiet frames, each tagged with its
   * number in its first bytes, and each frame's round trip is measured from its echo. No turns.
   */
  echo?: boolean;
  /** Echo mode: an echo later than this (or none) is a dropped frame. */
  lateMs?: number;
}

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

type State = 'connecting' | 'greeting' | 'agent' | 'pause' | 'talking' | 'waiting' | 'closed';

interface PendingMark {
  name: string;
  due: number;
}

const NO_REPLY_MS = 8_000;
const SILENCE_B64 = Buffer.alloc(FRAME_BYTES, MULAW_SILENCE).toString('base64');
/** One second of a loud 300 Hz tone (−12 dBFS) as consecutive frames, base64. */
const LOUD_B64 = Array.from({ length: 50 }, (_, i) =>
  mulawTone(FRAME_MS, { hz: 300, dbfs: -12, offset: i * FRAME_BYTES }).toString('base64'),
);
/** Echo mode: a quiet frame whose first 6 bytes are a tag and the frame's number (16 bits, a nibble a byte). */
const TAG = [0xf7, 0xf3];
const ECHO_TAIL_B64 = Buffer.alloc(FRAME_BYTES - 6, MULAW_SILENCE).toString('base64');
const RING = 1024;
function taggedFrame(chunk: number): string {
  const head = Buffer.from([TAG[0]!, TAG[1]!, 0, 0, 0, 0]);
  for (let i = 0; i < 4; i++) head[2 + i] = 0xf0 | ((chunk >> (12 - 4 * i)) & 0xf);
  return head.toString('base64') + ECHO_TAIL_B64;
}
/** The frame number of a tagged frame's echo (its payload's first 8 base64 characters), or null. */
function echoedChunk(b64Head: string): number | null {
  const b = Buffer.from(b64Head, 'base64');
  if (b.length < 6 || b[0] !== TAG[0] || b[1] !== TAG[1]) return null;
  let n = 0;
  for (let i = 0; i < 4; i++) {
    if ((b[2 + i]! & 0xf0) !== 0xf0) return null;
    n = (n << 4) | (b[2 + i]! & 0xf);
  }
  return n;
}
const PAYLOAD_AT = '"payload":"';
const BENCH_T = '"benchT":';
const TURN_FROM = '"benchTurnFrom":';

const rand = (lo: number, hi: number): number => lo + Math.random() * (hi - lo);
const randInt = (lo: number, hi: number): number => Math.floor(rand(lo, hi + 1));

class Call {
  state: State = 'connecting';
  socket: WebSocket | null = null;
  streamSid: string;
  seq = 0;
  chunk = 0;
  startSentAt = 0;
  endAt = 0;
  /** When the agent's audio received so far will have played. */
  playEnd = 0;
  lastMediaAt = 0;
  marks: PendingMark[] = [];
  /** Caller talk in progress. */
  loudLeft = 0;
  loudSent = 0;
  waitingSince = 0;
  nextAt = 0;
  bargeAt: number | null = null;
  barging = false;
  slot: number;
  /** Echo mode: when each of the last RING frames was sent, its number, and whether its echo came. */
  sentAt = new Float64Array(RING);
  sentChunk = new Int32Array(RING).fill(-1);
  echoed = new Uint8Array(RING);

  constructor(
    readonly callSid: string,
    index: number,
    slots: number,
  ) {
    this.streamSid = `MZ${callSid.slice(2)}`;
    this.slot = index % slots;
  }
}

export class LoadGenerator {
  private readonly calls = new Set<Call>();
  private readonly slots: Call[][];
  private readonly tickMs: number;
  private readonly wsUrl: string;
  private readonly wsSignature: string;
  private readonly runTag = Math.random().toString(16).slice(2, 10);
  private readonly turnFakeMs: number;
  private clockStart = 0;
  private tickIndex = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private nextCallIndex = 0;
  private recording = false;
  private readonly eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  private windowAt = 0;
  private windowCpu: NodeJS.CpuUsage = cpuUsage();
  // measurements
  private readonly turnAdded = new Samples();
  private readonly bargeInDecision = new Samples();
  private readonly bargeInFromSpeech = new Samples();
  private readonly greeting = new Samples();
  private readonly outboundLeg = new Samples();
  private readonly tickLag = new Samples();
  private readonly echoRoundTrip = new Samples();
  private echoLate = 0;
  private echoMissing = 0;
  private callsStarted = 0;
  private callsFailed = 0;
  private readonly errors: string[] = [];
  private framesSent = 0;
  private turnsNoReply = 0;
  private bargeInsTried = 0;
  private bargeInsMissed = 0;
  private gaps = 0;
  private gapFrames = 0;
  private gapMs = 0;
  private mediaReceived = 0;

  constructor(private readonly opts: LoadOptions) {
    this.slots = Array.from({ length: Math.max(1, opts.slots) }, () => []);
    this.tickMs = FRAME_MS / this.slots.length;
    this.wsUrl = `${opts.base.replace(/^http/, 'ws')}/twilio/media-stream`;
    this.wsSignature = signTwilioRequest(
      opts.authToken,
      `${opts.publicUrl.replace(/^http/, 'ws')}/twilio/media-stream`,
      {},
    );
    this.turnFakeMs = opts.fakes.sttLatencyMs + opts.fakes.brainFirstTokenMs + opts.fakes.ttsFirstByteMs;
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

  windowEnd(): ClientReport {
    const cpu = cpuUsage(this.windowCpu);
    const now = mono();
    const wallMs = now - this.windowAt;
    this.recording = false;
    if (this.opts.echo) {
      // Frames of the window whose echo has not come and is already late.
      for (const call of this.calls)
        for (let i = 0; i < RING; i++)
          if (call.sentChunk[i]! >= 0 && !call.echoed[i] && this.inWindow(call.sentAt[i]!, now)) this.echoMissing++;
    }
    this.eld.disable();
    return {
      wallMs,
      cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
      eventLoopDelay: eventLoopDelay(this.eld),
      tickLag: this.tickLag.summary(),
      callsStarted: this.callsStarted,
      callsActive: this.active,
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

  /** Sent during the window and due back (lateMs ago or more) by `now`. */
  private inWindow(sentAt: number, now: number): boolean {
    return sentAt >= this.windowAt && now - sentAt > (this.opts.lateMs ?? 100);
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

  private fail(call: Call | null, what: string): void {
    this.callsFailed++;
    if (this.errors.length < 20) this.errors.push(`${call?.callSid ?? '?'}: ${what}`);
  }

  private async openCall(): Promise<void> {
    const index = this.nextCallIndex++;
    const callSid = `CA${this.runTag}${String(index).padStart(24, '0')}`;
    const call = new Call(callSid, index, this.slots.length);
    this.calls.add(call);
    this.callsStarted++;
    try {
      const form = { ...INBOUND_FORM, CallSid: callSid, To: this.opts.lineNumber, Called: this.opts.lineNumber };
      const res = await fetch(`${this.opts.base}/twilio/voice`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioRequest(this.opts.authToken, `${this.opts.publicUrl}/twilio/voice`, form),
        },
        body: new URLSearchParams(form).toString(),
      });
      const twiml = await res.text();
      const param = (name: string): string | undefined =>
        new RegExp(`<Parameter name="${name}" value="([^"]+)"`).exec(twiml)?.[1];
      const callToken = param('callToken');
      if (res.status !== 200 || !callToken) throw new Error(`voice webhook: HTTP ${res.status} ${twiml.slice(0, 200)}`);
      if (this.stopping) {
        this.calls.delete(call);
        return;
      }
      const socket = new WebSocket(this.wsUrl, {
        headers: { 'x-twilio-signature': this.wsSignature },
        perMessageDeflate: false,
      });
      call.socket = socket;
      await new Promise<void>((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      socket.on('message', (data: WebSocket.RawData) => this.onMessage(call, data as Buffer));
      socket.on('error', () => undefined);
      socket.on('close', (code, reason) => {
        if (call.state !== 'closed') this.fail(call, `socket closed by the server: ${code} ${reason.toString()}`);
        this.drop(call);
      });
      socket.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
      call.startSentAt = mono();
      socket.send(
        JSON.stringify({
          event: 'start',
          sequenceNumber: String(++call.seq),
          start: {
            streamSid: call.streamSid,
            accountSid: INBOUND_FORM.AccountSid,
            callSid,
            tracks: ['inbound'],
            customParameters: { callToken, ...(param('agentId') ? { agentId: param('agentId') } : {}) },
            mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
          },
          streamSid: call.streamSid,
        }),
      );
      call.state = 'greeting';
      call.waitingSince = call.startSentAt;
      call.endAt = call.startSentAt + rand(...this.opts.callMs);
      this.slots[call.slot]!.push(call);
    } catch (err) {
      this.fail(call, err instanceof Error ? err.message : String(err));
      this.drop(call);
      if (!this.stopping) setTimeout(() => void this.openCall(), 1_000);
    }
  }

  private drop(call: Call): void {
    call.state = 'closed';
    this.calls.delete(call);
    const slot = this.slots[call.slot]!;
    const i = slot.indexOf(call);
    if (i >= 0) slot.splice(i, 1);
  }

  private hangUp(call: Call): Promise<void> {
    const socket = call.socket;
    if (call.state === 'closed' || !socket) {
      this.drop(call);
      return Promise.resolve();
    }
    this.drop(call);
    if (socket.readyState !== WebSocket.OPEN) return Promise.resolve();
    socket.send(
      JSON.stringify({
        event: 'stop',
        sequenceNumber: String(++call.seq),
        streamSid: call.streamSid,
        stop: { accountSid: INBOUND_FORM.AccountSid, callSid: call.callSid },
      }),
    );
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, 5_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.close(1000);
    });
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
      if (this.recording) this.tickLag.push(mono() - due);
      const slot = this.slots[this.tickIndex % this.slots.length]!;
      this.tickIndex++;
      for (const call of [...slot]) this.step(call);
    }
    this.schedule();
  }

  /** One 20 ms step of a call: echo the marks whose audio has played, move its script on, send its frame. */
  private step(call: Call): void {
    const socket = call.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const now = mono();
    while (call.marks.length && call.marks[0]!.due <= now) this.echo(call, call.marks.shift()!.name);
    if (this.opts.echo) {
      if (now >= call.endAt && !this.stopping) {
        void this.hangUp(call);
        void this.openCall();
        return;
      }
      this.sendFrame(call, socket);
      return;
    }

    switch (call.state) {
      case 'greeting':
      case 'waiting':
        if (now - call.waitingSince > NO_REPLY_MS) {
          if (this.recording) this.turnsNoReply++;
          this.toPause(call, now);
        }
        break;
      case 'agent':
        if (call.bargeAt !== null && now >= call.bargeAt) {
          call.bargeAt = null;
          // Talk over the reply only while enough of it is left for the barge-in policy to decide.
          if (call.playEnd - now > 1_000) {
            call.barging = true;
            if (this.recording) this.bargeInsTried++;
            this.talk(call);
          }
        } else if (!call.marks.length && now >= call.playEnd && now - call.lastMediaAt >= 300) {
          this.toPause(call, now);
        }
        break;
      case 'pause':
        if (now >= call.nextAt) {
          if (now >= call.endAt && !this.stopping) {
            void this.hangUp(call);
            void this.openCall();
            return;
          }
          this.talk(call);
        }
        break;
      default:
        break;
    }
    this.sendFrame(call, socket);
  }

  private toPause(call: Call, now: number): void {
    call.state = 'pause';
    call.nextAt = now + rand(...(this.opts.pauseMs ?? [400, 1500]));
  }

  private talk(call: Call): void {
    call.state = 'talking';
    call.loudLeft = randInt(...(this.opts.utteranceFrames ?? [30, 70]));
    call.loudSent = 0;
  }

  private sendFrame(call: Call, socket: WebSocket): void {
    let payload = SILENCE_B64;
    const sentAt = mono();
    if (call.state === 'talking') {
      payload = LOUD_B64[call.loudSent++ % LOUD_B64.length]!;
      // Then silence, for as long as the server's endpointing wants, until the reply comes.
      if (--call.loudLeft <= 0) {
        call.state = 'waiting';
        call.waitingSince = sentAt;
      }
    }
    const chunk = ++call.chunk;
    if (this.opts.echo) {
      const i = chunk % RING;
      if (this.recording && call.sentChunk[i]! >= 0 && !call.echoed[i] && call.sentAt[i]! >= this.windowAt)
        this.echoMissing++;
      call.sentAt[i] = sentAt;
      call.sentChunk[i] = chunk;
      call.echoed[i] = 0;
      payload = taggedFrame(chunk & 0xffff);
    }
    socket.send(
      `{"event":"media","sequenceNumber":"${++call.seq}","media":{"track":"inbound","chunk":"${chunk}","timestamp":"${(chunk - 1) * FRAME_MS}","payload":"${payload}"},"streamSid":"${call.streamSid}","benchT":${sentAt.toFixed(3)}}`,
    );
    if (this.recording) this.framesSent++;
  }

  private echo(call: Call, name: string): void {
    call.socket?.send(
      JSON.stringify({ event: 'mark', sequenceNumber: String(++call.seq), streamSid: call.streamSid, mark: { name } }),
    );
  }

  // ---- what the server sends ----

  private onMessage(call: Call, data: Buffer): void {
    const at = mono();
    const text = data.toString('latin1');
    if (text.startsWith('{"event":"media"')) {
      const from = text.indexOf(PAYLOAD_AT) + PAYLOAD_AT.length;
      const to = text.indexOf('"', from);
      const b64 = to - from;
      const bytes = (b64 * 3) / 4 - (text[to - 1] === '=' ? (text[to - 2] === '=' ? 2 : 1) : 0);
      const t = text.lastIndexOf(BENCH_T);
      if (this.recording) {
        this.mediaReceived++;
        if (t >= 0) this.outboundLeg.push(at - Number(text.slice(t + BENCH_T.length, text.indexOf('}', t))));
      }
      if (this.opts.echo && this.onEcho(call, at, text.slice(from, from + 8))) {
        call.playEnd = Math.max(call.playEnd, at) + (bytes * 1000) / 8_000;
        return;
      }
      const f = text.lastIndexOf(TURN_FROM);
      this.onMedia(call, at, bytes, f > to ? Number(text.slice(f + TURN_FROM.length, text.indexOf(',', f))) : null);
      return;
    }
    const msg = JSON.parse(text) as {
      event?: string;
      mark?: { name?: string };
      benchSpeechFrom?: number;
      benchDecidedFrom?: number;
    };
    if (msg.event === 'mark' && msg.mark?.name) {
      call.marks.push({ name: msg.mark.name, due: Math.max(call.playEnd, at) });
    } else if (msg.event === 'clear') {
      // Twilio drops the queued audio and echoes the marks that were waiting for it.
      call.playEnd = at;
      for (const mark of call.marks.splice(0)) this.echo(call, mark.name);
      call.barging = false;
      if (this.recording) {
        if (msg.benchDecidedFrom !== undefined) this.bargeInDecision.push(at - msg.benchDecidedFrom);
        if (msg.benchSpeechFrom !== undefined) this.bargeInFromSpeech.push(at - msg.benchSpeechFrom);
      }
    }
  }

  /** Echo mode: is this agent frame the echo of a caller frame? If so, its round trip is measured. */
  private onEcho(call: Call, at: number, b64Head: string): boolean {
    const n = echoedChunk(b64Head);
    if (n === null) return false;
    const i = n % RING;
    if ((call.sentChunk[i]! & 0xffff) !== n || call.echoed[i]) return true;
    call.echoed[i] = 1;
    const rt = at - call.sentAt[i]!;
    if (this.recording && call.sentAt[i]! >= this.windowAt) {
      this.echoRoundTrip.push(rt);
      if (rt > (this.opts.lateMs ?? 100)) this.echoLate++;
    }
    return true;
  }

  /** Agent audio; `turnFrom`: the server says it starts a reply to the utterance that frame ended. */
  private onMedia(call: Call, at: number, bytes: number, turnFrom: number | null): void {
    const ms = (bytes * 1000) / 8_000;
    if (turnFrom !== null && this.recording) this.turnAdded.push(at - turnFrom - this.turnFakeMs);
    if (call.state === 'greeting') {
      this.greeting.push(at - call.startSentAt);
      call.state = 'agent';
    } else if (call.state === 'waiting') {
      if (call.barging) {
        // The barge-in utterance is answered, and nothing cut the reply it talked over.
        call.barging = false;
        if (this.recording) this.bargeInsMissed++;
      }
      call.state = 'agent';
      call.bargeAt = Math.random() < this.opts.bargeIn ? at + rand(250, 1_000) : null;
    } else if (call.state === 'agent' && at > call.playEnd && this.recording && !this.opts.echo) {
      // The caller's buffer ran dry in the middle of a reply: they heard a gap.
      this.gaps++;
      this.gapMs += at - call.playEnd;
      this.gapFrames += Math.ceil((at - call.playEnd) / FRAME_MS);
    }
    call.playEnd = Math.max(call.playEnd, at) + ms;
    call.lastMediaAt = at;
  }
}
