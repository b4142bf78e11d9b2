import type { IncomingMessage } from 'node:http';
import WebSocket, { type RawData } from 'ws';
import type { TextToSpeechError } from '../../call-runtime/speech.port.ts';
import type { Logger } from '../../log.ts';
import { ChunkQueue } from './chunk-queue.ts';
import { connectionError, httpStatusError, wsCloseError, wsMessageError } from './errors.ts';

/** The voice settings ElevenLabs takes per context (snake_case on the wire). */
export interface ElevenLabsVoiceSettings {
  stability?: number;
  similarity_boost?: number;
  style?: number;
  use_speaker_boost?: boolean;
  speed?: number;
}

export interface MultiStreamConnectionOptions {
  /** Full `…/multi-stream-input?…` URL (ws: or wss:). */
  url: string;
  apiKey: string;
  voiceSettings?: ElevenLabsVoiceSettings;
  /** Opening-handshake deadline. */
  connectTimeoutMs: number;
  /** A context-less `{text:""}` goes out after this long without any message from us. */
  keepAliveMs: number;
  log?: Pick<Logger, 'debug' | 'warn'>;
  /** Told once when the socket is gone (closed, dropped or never opened). */
  onGone?: (err: TextToSpeechError | null) => void;
}

/** One open context: the phrase's audio as it arrives. */
export interface SpeechContext {
  readonly id: string;
  readonly audio: ChunkQueue;
  /** Barge-in or early stop: `close_context` and ignore whatever still comes for it. No-op once finished. */
  cancel(): void;
}

/**
 * One ElevenLabs multi-context WebSocket (`/v1/text-to-speech/{voice}/multi-stream-input`). Client messages use
 * `context_id`; the server answers `{audio, contextId}` chunks and `{isFinal:true, contextId}`.
 *
 * A phrase is one context: `{text:" ", context_id, voice_settings}` (init), `{text:"… ", context_id, flush:true}`,
 * then `{context_id, close_context:true}` at once, so the server finishes that audio and reports `isFinal`
 * right after its last byte (a flushed context left open would only end at the inactivity timeout). On
 * cancel the context is closed (again) and its remaining messages are dropped; the socket stays open for the
 * next phrase. A context-less `{text:""}` keeps the idle socket alive; `{close_socket:true}` ends it.
 */
export class MultiStreamConnection {
  /** Resolves when the socket is open; rejects (TextToSpeechError) when it cannot be opened. */
  readonly ready: Promise<void>;
  private readonly ws: WebSocket;
  private readonly contexts = new Map<string, ChunkQueue>();
  private readonly keepAlive: NodeJS.Timeout;
  private lastSentAt = Date.now();
  private socketError: TextToSpeechError | null = null;
  private gone = false;
  private open = false;

