import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TextToSpeech } from '../../call-runtime/speech.port.ts';
import type { Logger } from '../../log.ts';
import { mulawDurationMs } from './mulaw.ts';

/** Where the playout's output goes: the carrier's outbound audio queue (Twilio Media Streams). */
export interface PlayoutSink {
  /** One outbound μ-law chunk, to play after everything sent before it. */
  media(payload: Buffer): void;
  /** A marker after the audio before it; the carrier echoes it back (`played`) once that audio has played. */
  mark(name: string): void;
  /** Drop the carrier's queued audio (barge-in). */
  clear(): void;
}

export interface PlayoutOptions {
  /** Bytes per outbound media message. Default 400 (50 ms); ~40–60 ms avoids audible jitter. */
  chunkBytes?: number;
  /** Audio sent ahead of real time; past it, sending waits for playback. Default 1000 ms. */
  leadMs?: number;
  /** Mark names are `${markPrefix}${n}`. Default "phrase-". */
  markPrefix?: string;
}

type PhraseState = 'queued' | 'sending' | 'sent' | 'played' | 'dropped';

interface Phrase {
  text: string;
  mark: string;
  state: PhraseState;
  audio: Synthesis | null;
  /** The first phrase of its reply, whose first audio has not been sent yet. */
  opensReply: boolean;
  /** When it was handed to synthesis (performance.now()). */
  synthesisAt: number;
}

/**
 * The agent's voice on a media stream. Phrases (the session's sentences) are spoken in order: each is
 * synthesized (the next one while the previous is still being sent), cut into ~50 ms media messages and
 * followed by a mark. Pacing: the first `leadMs` of audio go out as fast as they are made, then at real
 * time, so the carrier's buffer never holds much more than `leadMs` (a `clear` has little to drop and
 * sending stops soon after). A reply is the phrases up to one said with `last`; marks echoed back tell
 * exactly which of its phrases the caller heard.
 */
export class Playout {
  private readonly chunkBytes: number;
  private readonly leadMs: number;
  private readonly markPrefix: string;
  private queue: Phrase[] = [];
  private current: Phrase | null = null;
  private readonly outstanding = new Map<string, Phrase>();
  /** Marks dropped by a clear: the carrier still echoes them, and they do not count as played. */
  private readonly cleared = new Set<string>();
  private reply: Phrase[] = [];
  private replyOpen = false;
  private controller = new AbortController();
  private pumping = false;
  private closed = false;
  private seq = 0;
  /** Wall-clock time (ms) at which the carrier will have played everything sent so far. */
  private playedBy = 0;
  private waiters: { ready: () => boolean; resolve: () => void }[] = [];
  /** Told, for each reply, the time (ms) from its first phrase handed to synthesis to its first audio sent. */
  onReplyFirstByte: ((ms: number) => void) | null = null;

  constructor(
    private readonly tts: TextToSpeech,
    private readonly sink: PlayoutSink,
    options: PlayoutOptions = {},
    private readonly log?: Pick<Logger, 'debug' | 'warn'>,
  ) {
    this.chunkBytes = Math.max(1, options.chunkBytes ?? 400);
    this.leadMs = Math.max(0, options.leadMs ?? 1000);
    this.markPrefix = options.markPrefix ?? 'phrase-';
  }

  /** Queues a phrase of the agent's reply; `last` ends the reply. Empty text only ends it. */
  say(text: string, last: boolean): void {
    if (this.closed) return;
    const trimmed = text.trim();
    if (trimmed) {
      const opensReply = !this.replyOpen;
      if (opensReply) this.reply = [];
      this.replyOpen = true;
      const mark = `${this.markPrefix}${++this.seq}`;
      const phrase: Phrase = { text: trimmed, mark, state: 'queued', audio: null, opensReply, synthesisAt: 0 };
      this.reply.push(phrase);
      this.queue.push(phrase);
      if (this.pumping) this.prefetch();
      else void this.pump();
    }
    if (last) this.replyOpen = false;
  }

  /** The carrier echoed a mark. */
  played(name: string): void {
    if (this.cleared.delete(name)) return;
    const phrase = this.outstanding.get(name);
    if (!phrase) {
      this.log?.debug({ mark: name }, 'playout: unknown mark echoed');
      return;
    }
    this.outstanding.delete(name);
    phrase.state = 'played';
    this.notify();
  }

  /** Agent audio is queued, being made or sent, or not yet played. */
  get speaking(): boolean {
    return this.queue.length > 0 || this.current !== null || this.outstanding.size > 0;
  }

  /** The phrases of the latest reply the caller has heard in full (their marks came back), joined. */
  heard(): string {
    return this.reply
      .filter((p) => p.state === 'played')
      .map((p) => p.text)
      .join(' ');
  }

