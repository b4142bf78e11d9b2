import { TextToSpeechError, type TextToSpeech, type TextToSpeechSession } from '../../call-runtime/speech.port.ts';
import type { Logger } from '../../log.ts';
import { firstByteTimeout, VENDOR } from './errors.ts';
import { streamOverHttp, type HttpStreamRequest } from './http-stream.ts';
import { MultiStreamConnection, type ElevenLabsVoiceSettings } from './multi-stream-connection.ts';

export const ELEVENLABS_DEFAULT_BASE_URL = 'https://api.elevenlabs.io';
export const ELEVENLABS_DEFAULT_MODEL = 'eleven_flash_v2_5';

export interface ElevenLabsTtsOptions {
  apiKey: string;
  voiceId: string;
  /** API root for HTTP (`https://api.elevenlabs.io`, a fake's `http://127.0.0.1:P`). */
  baseUrl?: string;
  /** WebSocket root; default the base URL with http→ws, https→wss. */
  wsBaseUrl?: string;
  /** Default `eleven_flash_v2_5` (lowest latency). */
  modelId?: string;
  voiceSettings?: ElevenLabsVoiceSettings;
  /** Deadline for a phrase's first audio byte, per attempt (WebSocket context or HTTP request). Default 3000. */
  firstByteTimeoutMs?: number;
  /** WebSocket opening-handshake deadline. Default 3000. */
  connectTimeoutMs?: number;
  /** An idle socket gets a keep-alive after this long without a message from us. Default 10 000 (server: 20 s). */
  keepAliveMs?: number;
  /** After the WebSocket could not be opened, phrases go over HTTP for this long before it is tried again. Default 30 000. */
  wsRetryAfterMs?: number;
  /** `auto_mode` on the socket: the server does not wait to buffer text (we send whole phrases). Default true. */
  autoMode?: boolean;
  /** `inactivity_timeout` query parameter in seconds (server default 20, max 180). Unset: the server's. */
  inactivityTimeoutS?: number;
  log?: Pick<Logger, 'debug' | 'info' | 'warn'>;
}

/**
 * ElevenLabs text-to-speech as 8 kHz μ-law (`ulaw_8000`, straight into Twilio media messages).
 *
 * - `session(callSid)` (what the media-stream route should use, once per call): a per-call TextToSpeech that opens
 *   one multi-context WebSocket at once (warm by the first phrase) and speaks every phrase of the call on it, one
 *   context per phrase. Abort closes that phrase's context; the socket stays. A dropped socket is reopened on the
 *   next phrase. `close()` at call end sends `close_socket`.
 * - Fallback: a phrase whose socket cannot be opened, or fails before the phrase's first byte, is spoken over
 *   HTTP streaming (`/stream`); after a failed opening the session stays on HTTP for `wsRetryAfterMs`. Auth and
 *   quota errors are thrown, not retried: HTTP would refuse them too.
 * - `synthesize` on the shared instance (no session): HTTP streaming.
 *
 * Errors are TextToSpeechError (`auth`, `quota`, `timeout`, `connection`, `http`, `protocol`) with the vendor's
 * code and message. No phrase waits longer than `firstByteTimeoutMs` for its first byte per attempt.
 */
export class ElevenLabsTextToSpeech implements TextToSpeech {
  readonly name = 'elevenlabs';
  /** @internal Settings shared with the sessions. */
  readonly settings: Required<
    Pick<
      ElevenLabsTtsOptions,
      'apiKey' | 'voiceId' | 'modelId' | 'firstByteTimeoutMs' | 'connectTimeoutMs' | 'keepAliveMs' | 'wsRetryAfterMs'
    >
  > & { baseUrl: string; wsUrl: string; voiceSettings?: ElevenLabsVoiceSettings };
  readonly log: Pick<Logger, 'debug' | 'info' | 'warn'> | undefined;

  constructor(options: ElevenLabsTtsOptions) {
    if (!options.apiKey) throw new TypeError('ElevenLabsTextToSpeech: apiKey is required');
    if (!options.voiceId) throw new TypeError('ElevenLabsTextToSpeech: voiceId is required');
    const baseUrl = (options.baseUrl ?? ELEVENLABS_DEFAULT_BASE_URL).replace(/\/+$/, '');
    const wsBase = (options.wsBaseUrl ?? baseUrl.replace(/^http(s?):/i, 'ws$1:')).replace(/\/+$/, '');
    const modelId = options.modelId ?? ELEVENLABS_DEFAULT_MODEL;
    const query = new URLSearchParams({ model_id: modelId, output_format: 'ulaw_8000' });
    query.set('auto_mode', String(options.autoMode ?? true));
    if (options.inactivityTimeoutS !== undefined) query.set('inactivity_timeout', String(options.inactivityTimeoutS));
    this.settings = {
      apiKey: options.apiKey,
      voiceId: options.voiceId,
      modelId,
      baseUrl,
      wsUrl: `${wsBase}/v1/text-to-speech/${encodeURIComponent(options.voiceId)}/multi-stream-input?${query}`,
      voiceSettings: options.voiceSettings,
      firstByteTimeoutMs: options.firstByteTimeoutMs ?? 3_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 3_000,
      keepAliveMs: options.keepAliveMs ?? 10_000,
      wsRetryAfterMs: options.wsRetryAfterMs ?? 30_000,
    };
    this.log = options.log;
  }

  /** One call's speech on a warm WebSocket (opened now). Close it when the call ends. */
  session(callSid: string): ElevenLabsSession {
    return new ElevenLabsSession(this, callSid);
  }

