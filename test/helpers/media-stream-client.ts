import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { signTwilioRequest } from '../../src/integrations/twilio/twilio.ts';
import { MULAW_SILENCE, mulawDurationMs } from '../../src/voice/audio/mulaw.ts';
import { mulawTone } from '../../src/voice/audio/signal.ts';
import { WAIT_MS } from './wait.ts';

const FRAME_MS = 20;
const FRAME_BYTES = 160;

export interface MediaStreamClientOptions {
  /** ws://host:port/twilio/media-stream */
  url: string;
  callSid: string;
  /** Sent as start.customParameters.callToken (with `customParameters`). */
  callToken?: string;
  customParameters?: Record<string, string>;
  /** Where `say` declares what its audio means, before sending it (e.g. FakeSpeechToText.queueTranscript). */
  transcripts?: (callSid: string, text: string) => void;
  /** Signs the upgrade with X-Twilio-Signature for this public wss URL, as Twilio does. */
  sign?: { authToken: string; url: string };
  /** Echo marks once the audio before them has played (Twilio's behaviour). Default true. */
  echoMarks?: boolean;
}

/** What the server sent, in order, with when it arrived (ms, Date.now()). */
export type Received =
  | { at: number; event: 'media'; streamSid: string; bytes: number }
  | { at: number; event: 'mark'; streamSid: string; name: string }
  | { at: number; event: 'clear'; streamSid: string };

/** One stretch of agent audio: the media before a mark (or before a clear cut it). */
export interface Played {
  /** The mark that ended it; null while open or when a clear cut it. */
  mark: string | null;
  bytes: number;
  ms: number;
  /** When its mark was echoed (the audio had played), or null. */
  echoedAt: number | null;
  cleared: boolean;
}

/**
 * Plays Twilio's side of a bidirectional Media Stream over a real WebSocket: `connected`, then `start`
 * (streamSid, callSid, customParameters, μ-law 8 kHz), then one 160-byte `media` frame every 20 ms in real
 * time (silence unless `say` is speaking), then `stop`. Agent audio is "played" on a clock: each mark is
 * echoed when the audio sent before it would have finished playing; `clear` drops the rest and echoes the
 * dropped marks at once, like Twilio.
 */
export class MediaStreamClient {
  readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;
  readonly received: Received[] = [];
  /** Names of the marks echoed because their audio played (not those a clear dropped), in order. */
  readonly echoed: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly stretches: Played[] = [];
  private readonly socket: WebSocket;
  private readonly changes = new EventEmitter();
  private seq = 0;
  private chunk = 0;
  private startedAt = 0;
  private clock: NodeJS.Timeout | null = null;
  private frames: { frame: Buffer; sent?: () => void }[] = [];
  private playEnd = 0;
  private echoTimers = new Map<string, NodeJS.Timeout>();
  private isClosed = false;

