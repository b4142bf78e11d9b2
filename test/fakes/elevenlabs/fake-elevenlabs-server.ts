import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { mulawBytesFor } from '../../../src/voice/audio/mulaw.ts';
import { mulawTone } from '../../../src/voice/audio/signal.ts';
import { HttpFake, isRecord, parseJson, readRequest, refuseUpgrade, sendSizedJson, streamBody } from '../http-fake.ts';
import { StreamInputSocket, type StreamInputVoice } from './elevenlabs-stream-input.ts';

/**
 * A fake ElevenLabs text-to-speech API on 127.0.0.1 (random port), speaking the real wire protocol:
 *
 *   POST /v1/text-to-speech/{voice}/stream?output_format=ulaw_8000   header `xi-api-key`, JSON {text, model_id,
 *        voice_settings?} → 200 `audio/basic`, the μ-law audio in chunks (chunked transfer)
 *   POST /v1/text-to-speech/{voice}?output_format=ulaw_8000          same, whole
 *   WS   /v1/text-to-speech/{voice}/multi-stream-input?model_id=…&output_format=ulaw_8000   header `xi-api-key`
 *        client: {text:" ", context_id, voice_settings?} (init) · {text:"… ", context_id, flush?} ·
 *                {context_id, flush:true} · {context_id, close_context:true} · {text:""[, context_id]} (keep-alive)
 *                · {close_socket:true}
 *        server: {audio:base64, contextId, alignment:null, normalizedAlignment:null} · {isFinal:true, contextId}
 *
 * Audio: a quiet tone as 8 kHz μ-law lasting `msPerChar` per character of the spoken text (≈ 14 characters a
 * second, like real speech), in `chunkMs` pieces, the first one `firstByteMs` after the flush.
 *
 * close_context on a context still flushing lets it finish (as documented: "If it has already been set to flush
 * it will continue flushing") and then sends isFinal; a second close_context for it (a barge-in) stops its
 * remaining audio at once and sends isFinal. Errors: a wrong/missing key gets 401 `invalid_api_key` (HTTP; on
 * the socket the handshake is refused with 401, or with `wsAuthFailure: 'policy-close'` accepted then closed
 * 1008 after an error message). Injected failures: `failHttp`, `rejectWebSocket`, `refuseWebSockets`,
 * `dropSocketAfterChunks`. Everything received is recorded.
 */

export interface FakeElevenLabsOptions {
  apiKey?: string;
  /** Spoken length per character of text. Default 70 ms. */
  msPerChar?: number;
  /** Audio per message/body chunk. Default 200 ms (1600 bytes). */
  chunkMs?: number;
  /** Delay from a flush (or HTTP request) to its first audio chunk. Default 0. */
  firstByteMs?: number;
  /** Delay between chunks after the first. Default 0 (faster than real time, like the vendor). */
  chunkIntervalMs?: number;
  /** How a bad key on the socket is answered. Default 'handshake' (HTTP 401). */
  wsAuthFailure?: 'handshake' | 'policy-close';
}

export interface RecordedHttpRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
  /** Audio bytes sent (a client that disconnected early got fewer). */
  audioBytes: number;
}

export interface RecordedContext {
  id: string;
  /** Text of all its text messages, keep-alives and the init space excluded. */
  text: string;
  voiceSettings: unknown;
  flushes: number;
  closeRequests: number;
  /** Stopped by a second close_context before its audio was all sent. */
  cancelled: boolean;
  /** Audio bytes sent for it. */
  audioBytes: number;
  finalSent: boolean;
}

export interface RecordedConnection {
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Every client message, parsed, in order. */
  messages: Record<string, unknown>[];
  /** Contexts in creation order. */
  contexts: RecordedContext[];
  /** Context-less `{text:""}` messages. */
  keepAlives: number;
  open: boolean;
  /** Close code seen by the server (1005 none, 1006 dropped). */
  closeCode: number | null;
}

interface ErrorSpec {
  status: number;
  code?: string;
  message?: string;
}

const STREAM_PATH = /^\/v1\/text-to-speech\/([^/]+)\/stream$/;
const WHOLE_PATH = /^\/v1\/text-to-speech\/([^/]+)$/;
const WS_PATH = /^\/v1\/text-to-speech\/([^/]+)\/multi-stream-input$/;