  /**
   * Stops the agent's audio: sends `clear` (when any audio is pending), cancels synthesis, drops queued
   * phrases and ends the reply. Returns what the caller heard of that reply.
   */
  clear(): string {
    const heard = this.heard();
    const pending = this.speaking;
    this.controller.abort();
    this.controller = new AbortController();
    for (const phrase of this.queue) phrase.state = 'dropped';
    if (this.current) this.current.state = 'dropped';
    this.current = null;
    this.queue = [];
    for (const [name, phrase] of this.outstanding) {
      phrase.state = 'dropped';
      this.cleared.add(name);
    }
    this.outstanding.clear();
    this.replyOpen = false;
    this.playedBy = Date.now();
    if (pending && !this.closed) this.sink.clear();
    this.notify();
    return heard;
  }

  /** Resolves when every queued phrase has been sent (or dropped). */
  allSent(): Promise<void> {
    return this.until(() => this.queue.length === 0 && this.current === null);
  }

  /** Resolves when nothing is queued, sent or awaiting its mark. */
  idle(): Promise<void> {
    return this.until(() => !this.speaking);
  }

  /** Estimated playback time left of the audio already sent, in ms. */
  get remainingMs(): number {
    return Math.max(0, this.playedBy - Date.now());
  }

  /** The stream is gone: stops everything without sending. */
  close(): void {
    this.closed = true;
    this.controller.abort();
    this.queue = [];
    this.outstanding.clear();
    this.cleared.clear();
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length && !this.closed) {
        const phrase = this.queue.shift()!;
        const signal = this.controller.signal;
        this.current = phrase;
        phrase.state = 'sending';
        this.start(phrase, signal);
        this.prefetch();
        try {
          await this.send(phrase, signal);
        } catch (err) {
          if (!signal.aborted)
            this.log?.warn({ err, pii: { phrase: phrase.text } }, 'playout: speech synthesis failed');
        }
        this.current = null;
        this.notify();
      }
    } finally {
      this.pumping = false;
      this.notify();
    }
  }

  /** Synthesis of the next phrase starts while the current one is being sent. */
  private prefetch(): void {
    const next = this.queue[0];
    if (next) this.start(next, this.controller.signal);
  }

  private start(phrase: Phrase, signal: AbortSignal): void {
    if (phrase.audio) return;
    phrase.synthesisAt = performance.now();
    phrase.audio = new Synthesis(() => this.tts.synthesize(phrase.text, signal));
  }

  private async send(phrase: Phrase, signal: AbortSignal): Promise<void> {
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of phrase.audio!.read(signal)) {
      carry = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      while (carry.length >= this.chunkBytes) {
        await this.sendMedia(phrase, carry.subarray(0, this.chunkBytes), signal);
        carry = carry.subarray(this.chunkBytes);
      }
    }
    if (carry.length) await this.sendMedia(phrase, carry, signal);
    signal.throwIfAborted();
    phrase.state = 'sent';
    this.outstanding.set(phrase.mark, phrase);
    this.sink.mark(phrase.mark);
  }

  private async sendMedia(phrase: Phrase, payload: Buffer, signal: AbortSignal): Promise<void> {
    const ahead = this.playedBy - Date.now() - this.leadMs;
    if (ahead > 0) await sleep(ahead, undefined, { signal });
    signal.throwIfAborted();
    this.sink.media(payload);
    if (phrase.opensReply) {
      phrase.opensReply = false;
      this.onReplyFirstByte?.(performance.now() - phrase.synthesisAt);
    }
    this.playedBy = Math.max(this.playedBy, Date.now()) + mulawDurationMs(payload.length);
  }

  private until(ready: () => boolean): Promise<void> {
    if (this.closed || ready()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.ready()) return true;
      w.resolve();
      return false;
    });
  }
}

/** A synthesis running ahead of its reader: chunks are kept until read. */
class Synthesis {
  private readonly chunks: Buffer[] = [];
  private done = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;

  constructor(source: () => AsyncIterable<Buffer>) {
    void this.run(source);
  }

  /** The chunks in order; stops (throwing the reason) when `signal` aborts, even if the source does not. */
  async *read(signal: AbortSignal): AsyncGenerator<Buffer> {
    const onAbort = (): void => this.signal();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      yield* this.chunksUntilDone(signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async *chunksUntilDone(signal: AbortSignal): AsyncGenerator<Buffer> {
    for (;;) {
      signal.throwIfAborted();
      const chunk = this.chunks.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (this.done) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private async run(source: () => AsyncIterable<Buffer>): Promise<void> {
    try {
      for await (const chunk of source()) {
        this.chunks.push(chunk);
        this.signal();
      }
    } catch (err) {
      this.failure = err ?? new Error('synthesis failed');
    } finally {
      this.done = true;
      this.signal();
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
