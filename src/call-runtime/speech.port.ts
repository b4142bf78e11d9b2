/**
 * Speech ports of the Media Streams transport: the call server hears the caller through a SpeechToText
 * stream and speaks the agent's phrases through TextToSpeech. Audio on both sides is what Twilio carries:
 * 8 kHz mono G.711 μ-law, no header. Adapters: the fakes in src/voice/fakes (default when no speech vendor
 * is configured, and in tests); text-to-speech on ElevenLabs (src/integrations/elevenlabs, with a per-call
 * `session`) and OpenAI (src/integrations/llm/openai-speech.ts), combined by src/voice/tts-failover.ts.
 */

/**
 * What one recognition stream reports, in order per utterance: speechStarted, partial*, speechStopped, final.
 * Recognizers that transcribe only once the utterance's audio has ended (OpenAI Realtime with the
 * gpt-4o transcribe models) send their partials after speechStopped, still before final.
 */
export interface SttEvents {
  /** The caller started speaking (voice activity); the transport uses it for barge-in. */
  speechStarted: [];
  /** An interim hypothesis of the utterance so far; may change. */
  partial: [text: string];
  /** The caller stopped speaking (end of the utterance's audio). */
  speechStopped: [];
  /** The utterance's final text. */
  final: [text: string];
  /** The stream failed; it may or may not go on. */
  error: [err: Error];
}

/** One call's recognition stream. */
export interface SttStream {
  /** Caller audio: μ-law bytes, any length (Twilio sends 160-byte, 20 ms frames). */
  push(mulawFrame: Buffer): void;
  /** No more audio; stops timers and events. Safe to call twice. */
  close(): void;
  /**
   * Optional (slot-aware endpointing): from now on, this much caller silence (ms) ends an utterance. The
   * transport sets it after each agent reply from what the reply asked (src/voice/endpointing.ts).
   * Recognizers that cannot change it leave it out.
   */
  setEndpointing?(silenceMs: number): void;
  on<E extends keyof SttEvents>(event: E, listener: (...args: SttEvents[E]) => void): this;
  off<E extends keyof SttEvents>(event: E, listener: (...args: SttEvents[E]) => void): this;
}

export interface SttOpenOptions {
  callSid: string;
  sampleRate: 8000;
  encoding: 'mulaw';
}

export interface SpeechToText {
  readonly name: string;
  open(opts: SttOpenOptions): SttStream;
}

export interface TextToSpeech {
  readonly name: string;
  /**
   * The phrase's audio as 8 kHz μ-law chunks (any size), streamed as produced: the first chunk should come
   * as soon as possible. Aborting `signal` ends the stream promptly; it may then throw the abort reason.
   */
  synthesize(text: string, signal: AbortSignal): AsyncIterable<Buffer>;
  /**
   * Optional per-call lifecycle: a TextToSpeech for one call that may hold warm resources (a vendor WebSocket)
   * from call start to `close()` at call end. Adapters without it serve every call from the shared instance.
   * The transport calls it when the call starts, speaks through the session and closes it when the call ends.
   */
  session?(callSid: string): TextToSpeechSession;
}

/** One call's speech synthesis (see `TextToSpeech.session`). */
export interface TextToSpeechSession extends TextToSpeech {
  /** The call is over: releases what the session holds; pending phrases end. Safe to call twice. */
  close(): void;
}

export type TextToSpeechErrorKind =
  /** The vendor refused the credentials (401/403). */
  | 'auth'
  /** Quota, credits or rate/concurrency limits (429, ElevenLabs `quota_exceeded`). */
  | 'quota'
  /** No first audio byte (or no connection) within the deadline. */
  | 'timeout'
  /** The connection could not be made or was lost. */
  | 'connection'
  /** Any other HTTP error status. */
  | 'http'
  /** The vendor answered something the adapter cannot use. */
  | 'protocol';

/** A speech vendor's failure, typed so callers (failover, logs) can tell auth, quota and outages apart. */
export class TextToSpeechError extends Error {
  override readonly name = 'TextToSpeechError';
  readonly vendor: string;
  readonly kind: TextToSpeechErrorKind;
  /** The HTTP status (or WebSocket close code), when there was one. */
  readonly status: number | null;
  /** The vendor's error code (`invalid_api_key`, `quota_exceeded`, …), when it gave one. */
  readonly code: string | null;
  /** Worth trying again later (or elsewhere): timeouts, connection failures, 429 and 5xx. */
  readonly retryable: boolean;

  constructor(init: {
    vendor: string;
    kind: TextToSpeechErrorKind;
    message: string;
    status?: number | null;
    code?: string | null;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super(`${init.vendor} text-to-speech: ${init.message}`, init.cause === undefined ? {} : { cause: init.cause });
    this.vendor = init.vendor;
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.retryable =
      init.retryable ??
      (init.kind === 'timeout' ||
        init.kind === 'connection' ||
        init.status === 429 ||
        (typeof init.status === 'number' && init.status >= 500));
  }
}
