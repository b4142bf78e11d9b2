/**
 * One caller of the load generator, driven a 20 ms frame at a time by the load's shared clock: its call's
 * state and script — listen to the greeting, then in turn pause, speak (loud frames, then silence that ends the
 * utterance for the recognizer's VAD) and listen to the reply, talking over some replies (barge-in) — the marks
 * it echoes once their audio has played, and what it measures from the server's messages. In echo mode it only
 * sends tagged quiet frames and times their echoes (bench/lib/echo-frames.ts).
 */
import WebSocket from 'ws';
import { MULAW_SILENCE } from '../../src/voice/audio/mulaw.ts';
import { mulawTone } from '../../src/voice/audio/signal.ts';
import { EchoLedger, echoedChunk, taggedFrame } from './echo-frames.ts';
import type { LoadMetrics } from './load-metrics.ts';
import { FRAME_BYTES, FRAME_MS, mono } from './shared.ts';
import {
  connectedMessage,
  hangUp,
  markMessage,
  mediaMessage,
  startMessage,
  type StreamParameters,
} from './twilio-media-stream.ts';

/** How callers behave. */
export interface CallerBehaviour {
  /** Each call lasts a random time in this range, then hangs up and a new call takes its place. */
  callMs: [number, number];
  /** Share of agent replies the caller talks over (barge-in). */
  bargeIn: number;
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

/** What all callers of one load share. */
export interface CallerContext {
  readonly behaviour: CallerBehaviour;
  readonly metrics: LoadMetrics;
  /** The fakes' STT + brain + TTS latencies, taken off the caller's turn figure. */
  readonly turnFakeMs: number;
  /** Whether the load is hanging every call up (a call that has run its length is then not replaced). */
  stopping(): boolean;
  /** Hangs a call that has run its length up and starts another in its place. */
  replace(call: Caller): void;
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
const PAYLOAD_AT = '"payload":"';
const BENCH_T = '"benchT":';
const TURN_FROM = '"benchTurnFrom":';

const rand = (lo: number, hi: number): number => lo + Math.random() * (hi - lo);
const randInt = (lo: number, hi: number): number => Math.floor(rand(lo, hi + 1));

export class Caller {
  state: State = 'connecting';
  socket: WebSocket | null = null;
  private readonly streamSid: string;
  private seq = 0;
  private chunk = 0;
  private startSentAt = 0;
  private endAt = 0;
  /** When the agent's audio received so far will have played. */
  private playEnd = 0;
  private lastMediaAt = 0;
  private marks: PendingMark[] = [];
  /** Caller talk in progress. */
  private loudLeft = 0;
  private loudSent = 0;
  private waitingSince = 0;
  private nextAt = 0;
  private bargeAt: number | null = null;
  private barging = false;
  private readonly echoes = new EchoLedger();

  constructor(
    readonly callSid: string,
    /** Which of the shared clock's slots sends this call's frames. */
    readonly slot: number,
    private readonly ctx: CallerContext,
  ) {
    this.streamSid = `MZ${callSid.slice(2)}`;
  }

  /** The stream is open: `connected` and `start`; the caller now waits for the greeting. */
  begin(params: StreamParameters): void {
    const socket = this.socket!;
    socket.send(connectedMessage());
    this.startSentAt = mono();
    socket.send(startMessage(++this.seq, this.streamSid, this.callSid, params));
    this.state = 'greeting';
    this.waitingSince = this.startSentAt;
    this.endAt = this.startSentAt + rand(...this.ctx.behaviour.callMs);
  }

  /** Hangs up on the open `socket`: `stop`, then close. */
  hangUp(socket: WebSocket): Promise<void> {
    return hangUp(socket, ++this.seq, this.streamSid, this.callSid);
  }

  /** Echo mode: frames of the window whose echo has not come and is already late at `now`. */
  overdueEchoes(now: number): number {
    const { metrics, behaviour } = this.ctx;
    return this.echoes.overdue(metrics.windowAt, now, behaviour.lateMs ?? 100);
  }

  /** One 20 ms step: echo the marks whose audio has played, move the script on, send the frame. */
  step(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const { metrics, behaviour } = this.ctx;
    const now = mono();
    while (this.marks.length && this.marks[0]!.due <= now) this.echoMark(this.marks.shift()!.name);
    if (behaviour.echo) {
      if (!this.replacedAt(now)) this.sendFrame(socket);
      return;
    }

    switch (this.state) {
      case 'greeting':
      case 'waiting':
        if (now - this.waitingSince > NO_REPLY_MS) {
          if (metrics.recording) metrics.turnsNoReply++;
          this.toPause(now);
        }
        break;
      case 'agent':
        if (this.bargeAt !== null && now >= this.bargeAt) {
          this.bargeAt = null;
          // Talk over the reply only while enough of it is left for the barge-in policy to decide.
          if (this.playEnd - now > 1_000) {
            this.barging = true;
            if (metrics.recording) metrics.bargeInsTried++;
            this.talk();
          }
        } else if (!this.marks.length && now >= this.playEnd && now - this.lastMediaAt >= 300) {
          this.toPause(now);
        }
        break;
      case 'pause':
        if (now >= this.nextAt) {
          if (this.replacedAt(now)) return;
          this.talk();
        }
        break;
      default:
        break;
    }
    this.sendFrame(socket);
  }

  /** Whether the call has run its length and has been replaced (not while the load is stopping). */
  private replacedAt(now: number): boolean {
    if (now < this.endAt || this.ctx.stopping()) return false;
    this.ctx.replace(this);
    return true;
  }