  /** Without a session: HTTP streaming, one request per phrase. */
  synthesize(text: string, signal: AbortSignal): AsyncGenerator<Buffer> {
    return this.overHttp(text, signal);
  }

  /** @internal */
  overHttp(text: string, signal: AbortSignal): AsyncGenerator<Buffer> {
    const req: HttpStreamRequest = {
      baseUrl: this.settings.baseUrl,
      apiKey: this.settings.apiKey,
      voiceId: this.settings.voiceId,
      modelId: this.settings.modelId,
      voiceSettings: this.settings.voiceSettings,
      firstByteTimeoutMs: this.settings.firstByteTimeoutMs,
    };
    return streamOverHttp(req, spoken(text), signal);
  }
}

/** The WebSocket could not be used for this phrase, and HTTP may do better. */
function worthHttpFallback(err: unknown): boolean {
  return (
    err instanceof TextToSpeechError && (err.kind === 'connection' || err.kind === 'protocol' || err.kind === 'http')
  );
}

/** One call's ElevenLabs speech: see ElevenLabsTextToSpeech. */
export class ElevenLabsSession implements TextToSpeechSession {
  readonly name = 'elevenlabs';
  private connection: MultiStreamConnection | null = null;
  private wsDisabledUntil = 0;
  private closed = false;
  private seq = 0;
  /** Sockets opened by this session so far (1 when the call kept its warm socket throughout). */
  connectionsOpened = 0;

  constructor(
    private readonly tts: ElevenLabsTextToSpeech,
    readonly callSid: string,
  ) {
    this.connect();
  }

  /** The socket is open or opening. */
  get connected(): boolean {
    return this.connection?.usable ?? false;
  }

  async *synthesize(text: string, signal: AbortSignal): AsyncGenerator<Buffer> {
    signal.throwIfAborted();
    if (this.closed) {
      throw new TextToSpeechError({ vendor: VENDOR, kind: 'connection', message: 'session closed', retryable: false });
    }
    const phrase = spoken(text);
    if (!phrase) return;
    const conn = Date.now() < this.wsDisabledUntil ? null : this.connect();
    if (conn) {
      try {
        await untilReady(conn, signal);
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        // Auth and quota refusals would be the same over HTTP; anything else (refused, unreachable, handshake
        // timeout, 5xx) falls back.
        if (err instanceof TextToSpeechError && (err.kind === 'auth' || err.kind === 'quota')) throw err;
        this.tts.log?.warn({ callSid: this.callSid, err }, 'elevenlabs: websocket unavailable; phrase over http');
        yield* this.tts.overHttp(phrase, signal);
        return;
      }
    } else {
      yield* this.tts.overHttp(phrase, signal);
      return;
    }
    const { firstByteTimeoutMs } = this.tts.settings;
    const context = conn.speak(`${this.callSid}-${++this.seq}`, phrase);
    const timer = setTimeout(() => {
      const err = firstByteTimeout('websocket', firstByteTimeoutMs);
      context.audio.fail(err);
      // A socket that sends nothing for a phrase is suspect: the next phrase gets a fresh one. Other phrases
      // still waiting on it get a connection error, so they go over HTTP.
      if (this.connection === conn) this.connection = null;
      conn.terminate(
        new TextToSpeechError({ vendor: VENDOR, kind: 'connection', message: 'websocket reset after a timeout' }),
      );
      this.tts.log?.warn(
        { callSid: this.callSid, err },
        'elevenlabs: no audio on the websocket; reconnecting next phrase',
      );
    }, firstByteTimeoutMs);
    let yielded = false;
    try {
      for await (const chunk of context.audio.read(signal)) {
        if (!yielded) clearTimeout(timer);
        yielded = true;
        yield chunk;
      }
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (yielded || !worthHttpFallback(err)) throw err;
      clearTimeout(timer);
      this.tts.log?.warn({ callSid: this.callSid, err }, 'elevenlabs: websocket failed before audio; phrase over http');
      yield* this.tts.overHttp(phrase, signal);
    } finally {
      clearTimeout(timer);
      context.cancel();
    }
  }

  /** The call is over: `close_socket` and no more phrases. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection?.close();
    this.connection = null;
  }

  /** The current socket, or a new one (lazily, after a drop). */
  private connect(): MultiStreamConnection {
    if (this.connection?.usable) return this.connection;
    const { settings, log } = this.tts;
    const conn = new MultiStreamConnection({
      url: settings.wsUrl,
      apiKey: settings.apiKey,
      voiceSettings: settings.voiceSettings,
      connectTimeoutMs: settings.connectTimeoutMs,
      keepAliveMs: settings.keepAliveMs,
      log,
      onGone: (err) => {
        if (this.connection === conn) this.connection = null;
        if (err && !this.closed) log?.warn({ callSid: this.callSid, err }, 'elevenlabs: websocket gone');
      },
    });
    this.connectionsOpened++;
    this.connection = conn;
    conn.ready.then(
      () => log?.debug({ callSid: this.callSid }, 'elevenlabs: websocket open'),
      (err: unknown) => {
        // Could not open: HTTP for a while, unless the key itself is refused (HTTP would be too).
        if (!(err instanceof TextToSpeechError) || (err.kind !== 'auth' && err.kind !== 'quota')) {
          this.wsDisabledUntil = Date.now() + settings.wsRetryAfterMs;
        }
      },
    );
    return conn;
  }
}

/** Resolves when the socket is open; rejects with its failure, or with the abort reason. */
function untilReady(conn: MultiStreamConnection, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    conn.ready.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Vendors want text without stray whitespace; multi-stream text must end with one space (added on send). */
function spoken(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