  private constructor(private readonly opts: MediaStreamClientOptions) {
    const headers = opts.sign
      ? { 'x-twilio-signature': signTwilioRequest(opts.sign.authToken, opts.sign.url, {}) }
      : {};
    this.socket = new WebSocket(opts.url, { headers });
    this.socket.on('message', (data) => this.onMessage(data.toString()));
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => {
        this.isClosed = true;
        this.stopClock();
        for (const timer of this.echoTimers.values()) clearTimeout(timer);
        // A caller cut off mid-sentence: whoever waits for the rest of `say` is told it is over.
        for (const pending of this.frames) pending.sent?.();
        this.frames = [];
        resolve({ code, reason: reason.toString() });
        this.changed();
      });
    });
  }

  /** Connects, sends `connected` and `start`, and starts the 20 ms caller-audio clock. */
  static async connect(opts: MediaStreamClientOptions): Promise<MediaStreamClient> {
    const client = new MediaStreamClient(opts);
    await new Promise<void>((resolve, reject) => {
      client.socket.once('open', resolve);
      client.socket.once('error', reject);
    });
    client.start();
    return client;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** The agent audio received so far, stretch by stretch (a mark or a clear ends each). */
  get played(): Played[] {
    return this.stretches.filter((p) => p.mark !== null || p.bytes > 0);
  }

  /** All agent audio received, in bytes. */
  get mediaBytes(): number {
    return this.stretches.reduce((sum, p) => sum + p.bytes, 0);
  }

  get clears(): number {
    return this.received.filter((r) => r.event === 'clear').length;
  }

  /**
   * The caller says `text`: declares it to `transcripts`, then sends `speechMs` of loud audio and
   * `silenceMs` of silence (which ends the utterance for voice activity detection). Resolves when the
   * last of those frames has been sent (or the socket closed).
   */
  say(
    text: string,
    { speechMs = 600, silenceMs = 600, audio }: { speechMs?: number; silenceMs?: number; audio?: Buffer } = {},
  ): Promise<void> {
    this.opts.transcripts?.(this.opts.callSid, text);
    const speech = Math.round(speechMs / FRAME_MS);
    const frames: Buffer[] = [];
    // Real speech when given (e.g. espeak-ng via callerSpeech), else a loud tone of `speechMs`.
    if (audio)
      for (let at = 0; at + FRAME_BYTES <= audio.length; at += FRAME_BYTES)
        frames.push(audio.subarray(at, at + FRAME_BYTES));
    else
      for (let i = 0; i < speech; i++)
        frames.push(mulawTone(FRAME_MS, { hz: 300, dbfs: -12, offset: i * FRAME_BYTES }));
    for (let i = 0; i < Math.round(silenceMs / FRAME_MS); i++) frames.push(Buffer.alloc(FRAME_BYTES, MULAW_SILENCE));
    return new Promise((resolve) => {
      frames.forEach((frame, i) => this.frames.push(i === frames.length - 1 ? { frame, sent: resolve } : { frame }));
      if (!frames.length) resolve();
    });
  }

  /**
   * Sound without words (a cough, a door): `ms` of loud audio, then `silenceMs` of silence, declaring no
   * transcript. Resolves when the last frame has been sent.
   */
  noise(ms: number, silenceMs = 600): Promise<void> {
    const frames: Buffer[] = [];
    for (let i = 0; i < Math.round(ms / FRAME_MS); i++)
      frames.push(mulawTone(FRAME_MS, { hz: 450, dbfs: -15, offset: i * FRAME_BYTES }));
    for (let i = 0; i < Math.round(silenceMs / FRAME_MS); i++) frames.push(Buffer.alloc(FRAME_BYTES, MULAW_SILENCE));
    return new Promise((resolve) => {
      frames.forEach((frame, i) => this.frames.push(i === frames.length - 1 ? { frame, sent: resolve } : { frame }));
      if (!frames.length) resolve();
    });
  }

  dtmf(digit: string): void {
    this.send({ event: 'dtmf', streamSid: this.streamSid, dtmf: { track: 'inbound_track', digit } });
  }

  /** Twilio's last frame (the caller hung up), then the socket closes. */
  async stop(): Promise<void> {
    this.stopClock();
    this.send({ event: 'stop', streamSid: this.streamSid, stop: { accountSid: 'ACtest', callSid: this.opts.callSid } });
    this.socket.close(1000);
    await this.closed;
  }

  /** Waits until `ready()` holds (checked whenever something arrives), or fails after `timeoutMs`. */
  until(ready: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!ready()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.changes.off('change', check);
      };
      this.changes.on('change', check);
    });
  }

  /** Waits for the n-th mark (1-based) to be echoed, i.e. its audio to have played. */
  async markPlayed(n: number, timeoutMs?: number): Promise<Played> {
    await this.until(
      () => this.stretches.filter((p) => p.echoedAt !== null).length >= n,
      `mark #${n} played`,
      timeoutMs,
    );
    return this.stretches.filter((p) => p.echoedAt !== null)[n - 1]!;
  }

  private start(): void {
    this.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.send({
      event: 'start',
      streamSid: this.streamSid,
      start: {
        streamSid: this.streamSid,
        accountSid: 'ACtest',
        callSid: this.opts.callSid,
        tracks: ['inbound'],
        customParameters: {
          ...this.opts.customParameters,
          ...(this.opts.callToken !== undefined ? { callToken: this.opts.callToken } : {}),
        },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    this.startedAt = Date.now();
    this.tick();
  }

  /** Sends every frame due by now (catching up after a stall), then sleeps until the next one. */
  private tick(): void {
    const due = Math.floor((Date.now() - this.startedAt) / FRAME_MS) + 1;
    while (this.chunk < due && this.isOpen) {
      const next = this.frames.shift();
      this.sendFrame(next?.frame ?? Buffer.alloc(FRAME_BYTES, MULAW_SILENCE));
      next?.sent?.();
    }
    if (!this.isOpen) return;
    this.clock = setTimeout(() => this.tick(), this.startedAt + this.chunk * FRAME_MS - Date.now());
  }

  private sendFrame(frame: Buffer): void {
    const chunk = ++this.chunk;
    this.send({
      event: 'media',
      streamSid: this.streamSid,
      media: {
        track: 'inbound',
        chunk: String(chunk),
        timestamp: String((chunk - 1) * FRAME_MS),
        payload: frame.toString('base64'),
      },
    });
  }

  private stopClock(): void {
    if (this.clock) clearTimeout(this.clock);
    this.clock = null;
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const numbered = message.event === 'connected' ? message : { ...message, sequenceNumber: String(++this.seq) };
    this.socket.send(JSON.stringify(numbered));
  }

  private onMessage(raw: string): void {
    const msg = JSON.parse(raw) as {
      event: string;
      streamSid: string;
      media?: { payload: string };
      mark?: { name: string };
    };
    const at = Date.now();
    if (msg.event === 'media') {
      const bytes = Buffer.from(msg.media!.payload, 'base64').length;
      this.received.push({ at, event: 'media', streamSid: msg.streamSid, bytes });
      this.openStretch().bytes += bytes;
      this.openStretch().ms += mulawDurationMs(bytes);
      this.playEnd = Math.max(this.playEnd, at) + mulawDurationMs(bytes);
    } else if (msg.event === 'mark') {
      const name = msg.mark!.name;
      this.received.push({ at, event: 'mark', streamSid: msg.streamSid, name });
      const stretch = this.openStretch();
      stretch.mark = name;
      this.stretches.push({ mark: null, bytes: 0, ms: 0, echoedAt: null, cleared: false });
      if (this.opts.echoMarks !== false) {
        const timer = setTimeout(() => this.echo(stretch), Math.max(0, this.playEnd - at));
        this.echoTimers.set(name, timer);
      }
    } else if (msg.event === 'clear') {
      this.received.push({ at, event: 'clear', streamSid: msg.streamSid });
      this.playEnd = at;
      for (const stretch of this.stretches.filter((p) => p.echoedAt === null && !p.cleared)) {
        stretch.cleared = true;
        if (stretch.mark) {
          clearTimeout(this.echoTimers.get(stretch.mark));
          this.echoTimers.delete(stretch.mark);
          this.sendEcho(stretch.mark);
        }
      }
      this.stretches.push({ mark: null, bytes: 0, ms: 0, echoedAt: null, cleared: false });
    }
    this.changed();
  }

  private echo(stretch: Played): void {
    this.echoTimers.delete(stretch.mark!);
    stretch.echoedAt = Date.now();
    this.echoed.push(stretch.mark!);
    this.sendEcho(stretch.mark!);
    this.changed();
  }

  private sendEcho(name: string): void {
    this.send({ event: 'mark', streamSid: this.streamSid, mark: { name } });
  }

  /** The stretch of agent audio not yet ended by a mark or a clear. */
  private openStretch(): Played {
    if (!this.stretches.length) this.stretches.push({ mark: null, bytes: 0, ms: 0, echoedAt: null, cleared: false });
    return this.stretches.at(-1)!;
  }

  private changed(): void {
    this.changes.emit('change');
  }
}
