import { EventEmitter } from 'node:events';
import type { InputAudioBufferAppendEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import type WebSocket from 'ws';
import type { SpeechToText, SttEvents, SttOpenOptions, SttStream } from '../../call-runtime/speech.port.ts';
import type { Logger } from '../../log.ts';
import { closeRealtimeSocket, openRealtimeSocket, sendRealtimeEvent } from './openai-realtime-socket.ts';
import { FinalsInCommitOrder } from './openai-realtime-stt-order.ts';
import {
  clampSilence,
  sttSettings,
  transcriptionSessionUpdate,
  type OpenAiRealtimeSttOptions,
  type SttSettings,
} from './openai-realtime-stt-session.ts';

export {
  OPENAI_REALTIME_STT_DEFAULT_MODEL,
  OPENAI_REALTIME_TRANSCRIPTION_URL,
  type OpenAiNoiseReduction,
  type OpenAiRealtimeSttOptions,
} from './openai-realtime-stt-session.ts';

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
 *   `turn_detection` alone (see openai-realtime-stt-session.ts).
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
 * buffer is committed), so partials follow `speechStopped`. Finals are emitted in commit order
 * (`FinalsInCommitOrder`), a completion waiting at most `orderWaitMs` for an earlier utterance's.
 *
 * Connection: audio pushed while connecting (or reconnecting) is kept, up to `maxBufferedMs`, and sent once
 * the session is configured. A dropped socket is reconnected (`reconnects` times per stream, default once)
 * with the same configuration, including the current endpointing; a refused handshake (401/403) is final.
 * Nothing here blocks: every send is a queued WebSocket write.
 */

const FRAME_BYTES = 160;
/** μ-law bytes per ms at 8 kHz. */
const BYTES_PER_MS = 8;

/** `SpeechToText` on the OpenAI Realtime transcription API (name `openai-realtime`). */
export class OpenAiRealtimeSpeechToText implements SpeechToText {
  readonly name = 'openai-realtime';
  private readonly settings: SttSettings;

  constructor(private readonly options: OpenAiRealtimeSttOptions) {
    if (!options.apiKey) throw new Error('OpenAiRealtimeSpeechToText: apiKey is required');
    this.settings = sttSettings(options);
  }

  open(opts: SttOpenOptions): SttStream {
    if (opts.encoding !== 'mulaw' || opts.sampleRate !== 8000) {
      throw new Error('OpenAiRealtimeSpeechToText: only 8 kHz μ-law audio is configured');
    }
    return new OpenAiRealtimeSttStream(this.settings, opts.callSid, this.options.log);
  }
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
  private readonly finals: FinalsInCommitOrder;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly appendBytes: number;
  private readonly maxBacklogBytes: number;

  constructor(
    private readonly settings: SttSettings,
    private readonly callSid: string,
    private readonly log?: Pick<Logger, 'debug' | 'info' | 'warn'>,
  ) {
    super();
    this.reconnectsLeft = settings.reconnects;
    this.silenceMs = settings.silenceMs;
    this.appendBytes = settings.framesPerAppend * FRAME_BYTES;
    this.maxBacklogBytes = settings.maxBufferedMs * BYTES_PER_MS;
    this.finals = new FinalsInCommitOrder({
      waitMs: settings.orderWaitMs,
      final: (text) => this.emit('final', text),
      closed: () => this.closed,
      skipped: (itemId) =>
        this.log?.warn({ callSid: this.callSid, itemId }, 'openai realtime stt: transcript never came, skipped'),
    });
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
    if (this.ready) sendRealtimeEvent(this.ws, transcriptionSessionUpdate(this.settings, this.silenceMs, false));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ready = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.finals.reset();
    this.backlog = [];
    this.batch = [];
    const ws = this.ws;
    this.ws = null;
    if (ws) closeRealtimeSocket(ws, 'call ended');
    this.removeAllListeners();
  }

  // ---- connection ----

  private connect(): void {
    const ws = openRealtimeSocket(this.settings.url, this.settings.apiKey, this.settings.connectTimeoutMs);
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
      sendRealtimeEvent(ws, transcriptionSessionUpdate(this.settings, this.silenceMs, true));
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
    this.finals.reset();
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

  // ---- caller audio ----

  private append(audio: Buffer): void {
    const event: InputAudioBufferAppendEvent = { type: 'input_audio_buffer.append', audio: audio.toString('base64') };
    sendRealtimeEvent(this.ws, event);
  }

  /** Keeps audio for when the session is ready, dropping the oldest past `maxBufferedMs`. */
  private keep(audio: Buffer): void {
    this.backlog.push(audio);
    this.backlogBytes += audio.length;
    while (this.backlogBytes > this.maxBacklogBytes && this.backlog.length) {
      this.backlogBytes -= this.backlog.shift()!.length;
    }
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
        this.finals.committed(event.item_id);
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
        this.finals.completed(event.item_id, event.transcript.trim() || null);
        return;
      case 'conversation.item.input_audio_transcription.failed':
        this.texts.delete(event.item_id);
        this.finals.completed(event.item_id, null);
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
}
