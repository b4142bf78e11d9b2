import { EventEmitter } from 'node:events';
import type { SpeechToText, SttEvents, SttOpenOptions, SttStream } from '../../call-runtime/speech.port.ts';
import { mulawBytesFor } from '../audio/mulaw.ts';
import { mulawLevelDbfs } from '../audio/signal.ts';

export interface FakeSttOptions {
  /**
   * Utterances heard in order, shared by every stream, once a call has nothing queued of its own
   * (see `queueTranscript`).
   */
  script?: string[];
  /** Text of an utterance nothing was queued or scripted for; by default such an utterance has no `final`. */
  fallbackText?: string | null;
  /** A 20 ms frame at or above this RMS level (dBFS) is voiced. Default −40. */
  thresholdDbfs?: number;
  /** Voiced time before `speechStarted`; shorter blips are ignored. Default 60 ms. */
  startMs?: number;
  /**
   * Unvoiced time that ends an utterance (`speechStopped`, then `final`). Default 500 ms. `setEndpointing`
   * changes it for the stream (unless `honourEndpointing` is false).
   */
  stopMs?: number;
  /** Whether `setEndpointing(ms)` replaces `stopMs` for the stream, as a vendor recognizer would. Default true. */
  honourEndpointing?: boolean;
  /** Wall-clock delay from `speechStopped` to `final`. Default 0: `final` follows at once. */
  latencyMs?: number;
  /** One more word of the utterance's text appears in a `partial` per this much speech. 0: no partials. Default 300 ms. */
  msPerPartialWord?: number;
}

const FRAME_MS = 20;
const FRAME_BYTES = mulawBytesFor(FRAME_MS);
const EMPTY = Buffer.alloc(0);

/**
 * A speech-to-text stand-in with real voice activity detection and scripted words. Speech segments come
 * from the audio's energy (decoded μ-law, RMS per 20 ms frame), timed by the audio itself (frames, not the
 * wall clock), so results are deterministic. What a segment *says* cannot come from the audio: it is
 * taken, when the segment starts (else when it ends), from the call's own queue (`queueTranscript`, which a
 * test or test client fills before it sends the audio), else from the shared `script`, else `fallbackText`.
 */
export class FakeSpeechToText implements SpeechToText {
  readonly name = 'fake';
  private readonly queues = new Map<string, string[]>();
  private readonly script: string[];

  constructor(private readonly options: FakeSttOptions = {}) {
    this.script = [...(options.script ?? [])];
  }

  /** The next utterance(s) the call's caller will say, in order. */
  queueTranscript(callSid: string, ...texts: string[]): void {
    const queue = this.queues.get(callSid) ?? [];
    queue.push(...texts);
    this.queues.set(callSid, queue);
  }

  open(opts: SttOpenOptions): SttStream {
    return new FakeSttStream(this.options, () => this.nextText(opts.callSid));
  }

  private nextText(callSid: string): string | null {
    const own = this.queues.get(callSid);
    const text = own?.shift() ?? this.script.shift() ?? null;
    if (own && !own.length) this.queues.delete(callSid);
    return text;
  }
}

class FakeSttStream extends EventEmitter<SttEvents> implements SttStream {
  private readonly thresholdDbfs: number;
  private readonly startFrames: number;
  private stopFrames: number;
  private pending = EMPTY;
  private voicedRun = 0;
  private unvoicedRun = 0;
  private speaking = false;
  private speechFrames = 0;
  private text: string | null = null;
  private wordsShown = 0;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: FakeSttOptions,
    private readonly nextText: () => string | null,
  ) {
    super();
    this.thresholdDbfs = options.thresholdDbfs ?? -40;
    this.startFrames = Math.max(1, Math.ceil((options.startMs ?? 60) / FRAME_MS));
    this.stopFrames = Math.max(1, Math.ceil((options.stopMs ?? 500) / FRAME_MS));
  }

  setEndpointing(silenceMs: number): void {
    if (this.options.honourEndpointing === false || !Number.isFinite(silenceMs) || silenceMs <= 0) return;
    this.stopFrames = Math.max(1, Math.ceil(silenceMs / FRAME_MS));
  }

  push(mulawFrame: Buffer): void {
    if (this.closed) return;
    let audio = this.pending.length ? Buffer.concat([this.pending, mulawFrame]) : mulawFrame;
    while (audio.length >= FRAME_BYTES) {
      this.frame(mulawLevelDbfs(audio.subarray(0, FRAME_BYTES)) >= this.thresholdDbfs);
      audio = audio.subarray(FRAME_BYTES);
    }
    this.pending = audio.length ? Buffer.from(audio) : EMPTY;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.removeAllListeners();
  }

  private frame(voiced: boolean): void {
    if (!this.speaking) {
      this.voicedRun = voiced ? this.voicedRun + 1 : 0;
      if (this.voicedRun >= this.startFrames) this.start();
      return;
    }
    this.speechFrames++;
    this.unvoicedRun = voiced ? 0 : this.unvoicedRun + 1;
    if (this.unvoicedRun >= this.stopFrames) this.stop();
    else if (voiced) this.showPartial();
  }

  private start(): void {
    this.speaking = true;
    this.speechFrames = this.voicedRun;
    this.voicedRun = 0;
    this.unvoicedRun = 0;
    this.text = this.nextText();
    this.wordsShown = 0;
    this.emit('speechStarted');
    this.showPartial();
  }

  private showPartial(): void {
    const perWord = this.options.msPerPartialWord ?? 300;
    if (!perWord || !this.text) return;
    const words = this.text.split(/\s+/).filter(Boolean);
    const shown = Math.min(words.length, Math.floor((this.speechFrames * FRAME_MS) / perWord));
    if (shown <= this.wordsShown) return;
    this.wordsShown = shown;
    this.emit('partial', words.slice(0, shown).join(' '));
  }

  private stop(): void {
    this.speaking = false;
    const text = this.text ?? this.nextText() ?? this.options.fallbackText ?? null;
    this.text = null;
    this.emit('speechStopped');
    if (!text) return;
    const latency = this.options.latencyMs ?? 0;
    if (latency <= 0) {
      this.emit('final', text);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) this.emit('final', text);
    }, latency);
    this.timers.add(timer);
  }
}