export class FakeElevenLabsServer extends HttpFake {
  readonly apiKey: string;
  msPerChar: number;
  chunkMs: number;
  firstByteMs: number;
  chunkIntervalMs: number;
  wsAuthFailure: 'handshake' | 'policy-close';
  readonly httpRequests: RecordedHttpRequest[] = [];
  readonly connections: RecordedConnection[] = [];

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly rawSockets = new Set<Socket>();
  private readonly voice: StreamInputVoice = {
    pacing: this,
    audioPieces: (text) => this.audioPieces(text),
    dropDue: () => this.dropDue(),
  };
  private httpFailures: ErrorSpec[] = [];
  private wsRejections: ErrorSpec[] = [];
  private wsRefused: ErrorSpec | null = null;
  private dropAfter: number | null = null;

  private constructor(options: FakeElevenLabsOptions) {
    super();
    this.apiKey = options.apiKey ?? `sk_${randomBytes(16).toString('hex')}`;
    this.msPerChar = options.msPerChar ?? 70;
    this.chunkMs = options.chunkMs ?? 200;
    this.firstByteMs = options.firstByteMs ?? 0;
    this.chunkIntervalMs = options.chunkIntervalMs ?? 0;
    this.wsAuthFailure = options.wsAuthFailure ?? 'handshake';
    this.server.on('connection', (socket) => {
      this.rawSockets.add(socket);
      socket.on('close', () => this.rawSockets.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket as Socket, head));
  }

  static async start(options: FakeElevenLabsOptions = {}): Promise<FakeElevenLabsServer> {
    const fake = new FakeElevenLabsServer(options);
    await fake.listen();
    return fake;
  }

  /** HTTP API root: the adapter's `baseUrl` (its WebSocket root is derived: ws://…). */
  get url(): string {
    return this.origin;
  }

  /** How long the fake speaks `text`. */
  durationMs(text: string): number {
    return Math.max(1, text.trim().length) * this.msPerChar;
  }

  /** μ-law bytes the fake sends for `text`. */
  bytesFor(text: string): number {
    return mulawBytesFor(this.durationMs(text));
  }

  /** The next `times` HTTP requests get this status and the vendor's error body. */
  failHttp(status: number, options: { code?: string; message?: string; times?: number } = {}): this {
    for (let i = 0; i < (options.times ?? 1); i++) this.httpFailures.push({ status, ...options });
    return this;
  }

  /** The next `times` WebSocket handshakes are refused with this HTTP status. */
  rejectWebSocket(status: number, options: { code?: string; message?: string; times?: number } = {}): this {
    for (let i = 0; i < (options.times ?? 1); i++) this.wsRejections.push({ status, ...options });
    return this;
  }

  /** Every handshake refused (503) while on: the socket endpoint is down, HTTP still works. */
  refuseWebSockets(on = true): this {
    this.wsRefused = on ? { status: 503, code: 'service_unavailable', message: 'WebSocket service unavailable' } : null;
    return this;
  }

  /** The next context to speak: after `chunks` audio messages the server drops the socket (no close frame). */
  dropSocketAfterChunks(chunks: number): this {
    this.dropAfter = chunks;
    return this;
  }

  /** Drops every open socket now (no close frame). */
  dropAllSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** Every client message on every connection, in order, with its connection index. */
  wsMessages(): { connection: number; message: Record<string, unknown> }[] {
    return this.connections.flatMap((c, connection) => c.messages.map((message) => ({ connection, message })));
  }

  override async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    for (const socket of this.rawSockets) socket.destroy();
    this.wss.close();
    await super.close();
  }

  // ---- HTTP ----

