import { EventEmitter } from 'node:events';
import type {
  InputAudioBufferAppendEvent,
  RealtimeServerEvent,
  RealtimeTranscriptionSessionCreateRequest,
  SessionUpdateEvent,
} from 'openai/resources/realtime/realtime';
import WebSocket from 'ws';
import type { SpeechToText, SttEvents, SttOpenOptions, SttStream } from '../../call-runtime/speech.port.ts';
import type { Logger } from '../../log.ts';

/**
 * Speech-to-text on the OpenAI Realtime API in transcription mode (no model responses): one WebSocket per
 * call, caller μ-law appended as it arrives, OpenAI's server VAD marking utterances, its transcription
 * model turning each into text.
 *
 * Pinned wire shape: **GA** (openai SDK 7.57.0 `resources/realtime/realtime.d.ts`, whose types this file
 * compiles against; developers.openai.com/api/docs/guides/realtime-transcription):
 * - connect `wss://api.openai.com/v1/realtime?intent=transcription` with `Authorization: Bearer <key>`
 *   (the SDK's own `buildRealtimeURL` builds exactly this; no `OpenAI-Beta` header in GA);
 * - configure with `session.update{session:{type:"transcription", audio:{input:{format:{type:"audio/pcmu"},
 *   transcription:{model, language, prompt}, noise_reduction:{type:"near_field"}, turn_detection:{type:
 *   "server_vad", threshold, prefix_padding_ms, silence_duration_ms}}}}}`; the server answers
 *   `session.updated`. Only fields present in an update change, so endpointing updates send
 *   `turn_detection` alone.
 * - not the beta shape (`transcription_session.update`, `input_audio_format:"g711_ulaw"`,
 *   `input_audio_transcription`, `input_audio_noise_reduction`), deprecated with the beta.
 *
 * Event mapping (server → port):
 * - `input_audio_buffer.speech_started` → `speechStarted`
 * - `conversation.item.input_audio_transcription.delta` → `partial(text so far)` (deltas concatenated as
 *   sent, per item: they carry their own spaces)
 * - `input_audio_buffer.speech_stopped` → `speechStopped`
 * - `conversation.item.input_audio_transcription.completed` → `final(transcript)` (empty ones skipped)
 * - `conversation.item.input_audio_transcription.failed`, `error`, a lost connection → `error`
 * With the gpt-4o transcribe models the deltas come after speech_stopped (transcription starts once the
 * buffer is committed), so partials follow `speechStopped`. Completions of different utterances are not
 * guaranteed to arrive in order (OpenAI's transcription guide says to order them by the
 * `input_audio_buffer.committed` events); finals are emitted in commit order, a completion waiting at most
 * `orderWaitMs` for an earlier utterance's.
 *
 * Connection: audio pushed while connecting (or reconnecting) is kept, up to `maxBufferedMs`, and sent once
 * the session is configured. A dropped socket is reconnected (`reconnects` times per stream, default once)
 * with the same configuration, including the current endpointing; a refused handshake (401/403) is final.
 * Nothing here blocks: every send is a queued WebSocket write.
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

const FRAME_BYTES = 160;
/** μ-law bytes per ms at 8 kHz. */
const BYTES_PER_MS = 8;

type Settings = Required<Omit<OpenAiRealtimeSttOptions, 'prompt' | 'log'>> & { prompt: string | undefined };

/** `SpeechToText` on the OpenAI Realtime transcription API (name `openai-realtime`). */
export class OpenAiRealtimeSpeechToText implements SpeechToText {
  readonly name = 'openai-realtime';
  private readonly settings: Settings;

