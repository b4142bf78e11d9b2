import type { RealtimeTranscriptionSessionCreateRequest, SessionUpdateEvent } from 'openai/resources/realtime/realtime';
import type { Logger } from '../../log.ts';

/**
 * The configuration of an OpenAI Realtime transcription session: the adapter's options and their defaults, and
 * the GA `session.update{session:{type:"transcription", …}}` sent on (re)connect and on endpointing changes.
 */

export const OPENAI_REALTIME_TRANSCRIPTION_URL = 'wss://api.openai.com/v1/realtime?intent=transcription';
export const OPENAI_REALTIME_STT_DEFAULT_MODEL = 'gpt-4o-mini-transcribe';

export type OpenAiNoiseReduction = 'near_field' | 'far_field';

export interface OpenAiRealtimeSttOptions {
  apiKey: string;
  /** The Realtime transcription WebSocket URL. Default: OpenAI's (`?intent=transcription`). */
  url?: string;
  /** Transcription model. Default `gpt-4o-mini-transcribe`. */
  model?: string;
  /** ISO-639-1 language of the callers; null lets the model detect it. Default `en`. */
  language?: string | null;
  /** Words to expect (street names, the brokerage's name). */
  prompt?: string;
  /** Noise reduction before VAD and transcription; `near_field` suits a phone held to the ear. Default `near_field`; null: off. */
  noiseReduction?: OpenAiNoiseReduction | null;
  /** Caller silence (ms) that ends an utterance until `setEndpointing` changes it. Default 650. */
  silenceMs?: number;
  /** Server VAD activation threshold (0–1). Default 0.5 (OpenAI's). */
  vadThreshold?: number;
  /** Audio kept before detected speech (ms). Default 300 (OpenAI's). */
  prefixPaddingMs?: number;
  /** Caller audio per `input_audio_buffer.append`, in 20 ms frames. Default 1 (no added delay). */
  framesPerAppend?: number;
  /** Reconnections allowed per stream after the socket drops. Default 1. */
  reconnects?: number;
  /** Wait before reconnecting. Default 200 ms. */
  reconnectDelayMs?: number;
  /** WebSocket handshake timeout. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Caller audio kept while (re)connecting; older audio is dropped. Default 2000 ms. */
  maxBufferedMs?: number;
  /** Longest a completed transcript waits for an earlier utterance's. Default 2000 ms. */
  orderWaitMs?: number;
  log?: Pick<Logger, 'debug' | 'info' | 'warn'>;
}

/** The options with every default filled in. */
export type SttSettings = Required<Omit<OpenAiRealtimeSttOptions, 'prompt' | 'log'>> & { prompt: string | undefined };

export function sttSettings(options: OpenAiRealtimeSttOptions): SttSettings {
  return {
    apiKey: options.apiKey,
    url: options.url ?? OPENAI_REALTIME_TRANSCRIPTION_URL,
    model: options.model ?? OPENAI_REALTIME_STT_DEFAULT_MODEL,
    language: options.language === undefined ? 'en' : options.language,
    prompt: options.prompt,
    noiseReduction: options.noiseReduction === undefined ? 'near_field' : options.noiseReduction,
    silenceMs: clampSilence(options.silenceMs ?? 650),
    vadThreshold: options.vadThreshold ?? 0.5,
    prefixPaddingMs: options.prefixPaddingMs ?? 300,
    framesPerAppend: Math.max(1, Math.round(options.framesPerAppend ?? 1)),
    reconnects: Math.max(0, options.reconnects ?? 1),
    reconnectDelayMs: Math.max(0, options.reconnectDelayMs ?? 200),
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    maxBufferedMs: Math.max(0, options.maxBufferedMs ?? 2_000),
    orderWaitMs: Math.max(0, options.orderWaitMs ?? 2_000),
  };
}

/** OpenAI accepts any silence duration; keep ours sane (a typo must not end every word, or never end a turn). */
export function clampSilence(ms: number): number {
  return Math.round(Math.min(5_000, Math.max(100, Number.isFinite(ms) ? ms : 650)));
}

/**
 * `full`: the whole configuration (on connect); else only turn detection (endpointing: only the fields present in
 * an update change).
 */
export function transcriptionSessionUpdate(s: SttSettings, silenceMs: number, full: boolean): SessionUpdateEvent {
  const turnDetection = {
    type: 'server_vad' as const,
    threshold: s.vadThreshold,
    prefix_padding_ms: s.prefixPaddingMs,
    silence_duration_ms: silenceMs,
  };
  const session: RealtimeTranscriptionSessionCreateRequest = full
    ? {
        type: 'transcription',
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            transcription: {
              model: s.model,
              ...(s.language ? { language: s.language } : {}),
              ...(s.prompt ? { prompt: s.prompt } : {}),
            },
            // Off unless set (OpenAI's default is null).
            ...(s.noiseReduction ? { noise_reduction: { type: s.noiseReduction } } : {}),
            turn_detection: turnDetection,
          },
        },
      }
    : { type: 'transcription', audio: { input: { turn_detection: turnDetection } } };
  return { type: 'session.update', session };
}