  protected async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, query, headers, rawBody } = await readRequest(req);
    const body = parseJson(rawBody);
    const record: RecordedHttpRequest = { method, path, query, headers, body, status: 0, audioBytes: 0 };
    this.httpRequests.push(record);

    const stream = STREAM_PATH.test(path);
    if (method !== 'POST' || (!stream && !WHOLE_PATH.test(path))) {
      return this.sendJson(res, record, 404, { detail: 'Not Found' });
    }
    const failure = this.httpFailures.shift();
    if (failure) return this.sendJson(res, record, failure.status, errorBody(failure));
    if (req.headers['xi-api-key'] !== this.apiKey) {
      return this.sendJson(res, record, 401, errorBody(badKey(req.headers['xi-api-key'])));
    }
    const format = query.output_format ?? 'mp3_44100_128';
    if (format !== 'ulaw_8000') {
      return this.sendJson(res, record, 400, {
        detail: { status: 'invalid_output_format', message: `fake: only ulaw_8000 is produced, not ${format}` },
      });
    }
    const text = isRecord(body) && typeof body.text === 'string' ? body.text : '';
    if (!text.trim()) {
      return this.sendJson(res, record, 422, {
        detail: [{ type: 'missing', loc: ['body', 'text'], msg: 'Field required', input: body }],
      });
    }

    record.status = 200;
    const audioHeaders = { 'content-type': 'audio/basic', 'request-id': randomBytes(10).toString('hex') };
    const pieces = (): Buffer[] => this.audioPieces(text);
    await streamBody(res, audioHeaders, pieces, this, (piece) => (record.audioBytes += piece.length));
  }

  private sendJson(res: ServerResponse, record: RecordedHttpRequest, status: number, body: unknown): void {
    record.status = status;
    sendSizedJson(res, status, body);
  }

  // ---- WebSocket ----

  private handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.url);
    const refuse = (status: number, body: unknown): void => refuseUpgrade(socket, status, body);
    if (!WS_PATH.test(url.pathname)) return refuse(404, { detail: 'Not Found' });
    const rejection = this.wsRejections.shift() ?? this.wsRefused;
    if (rejection) return refuse(rejection.status, errorBody(rejection));
    const keyOk = req.headers['xi-api-key'] === this.apiKey;
    if (!keyOk && this.wsAuthFailure === 'handshake') return refuse(401, errorBody(badKey(req.headers['xi-api-key'])));

    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const record: RecordedConnection = {
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        messages: [],
        contexts: [],
        keepAlives: 0,
        open: true,
        closeCode: null,
      };
      this.connections.push(record);
      this.sockets.add(ws);
      ws.on('close', (code) => {
        record.open = false;
        record.closeCode = code;
        this.sockets.delete(ws);
      });
      ws.on('error', () => undefined);
      if (!keyOk) {
        const { message } = errorBody(badKey(req.headers['xi-api-key'])).detail;
        ws.send(JSON.stringify({ message, error: 'invalid_api_key', code: 1008 }));
        ws.close(1008, message);
        return;
      }
      const session = new StreamInputSocket(ws, record, this.voice);
      ws.on('message', (data) => {
        let msg: unknown;
        try {
          msg = JSON.parse(String(data));
        } catch {
          ws.close(1007, 'Invalid JSON');
          return;
        }
        if (!isRecord(msg)) return;
        record.messages.push(msg);
        session.receive(msg);
      });
    });
  }

  /** The whole μ-law audio the fake sends for `text` (its chunks, joined in order). */
  audioFor(text: string): Buffer {
    return mulawTone(this.durationMs(text), { hz: 180, dbfs: -24 });
  }

  private audioPieces(text: string): Buffer[] {
    const audio = this.audioFor(text);
    const step = Math.max(1, mulawBytesFor(this.chunkMs));
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < audio.length; offset += step) pieces.push(audio.subarray(offset, offset + step));
    return pieces;
  }

  /** A planned drop (`dropSocketAfterChunks`) counts one audio message; true when it is due now. */
  private dropDue(): boolean {
    if (this.dropAfter === null || --this.dropAfter > 0) return false;
    this.dropAfter = null;
    return true;
  }
}

function badKey(given: string | string[] | undefined): ErrorSpec {
  return given
    ? { status: 401, code: 'invalid_api_key', message: 'Invalid API key' }
    : {
        status: 401,
        code: 'needs_authorization',
        message: 'Neither authorization header nor xi-api-key received, please provide one.',
      };
}

const DEFAULT_MESSAGES: Record<number, { code: string; message: string }> = {
  401: { code: 'invalid_api_key', message: 'Invalid API key' },
  429: {
    code: 'too_many_concurrent_requests',
    message:
      'Too many concurrent requests. Your current subscription is associated with a maximum of 2 concurrent requests.',
  },
  500: { code: 'internal_server_error', message: 'An internal server error occurred.' },
  503: { code: 'service_unavailable', message: 'The service is temporarily unavailable.' },
};

function errorBody(spec: ErrorSpec): { detail: { status: string; message: string } } {
  const fallback = DEFAULT_MESSAGES[spec.status] ?? { code: 'error', message: `HTTP ${spec.status}` };
  return { detail: { status: spec.code ?? fallback.code, message: spec.message ?? fallback.message } };
}
