import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { TextToSpeechError, type TextToSpeech, type TextToSpeechErrorKind } from '../../call-runtime/speech.port.ts';
import type { Logger } from '../../log.ts';
import { defaultResamplerPool, type ResamplerPool } from '../../voice/audio/resampler-pool.ts';
import { OPENAI_DEFAULT_BASE_URL } from './openai.ts';

export const OPENAI_TTS_DEFAULT_MODEL = 'gpt-4o-mini-tts';
export const OPENAI_TTS_DEFAULT_VOICE = 'alloy';

// The converter lived here before it moved to src/voice/audio; its importers keep working.
export {
  DECIMATION,
  designAntiAliasFilter,
  PCM_INPUT_RATE,
  Pcm24kToMulaw8k,
} from '../../voice/audio/pcm24k-to-mulaw8k.ts';

const VENDOR = 'openai';

export interface OpenAiTtsOptions {
  apiKey: string;
  /** API root including `/v1` (the SDK's `baseURL`). Default https://api.openai.com/v1. */
  baseUrl?: string;
  /** Default `gpt-4o-mini-tts`. */
  model?: string;
  /** Default `alloy`. */
  voice?: string;
  /** Delivery instructions (gpt-4o-mini-tts only), e.g. "Warm, professional, unhurried." */
  instructions?: string;
  /** 0.25–4, default the vendor's (1). */
  speed?: number;
  /** Deadline for the first audio byte (request included). Default 3000. */
  firstByteTimeoutMs?: number;
  /**
   * SDK retries after a retryable failure (429, 5xx, connection). Default 0: a phrase is live audio, and the
   * failover to another voice is the better retry. Every retry still ends within `firstByteTimeoutMs`.
   */
  maxRetries?: number;
  /** Converts the PCM off the event loop. Default the process's shared pool. */
  resampler?: ResamplerPool;
  log?: Pick<Logger, 'debug' | 'warn'>;
}

/**
 * OpenAI text-to-speech (`POST {baseUrl}/audio/speech`, `response_format: 'pcm'`: 24 kHz 16-bit little-endian mono,
 * streamed) as 8 kHz μ-law: the PCM is low-pass filtered and decimated 3:1 (Pcm24kToMulaw8k) chunk by chunk as it
 * arrives, in a worker thread (ResamplerPool), never on the event loop.
 *
 * Errors are TextToSpeechError (`auth` 401/403, `quota` 429, `timeout`, `connection`, `http`) with OpenAI's
 * message; a failed resampler worker surfaces as its ResamplerError. Aborting `signal` cancels the request or the
 * body and throws the abort reason.
 */
export class OpenAiTextToSpeech implements TextToSpeech {
  readonly name = 'openai';
  readonly model: string;
  readonly voice: string;
  private readonly client: OpenAI;
  private readonly firstByteTimeoutMs: number;
  private readonly resampler: ResamplerPool;

  constructor(private readonly options: OpenAiTtsOptions) {
    if (!options.apiKey) throw new TypeError('OpenAiTextToSpeech: apiKey is required');
    this.model = options.model ?? OPENAI_TTS_DEFAULT_MODEL;
    this.voice = options.voice ?? OPENAI_TTS_DEFAULT_VOICE;
    this.firstByteTimeoutMs = options.firstByteTimeoutMs ?? 3_000;
    this.resampler = options.resampler ?? defaultResamplerPool;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      // Explicit, so that OPENAI_BASE_URL / OPENAI_ORG_ID / OPENAI_PROJECT_ID in the environment change nothing.
      baseURL: options.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
      organization: null,
      project: null,
      timeout: this.firstByteTimeoutMs,
      maxRetries: options.maxRetries ?? 0,
    });
  }

  async *synthesize(text: string, signal: AbortSignal): AsyncGenerator<Buffer> {
    signal.throwIfAborted();
    const input = text.replace(/\s+/g, ' ').trim();
    if (!input) return;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('first-byte timeout'));
    }, this.firstByteTimeoutMs);
    const failure = (err: unknown): unknown => {
      if (signal.aborted) return signal.reason;
      if (timedOut) return timeoutError(this.firstByteTimeoutMs, err);
      return toSpeechError(err);
    };
    try {
      let res: Response;
      try {
        res = await this.client.audio.speech.create(
          {
            model: this.model,
            voice: this.voice,
            input,
            response_format: 'pcm',
            ...(this.options.instructions ? { instructions: this.options.instructions } : {}),
            ...(this.options.speed !== undefined ? { speed: this.options.speed } : {}),
          },
          { signal: controller.signal },
        );
      } catch (err) {
        throw failure(err);
      }
      if (!res.body) return;
      const converter = this.resampler.open();
      const reader = res.body.getReader();
      try {
        for (;;) {
          let step: Awaited<ReturnType<typeof reader.read>>;
          try {
            step = await reader.read();
          } catch (err) {
            throw failure(err);
          }
          if (step.done) break;
          const out = await converter.push(step.value);
          signal.throwIfAborted();
          if (out.length === 0) continue;
          clearTimeout(timer);
          yield out;
        }
        signal.throwIfAborted();
        const tail = await converter.end();
        if (tail.length) yield tail;
      } finally {
        converter.close();
        reader.cancel().catch(() => undefined);
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }
}

function timeoutError(ms: number, cause: unknown): TextToSpeechError {
  return new TextToSpeechError({ vendor: VENDOR, kind: 'timeout', message: `no audio within ${ms} ms`, cause });
}

/** An OpenAI SDK (or stream) failure as a TextToSpeechError. */
export function toSpeechError(err: unknown): TextToSpeechError {
  if (err instanceof TextToSpeechError) return err;
  if (err instanceof APIConnectionTimeoutError) {
    return new TextToSpeechError({ vendor: VENDOR, kind: 'timeout', message: 'request timed out', cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new TextToSpeechError({ vendor: VENDOR, kind: 'connection', message: err.message, cause: err });
  }
  if (err instanceof APIUserAbortError) {
    return new TextToSpeechError({ vendor: VENDOR, kind: 'timeout', message: 'request aborted', cause: err });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const body = err.error as { message?: unknown } | undefined;
    const detail = typeof body?.message === 'string' ? body.message : null;
    const code = err.code ?? err.type ?? null;
    const kind: TextToSpeechErrorKind =
      err.status === 401 || err.status === 403 ? 'auth' : err.status === 429 ? 'quota' : 'http';
    return new TextToSpeechError({
      vendor: VENDOR,
      kind,
      status: err.status,
      code,
      retryable: code === 'insufficient_quota' ? false : undefined,
      message: `HTTP ${err.status}${code ? ` ${code}` : ''}${detail ? `: ${detail.slice(0, 300)}` : ''}`,
      cause: err,
    });
  }
  // A body cut off mid-stream surfaces as undici's TypeError `terminated`.
  const message = err instanceof Error ? err.message : String(err);
  return new TextToSpeechError({ vendor: VENDOR, kind: 'connection', message, cause: err });
}
