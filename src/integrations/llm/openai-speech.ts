import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { TextToSpeechError, type TextToSpeech, type TextToSpeechErrorKind } from '../../call-runtime/speech.port.ts';
import type { Logger } from '../../log.ts';
import { encodeMulaw } from '../../voice/audio/mulaw.ts';
import { OPENAI_DEFAULT_BASE_URL } from './openai.ts';

export const OPENAI_TTS_DEFAULT_MODEL = 'gpt-4o-mini-tts';
export const OPENAI_TTS_DEFAULT_VOICE = 'alloy';

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
  log?: Pick<Logger, 'debug' | 'warn'>;
}

/**
 * OpenAI text-to-speech (`POST {baseUrl}/audio/speech`, `response_format: 'pcm'`: 24 kHz 16-bit little-endian mono,
 * streamed) as 8 kHz μ-law: the PCM is low-pass filtered and decimated 3:1 (Pcm24kToMulaw8k) chunk by chunk as it
 * arrives. The conversion costs about 0.1–0.2 % of a core per second of audio (measured in
 * test/integration/openai-speech.test.ts), so it runs inline rather than in a worker thread.
 *
 * Errors are TextToSpeechError (`auth` 401/403, `quota` 429, `timeout`, `connection`, `http`) with OpenAI's
 * message. Aborting `signal` cancels the request or the body and throws the abort reason.
 */
export class OpenAiTextToSpeech implements TextToSpeech {
  readonly name = 'openai';
  readonly model: string;
  readonly voice: string;
  private readonly client: OpenAI;
  private readonly firstByteTimeoutMs: number;

  constructor(private readonly options: OpenAiTtsOptions) {
    if (!options.apiKey) throw new TypeError('OpenAiTextToSpeech: apiKey is required');
    this.model = options.model ?? OPENAI_TTS_DEFAULT_MODEL;
    this.voice = options.voice ?? OPENAI_TTS_DEFAULT_VOICE;
    this.firstByteTimeoutMs = options.firstByteTimeoutMs ?? 3_000;
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
      const converter = new Pcm24kToMulaw8k();
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
          const out = converter.push(step.value);
          if (out.length === 0) continue;
          clearTimeout(timer);
          yield out;
        }
      } finally {
        reader.cancel().catch(() => undefined);
      }
      signal.throwIfAborted();
      const tail = converter.end();
      if (tail.length) yield tail;
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

// ---- 24 kHz 16-bit PCM → 8 kHz μ-law ----

/** Input rate of OpenAI `pcm` speech. */
export const PCM_INPUT_RATE = 24_000;
/** Decimation factor to telephone audio (8 kHz). */
export const DECIMATION = 3;

/**
 * The anti-aliasing low-pass filter: a linear-phase FIR (Kaiser-windowed sinc) for 24 kHz input, passband to
 * ~3.2 kHz, cut-off (−6 dB) at 3.6 kHz, stopband from 4 kHz (the 8 kHz output's Nyquist frequency) at ≥ 70 dB
 * down; unity gain at DC. 131 taps: 2.7 ms group delay, which the decimator compensates.
 */
export function designAntiAliasFilter(
  taps = 131,
  cutoffHz = 3_600,
  sampleRate = PCM_INPUT_RATE,
  beta = 6.76,
): Float64Array {
  if (taps % 2 === 0) throw new RangeError('designAntiAliasFilter: taps must be odd (linear phase, integer delay)');
  const h = new Float64Array(taps);
  const mid = (taps - 1) / 2;
  const fc = cutoffHz / sampleRate;
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    const m = n - mid;
    const sinc = m === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
    const r = m / mid;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    h[n] = sinc * window;
    sum += h[n]!;
  }
  for (let n = 0; n < taps; n++) h[n]! /= sum;
  return h;
}

/** Zeroth-order modified Bessel function of the first kind (series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

const SHARED_FILTER = designAntiAliasFilter();

/**
 * Streaming 24 kHz 16-bit LE mono PCM → 8 kHz μ-law. Output sample k is the filtered input around input sample 3k
 * (the filter's delay is compensated: no shift in time), so S input samples give exactly ceil(S / 3) output bytes
 * once `end()` has flushed the last ones. Chunks may split a sample between them (an odd byte is carried over).
 * Only every third filter output is computed (the others would be discarded): ~44 multiply-adds per input sample.
 */
export class Pcm24kToMulaw8k {
  private readonly h: Float64Array;
  private readonly delay: number;
  /** Input samples from absolute index `base` on (those still needed). */
  private buffer: Float64Array;
  private base: number;
  private length = 0;
  /** Next output sample index. */
  private k = 0;
  /** Input samples received. */
  private received = 0;
  private oddByte: number | null = null;
  private ended = false;

  constructor(filter: Float64Array = SHARED_FILTER) {
    this.h = filter;
    this.delay = (filter.length - 1) / 2;
    // The samples before the first are silence: the buffer starts `delay` zeros early.
    this.base = -this.delay;
    this.buffer = new Float64Array(Math.max(4_096, filter.length * 4));
    this.length = this.delay;
  }

  /** Converts the next PCM bytes; returns the μ-law bytes now complete (possibly none). */
  push(pcm: Uint8Array): Buffer {
    if (this.ended) throw new Error('Pcm24kToMulaw8k: push after end');
    let bytes = pcm;
    if (this.oddByte !== null && bytes.length > 0) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.oddByte;
      joined.set(bytes, 1);
      bytes = joined;
      this.oddByte = null;
    }
    const count = bytes.length >> 1;
    if (bytes.length & 1) this.oddByte = bytes[bytes.length - 1]!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
    this.reserve(count);
    for (let i = 0; i < count; i++) this.buffer[this.length + i] = view.getInt16(i * 2, true);
    this.length += count;
    this.received += count;
    return this.drain();
  }

  /** No more input: the remaining output (the last samples, filtered against silence after the end). */
  end(): Buffer {
    if (this.ended) return Buffer.alloc(0);
    this.ended = true;
    const total = Math.ceil(this.received / DECIMATION);
    // Silence after the end, as far as the last output's filter reaches.
    const needed = DECIMATION * (total - 1) + this.delay + 1 - (this.base + this.length);
    if (needed > 0) {
      this.reserve(needed);
      this.buffer.fill(0, this.length, this.length + needed);
      this.length += needed;
    }
    return this.drain(total);
  }

  private drain(limit = Infinity): Buffer {
    const h = this.h;
    const taps = h.length;
    const out: number[] = [];
    // Output k needs input 3k − delay … 3k + delay.
    while (this.k < limit && DECIMATION * this.k + this.delay < this.base + this.length) {
      const start = DECIMATION * this.k - this.delay - this.base;
      let acc = 0;
      for (let j = 0; j < taps; j++) acc += h[j]! * this.buffer[start + j]!;
      out.push(acc);
      this.k++;
    }
    // Drop what no later output needs.
    const keepFrom = DECIMATION * this.k - this.delay - this.base;
    if (keepFrom > 0) {
      this.buffer.copyWithin(0, keepFrom, this.length);
      this.length -= keepFrom;
      this.base += keepFrom;
    }
    return encodeMulaw(out);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Float64Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