  constructor(private readonly options: OpenAiRealtimeSttOptions) {
    if (!options.apiKey) throw new Error('OpenAiRealtimeSpeechToText: apiKey is required');
    this.settings = {
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

  open(opts: SttOpenOptions): SttStream {
    if (opts.encoding !== 'mulaw' || opts.sampleRate !== 8000) {
      throw new Error('OpenAiRealtimeSpeechToText: only 8 kHz μ-law audio is configured');
    }
    return new OpenAiRealtimeSttStream(this.settings, opts.callSid, this.options.log);
  }
}

/** OpenAI accepts any silence duration; keep ours sane (a typo must not end every word, or never end a turn). */
function clampSilence(ms: number): number {
  return Math.round(Math.min(5_000, Math.max(100, Number.isFinite(ms) ? ms : 650)));
}

class OpenAiRealtimeSttStream extends EventEmitter<SttEvents> implements SttStream {
  private ws: WebSocket | null = null;
  /** The session is configured: audio can go straight out. */
  private ready = false;
  private closed = false;
  /** Gave up (auth refused, or reconnections used up): audio is dropped. */
  private failed = false;
  private reconnectsLeft: number;
  private silenceMs: number;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  /** Audio waiting for the session to be ready. */
  private backlog: Buffer[] = [];
  private backlogBytes = 0;
  private inSpeech = false;
  /** Transcript so far of each item being transcribed. */
  private readonly texts = new Map<string, string>();
  /** Committed items whose final is not emitted yet, in commit order. */
  private order: string[] = [];
  /** Finals (or null: failed/empty) that arrived ahead of an earlier item's. */
  private readonly done = new Map<string, string | null>();
  private orderTimer: NodeJS.Timeout | null = null;
  /** The earlier item a done one is waiting for (orderTimer runs), or null. */
  private waitingFor: string | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly appendBytes: number;
  private readonly maxBacklogBytes: number;

  constructor(
    private readonly settings: Settings,
    private readonly callSid: string,
    private readonly log?: Pick<Logger, 'debug' | 'info' | 'warn'>,
  ) {
    super();
    this.reconnectsLeft = settings.reconnects;
    this.silenceMs = settings.silenceMs;
    this.appendBytes = settings.framesPerAppend * FRAME_BYTES;
    this.maxBacklogBytes = settings.maxBufferedMs * BYTES_PER_MS;
    this.connect();
  }

  push(mulawFrame: Buffer): void {
    if (this.closed || this.failed || !mulawFrame.length) return;
    this.batch.push(mulawFrame);
    this.batchBytes += mulawFrame.length;
    if (this.batchBytes < this.appendBytes) return;
    const audio = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    if (this.ready) this.append(audio);
    else this.keep(audio);
  }

  setEndpointing(silenceMs: number): void {
    const ms = clampSilence(silenceMs);
    if (ms === this.silenceMs || this.closed) return;
    this.silenceMs = ms;
    // Not ready: the configuration sent on (re)connect carries it.
    if (this.ready) this.send(this.sessionUpdate(false));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ready = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.orderTimer) clearTimeout(this.orderTimer);
    this.backlog = [];
    this.batch = [];
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'call ended');
      else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    }
    this.removeAllListeners();
  }

  // ---- connection ----

  private connect(): void {
    const ws = new WebSocket(this.settings.url, {
      headers: { Authorization: `Bearer ${this.settings.apiKey}` },
      handshakeTimeout: this.settings.connectTimeoutMs,
      perMessageDeflate: false,
    });
    this.ws = ws;
    let refused: number | null = null;
    let failure: Error | null = null;
    ws.on('unexpected-response', (_req, res) => {
      refused = res.statusCode ?? 0;
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => (failure = err));
    ws.on('open', () => {
      if (ws !== this.ws) return;
      this.send(this.sessionUpdate(true));
      this.ready = true;
      const backlog = this.backlog;
      this.backlog = [];
      this.backlogBytes = 0;
      for (const audio of backlog) this.append(audio);
    });
    ws.on('message', (data) => {
      if (ws === this.ws) this.onMessage(data.toString());
    });
    ws.on('close', (code, reason) => {
      if (ws !== this.ws || this.closed) return;
      this.dropped(code, reason.toString(), refused, failure);
    });
  }

  private dropped(code: number, reason: string, refused: number | null, failure: Error | null): void {
    this.ws = null;
    this.ready = false;
    // The utterance in progress is cut: its end and final will not come.
    if (this.inSpeech) {
      this.inSpeech = false;
      this.emit('speechStopped');
    }
    this.texts.clear();
    this.order = [];
    this.done.clear();
    if (this.orderTimer) clearTimeout(this.orderTimer);
    this.orderTimer = null;
    this.waitingFor = null;
    if (refused === 401 || refused === 403) {
      this.fail(new Error(`openai realtime transcription: connection refused (${refused}): check the API key`));
      return;
    }
    const why =
      refused !== null ? `HTTP ${refused}` : failure ? failure.message : `closed ${code}${reason ? ` ${reason}` : ''}`;
    if (this.reconnectsLeft <= 0) {
      this.fail(new Error(`openai realtime transcription: connection lost (${why})`));
      return;
    }
    this.reconnectsLeft--;
    this.log?.warn({ callSid: this.callSid, why }, 'openai realtime stt: connection lost, reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closed) this.connect();
    }, this.settings.reconnectDelayMs);
  }

  private fail(err: Error): void {
    this.failed = true;
    this.backlog = [];
    this.batch = [];
    this.raise(err);
  }

  /** The `error` event, if anyone listens (an EventEmitter throws an unheard `error`). */
  private raise(err: Error): void {
    if (this.listenerCount('error')) this.emit('error', err);
    else this.log?.warn({ err, callSid: this.callSid }, 'openai realtime stt: error');
  }

  // ---- client events ----

  /** `full`: the whole configuration (on connect); else only turn detection (endpointing). */
  private sessionUpdate(full: boolean): SessionUpdateEvent {
    const s = this.settings;
    const turnDetection = {
      type: 'server_vad' as const,
      threshold: s.vadThreshold,
      prefix_padding_ms: s.prefixPaddingMs,
      silence_duration_ms: this.silenceMs,
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

  private append(audio: Buffer): void {
    const event: InputAudioBufferAppendEvent = { type: 'input_audio_buffer.append', audio: audio.toString('base64') };
    this.send(event);
  }

  /** Keeps audio for when the session is ready, dropping the oldest past `maxBufferedMs`. */
  private keep(audio: Buffer): void {
    this.backlog.push(audio);
    this.backlogBytes += audio.length;
    while (this.backlogBytes > this.maxBacklogBytes && this.backlog.length) {
      this.backlogBytes -= this.backlog.shift()!.length;
    }
  }

  private send(event: object): void {
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
  }

  // ---- server events ----

  private onMessage(raw: string): void {
    let event: RealtimeServerEvent;
    try {
      event = JSON.parse(raw) as RealtimeServerEvent;
    } catch {
      this.log?.warn({ callSid: this.callSid }, 'openai realtime stt: message is not JSON');
      return;
    }
    switch (event.type) {
      case 'input_audio_buffer.speech_started':
        this.inSpeech = true;
        this.emit('speechStarted');
        return;
      case 'input_audio_buffer.speech_stopped':
        this.inSpeech = false;
        this.emit('speechStopped');
        return;
      case 'input_audio_buffer.committed':
        this.order.push(event.item_id);
        return;
      case 'conversation.item.input_audio_transcription.delta': {
        const text = (this.texts.get(event.item_id) ?? '') + (event.delta ?? '');
        this.texts.set(event.item_id, text);
        const trimmed = text.trim();
        if (trimmed) this.emit('partial', trimmed);
        return;
      }
      case 'conversation.item.input_audio_transcription.completed':
        this.texts.delete(event.item_id);
        this.completed(event.item_id, event.transcript.trim() || null);
        return;
      case 'conversation.item.input_audio_transcription.failed':
        this.texts.delete(event.item_id);
        this.completed(event.item_id, null);
        this.raise(
          new Error(
            `openai realtime transcription failed: ${event.error.code ?? event.error.type ?? 'error'}: ${event.error.message ?? ''}`,
          ),
        );
        return;
      case 'error':
        this.raise(
          new Error(
            `openai realtime transcription error: ${event.error.code ?? event.error.type}: ${event.error.message}`,
          ),
        );
        return;
      case 'session.created':
      case 'session.updated':
        this.log?.debug({ callSid: this.callSid, type: event.type }, 'openai realtime stt: session');
        return;
      default:
        return;
    }
  }

  /** An item's transcript is done (null: nothing to say); finals go out in commit order. */
  private completed(itemId: string, text: string | null): void {
    if (!this.order.includes(itemId)) {
      // Never saw it committed (or the connection was replaced): nothing to wait for.
      if (text) this.emit('final', text);
      return;
    }
    this.done.set(itemId, text);
    this.flushInOrder();
  }

  private flushInOrder(): void {
    while (this.order.length && this.done.has(this.order[0]!)) {
      const id = this.order.shift()!;
      const text = this.done.get(id)!;
      this.done.delete(id);
      if (text) this.emit('final', text);
      if (this.closed) return;
    }
    // A later utterance is done but an earlier one is not: wait a little for it, then skip it.
    const head = this.done.size ? (this.order[0] ?? null) : null;
    if (head === this.waitingFor) return;
    if (this.orderTimer) clearTimeout(this.orderTimer);
    this.orderTimer = null;
    this.waitingFor = head;
    if (head === null) return;
    this.orderTimer = setTimeout(() => {
      this.orderTimer = null;
      this.waitingFor = null;
      if (this.order[0] === head) this.order.shift();
      this.log?.warn({ callSid: this.callSid, itemId: head }, 'openai realtime stt: transcript never came, skipped');
      this.flushInOrder();
    }, this.settings.orderWaitMs);
  }
}