  private toPause(now: number): void {
    this.state = 'pause';
    this.nextAt = now + rand(...(this.ctx.behaviour.pauseMs ?? [400, 1500]));
  }

  private talk(): void {
    this.state = 'talking';
    this.loudLeft = randInt(...(this.ctx.behaviour.utteranceFrames ?? [30, 70]));
    this.loudSent = 0;
  }

  private sendFrame(socket: WebSocket): void {
    const { metrics } = this.ctx;
    let payload = SILENCE_B64;
    const sentAt = mono();
    if (this.state === 'talking') {
      payload = LOUD_B64[this.loudSent++ % LOUD_B64.length]!;
      // Then silence, for as long as the server's endpointing wants, until the reply comes.
      if (--this.loudLeft <= 0) {
        this.state = 'waiting';
        this.waitingSince = sentAt;
      }
    }
    const chunk = ++this.chunk;
    if (this.ctx.behaviour.echo) {
      const lost = this.echoes.record(chunk, sentAt);
      if (lost !== null && metrics.inWindow(lost)) metrics.echoMissing++;
      payload = taggedFrame(chunk & 0xffff);
    }
    socket.send(mediaMessage(++this.seq, chunk, payload, this.streamSid, sentAt));
    if (metrics.recording) metrics.framesSent++;
  }

  private echoMark(name: string): void {
    this.socket?.send(markMessage(++this.seq, this.streamSid, name));
  }

  // ---- what the server sends ----

  onMessage(data: Buffer): void {
    const { metrics, behaviour } = this.ctx;
    const at = mono();
    const text = data.toString('latin1');
    if (text.startsWith('{"event":"media"')) {
      const from = text.indexOf(PAYLOAD_AT) + PAYLOAD_AT.length;
      const to = text.indexOf('"', from);
      const b64 = to - from;
      const bytes = (b64 * 3) / 4 - (text[to - 1] === '=' ? (text[to - 2] === '=' ? 2 : 1) : 0);
      const t = text.lastIndexOf(BENCH_T);
      if (metrics.recording) {
        metrics.mediaReceived++;
        if (t >= 0) metrics.outboundLeg.push(at - Number(text.slice(t + BENCH_T.length, text.indexOf('}', t))));
      }
      if (behaviour.echo && this.onEcho(at, text.slice(from, from + 8))) {
        this.playEnd = Math.max(this.playEnd, at) + (bytes * 1000) / 8_000;
        return;
      }
      const f = text.lastIndexOf(TURN_FROM);
      this.onMedia(at, bytes, f > to ? Number(text.slice(f + TURN_FROM.length, text.indexOf(',', f))) : null);
      return;
    }
    const msg = JSON.parse(text) as {
      event?: string;
      mark?: { name?: string };
      benchSpeechFrom?: number;
      benchDecidedFrom?: number;
    };
    if (msg.event === 'mark' && msg.mark?.name) {
      this.marks.push({ name: msg.mark.name, due: Math.max(this.playEnd, at) });
    } else if (msg.event === 'clear') {
      // Twilio drops the queued audio and echoes the marks that were waiting for it.
      this.playEnd = at;
      for (const mark of this.marks.splice(0)) this.echoMark(mark.name);
      this.barging = false;
      if (metrics.recording) {
        if (msg.benchDecidedFrom !== undefined) metrics.bargeInDecision.push(at - msg.benchDecidedFrom);
        if (msg.benchSpeechFrom !== undefined) metrics.bargeInFromSpeech.push(at - msg.benchSpeechFrom);
      }
    }
  }

  /** Echo mode: is this agent frame the echo of a caller frame? If so, its round trip is measured. */
  private onEcho(at: number, b64Head: string): boolean {
    const n = echoedChunk(b64Head);
    if (n === null) return false;
    const sentAt = this.echoes.acknowledge(n);
    const { metrics, behaviour } = this.ctx;
    if (sentAt !== null && metrics.inWindow(sentAt)) {
      const rt = at - sentAt;
      metrics.echoRoundTrip.push(rt);
      if (rt > (behaviour.lateMs ?? 100)) metrics.echoLate++;
    }
    return true;
  }

  /** Agent audio; `turnFrom`: the server says it starts a reply to the utterance that frame ended. */
  private onMedia(at: number, bytes: number, turnFrom: number | null): void {
    const { metrics, behaviour } = this.ctx;
    const ms = (bytes * 1000) / 8_000;
    if (turnFrom !== null && metrics.recording) metrics.turnAdded.push(at - turnFrom - this.ctx.turnFakeMs);
    if (this.state === 'greeting') {
      metrics.greeting.push(at - this.startSentAt);
      this.state = 'agent';
    } else if (this.state === 'waiting') {
      if (this.barging) {
        // The barge-in utterance is answered, and nothing cut the reply it talked over.
        this.barging = false;
        if (metrics.recording) metrics.bargeInsMissed++;
      }
      this.state = 'agent';
      this.bargeAt = Math.random() < behaviour.bargeIn ? at + rand(250, 1_000) : null;
    } else if (this.state === 'agent' && at > this.playEnd && metrics.recording && !behaviour.echo) {
      // The caller's buffer ran dry in the middle of a reply: they heard a gap.
      metrics.gaps++;
      metrics.gapMs += at - this.playEnd;
      metrics.gapFrames += Math.ceil((at - this.playEnd) / FRAME_MS);
    }
    this.playEnd = Math.max(this.playEnd, at) + ms;
    this.lastMediaAt = at;
  }
}
