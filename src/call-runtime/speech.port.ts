/**
 * Speech ports of the Media Streams transport: the call server hears the caller through a SpeechToText
 * stream and speaks the agent's phrases through TextToSpeech. Audio on both sides is what Twilio carries:
 * 8 kHz mono G.711 μ-law, no header. Adapters: the fakes in src/voice/fakes (default when no speech vendor
 * is configured, and in tests); vendor adapters come later behind the same ports.
 */

/** What one recognition stream reports, in order per utterance: speechStarted, partial*, speechStopped, final. */
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
}