  constructor(private readonly options: MultiStreamConnectionOptions) {
    this.ws = new WebSocket(options.url, {
      headers: { 'xi-api-key': options.apiKey },
      handshakeTimeout: options.connectTimeoutMs,
      perMessageDeflate: false,
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => {
        this.open = true;
        resolve();
      });
      this.ws.once('unexpected-response', (_req, res) => {
        void readBody(res).then((body) => {
          const err = httpStatusError(res.statusCode ?? 0, body, 'websocket handshake');
          this.socketError = err;
          reject(err);
          this.finish(err);
          this.ws.terminate();
        });
      });
      this.ws.on('error', (cause) => {
        this.socketError ??= connectionError('websocket', cause);
        if (!this.open) reject(this.socketError);
      });
      this.ws.once('close', (code, reason) => {
        const err = wsCloseError(code, reason.toString('utf8'), this.socketError);
        if (!this.open) reject(err);
        this.finish(this.gone ? null : err);
      });
    });
    // A connection nobody waits for must not become an unhandled rejection.
    this.ready.catch(() => undefined);
    this.ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.keepAlive = setInterval(() => this.sendKeepAlive(), Math.max(50, Math.floor(options.keepAliveMs / 4)));
    this.keepAlive.unref();
  }

  /** Open (or opening) and usable. */
  get usable(): boolean {
    return !this.gone && this.ws.readyState !== WebSocket.CLOSING && this.ws.readyState !== WebSocket.CLOSED;
  }

  /** Contexts whose audio is still expected. */
  get activeContexts(): number {
    return this.contexts.size;
  }

  /** Starts a phrase on context `id`: init, text with flush, close (see the class comment). */
  speak(id: string, text: string): SpeechContext {
    const audio = new ChunkQueue();
    this.contexts.set(id, audio);
    const init: Record<string, unknown> = { text: ' ', context_id: id };
    if (this.options.voiceSettings) init.voice_settings = this.options.voiceSettings;
    this.send(init);
    this.send({ text: `${text} `, context_id: id, flush: true });
    this.send({ context_id: id, close_context: true });
    return {
      id,
      audio,
      cancel: () => {
        if (audio.finished) return;
        audio.end();
        this.contexts.delete(id);
        if (this.open && !this.gone) this.send({ context_id: id, close_context: true });
      },
    };
  }

  /** Ends the socket politely (`close_socket`), failing nothing: open contexts simply end. */
  close(): void {
    if (this.gone) return;
    if (this.open && this.ws.readyState === WebSocket.OPEN) this.send({ close_socket: true });
    this.finish(null);
    this.ws.close(1000);
  }

  /** Drops the socket at once (a stuck or broken connection); open contexts fail with `err`. */
  terminate(err: TextToSpeechError): void {
    if (this.gone) return;
    this.finish(err);
    this.ws.terminate();
  }

  private send(message: Record<string, unknown>): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      // Messages for a socket still connecting go out once it opens, in order.
      if (this.ws.readyState === WebSocket.CONNECTING) {
        void this.ready.then(
          () => this.send(message),
          () => undefined,
        );
      }
      return;
    }
    this.lastSentAt = Date.now();
    this.ws.send(JSON.stringify(message));
  }

  private sendKeepAlive(): void {
    if (this.ws.readyState !== WebSocket.OPEN || Date.now() - this.lastSentAt < this.options.keepAliveMs) return;
    this.send({ text: '' });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let msg: unknown;
    try {
      msg = JSON.parse(rawText(data));
    } catch {
      this.options.log?.debug('elevenlabs: unparsable websocket message');
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return;
    const m = msg as Record<string, unknown>;
    const contextId =
      typeof m.contextId === 'string' ? m.contextId : typeof m.context_id === 'string' ? m.context_id : null;
    const queue = contextId === null ? undefined : this.contexts.get(contextId);
    if (typeof m.audio === 'string' && m.audio.length > 0) {
      if (queue) queue.push(Buffer.from(m.audio, 'base64'));
      else this.options.log?.debug({ contextId }, 'elevenlabs: audio of a dropped context ignored');
    } else if (!('audio' in m) && (typeof m.error === 'string' || typeof m.message === 'string')) {
      const err = wsMessageError(m);
      if (contextId !== null) {
        queue?.fail(err);
        this.contexts.delete(contextId);
      } else {
        // A socket-wide error (usually followed by a close): it explains the close to the open contexts.
        this.socketError ??= err;
        this.options.log?.warn({ err }, 'elevenlabs: websocket error message');
      }
    }
    if ((m.isFinal === true || m.is_final === true) && contextId !== null) {
      queue?.end();
      this.contexts.delete(contextId);
    }
  }

  private finish(err: TextToSpeechError | null): void {
    if (this.gone) return;
    this.gone = true;
    clearInterval(this.keepAlive);
    for (const queue of this.contexts.values()) {
      if (err) queue.fail(err);
      else queue.end();
    }
    this.contexts.clear();
    this.options.onGone?.(err);
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

async function readBody(res: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of res) {
      const buf = part as Buffer;
      size += buf.length;
      if (size <= 16_384) parts.push(buf);
    }
  } catch {
    // The body is only for the error message.
  }
  return Buffer.concat(parts).toString('utf8');
}
