import { randomBytes } from 'node:crypto';
import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { mulawBytesFor } from '../../../src/voice/audio/mulaw.ts';
import { mulawTone } from '../../../src/voice/audio/signal.ts';

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

interface LiveContext {
  record: RecordedContext;
  pending: string;
  /** Texts flushed and waiting to be spoken, in order. */
  queue: string[];
  speaking: boolean;
  closing: boolean;
  cancelled: boolean;
}

const STREAM_PATH = /^\/v1\/text-to-speech\/([^/]+)\/stream$/;
const WHOLE_PATH = /^\/v1\/text-to-speech\/([^/]+)$/;
const WS_PATH = /^\/v1\/text-to-speech\/([^/]+)\/multi-stream-input$/;

export class FakeElevenLabsServer {
  readonly apiKey: string;
  msPerChar: number;
  chunkMs: number;
  firstByteMs: number;
  chunkIntervalMs: number;
  wsAuthFailure: 'handshake' | 'policy-close';
  readonly httpRequests: RecordedHttpRequest[] = [];
  readonly connections: RecordedConnection[] = [];

  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly rawSockets = new Set<Socket>();
  private httpFailures: ErrorSpec[] = [];
  private wsRejections: ErrorSpec[] = [];
  private wsRefused: ErrorSpec | null = null;
  private dropAfter: number | null = null;
  private port = 0;

  private constructor(options: FakeElevenLabsOptions) {
    this.apiKey = options.apiKey ?? `sk_${randomBytes(16).toString('hex')}`;
    this.msPerChar = options.msPerChar ?? 70;
    this.chunkMs = options.chunkMs ?? 200;
    this.firstByteMs = options.firstByteMs ?? 0;
    this.chunkIntervalMs = options.chunkIntervalMs ?? 0;
    this.wsAuthFailure = options.wsAuthFailure ?? 'handshake';
    this.server = createServer((req, res) => {
      this.handleHttp(req, res).catch(() => res.destroy());
    });
    this.server.on('connection', (socket) => {
      this.rawSockets.add(socket);
      socket.on('close', () => this.rawSockets.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket as Socket, head));
  }

  static async start(options: FakeElevenLabsOptions = {}): Promise<FakeElevenLabsServer> {
    const fake = new FakeElevenLabsServer(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** HTTP API root: the adapter's `baseUrl` (its WebSocket root is derived: ws://…). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
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

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    for (const socket of this.rawSockets) socket.destroy();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  // ---- HTTP ----

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    const url = new URL(req.url ?? '/', this.url);
    const record: RecordedHttpRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      status: 0,
      audioBytes: 0,
    };
    this.httpRequests.push(record);

    const stream = STREAM_PATH.test(url.pathname);
    if (req.method !== 'POST' || (!stream && !WHOLE_PATH.test(url.pathname))) {
      return this.sendJson(res, record, 404, { detail: 'Not Found' });
    }
    const failure = this.httpFailures.shift();
    if (failure) return this.sendJson(res, record, failure.status, errorBody(failure));
    if (req.headers['xi-api-key'] !== this.apiKey) {
      return this.sendJson(res, record, 401, errorBody(badKey(req.headers['xi-api-key'])));
    }
    const format = url.searchParams.get('output_format') ?? 'mp3_44100_128';
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
    let gone = false;
    res.on('close', () => (gone = true));
    res.writeHead(200, { 'content-type': 'audio/basic', 'request-id': randomBytes(10).toString('hex') });
    res.flushHeaders();
    if (this.firstByteMs > 0) await sleep(this.firstByteMs);
    for (const [i, piece] of this.audioPieces(text).entries()) {
      if (i > 0) await this.pause();
      if (gone || res.destroyed) return;
      record.audioBytes += piece.length;
      await new Promise((resolve) => res.write(piece, resolve));
    }
    res.end();
  }

  private sendJson(res: ServerResponse, record: RecordedHttpRequest, status: number, body: unknown): void {
    record.status = status;
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  }

  // ---- WebSocket ----

  private handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.url);
    const refuse = (status: number, body: unknown): void => {
      const payload = JSON.stringify(body);
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(payload)}\r\nconnection: close\r\n\r\n${payload}`,
      );
    };
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
      const live = new Map<string, LiveContext>();
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
        this.onClientMessage(ws, record, live, msg);
      });
    });
  }

  private onClientMessage(
    ws: WebSocket,
    record: RecordedConnection,
    live: Map<string, LiveContext>,
    msg: Record<string, unknown>,
  ): void {
    if (msg.close_socket === true) {
      for (const ctx of live.values()) ctx.cancelled = true;
      ws.close(1000);
      return;
    }
    const id = typeof msg.context_id === 'string' ? msg.context_id : null;
    if (id === null) {
      if (msg.text === '') record.keepAlives++;
      return;
    }
    let ctx = live.get(id);
    if (!ctx) {
      if (msg.close_context === true) return; // closing an unknown (finished) context: nothing to do
      const rec: RecordedContext = {
        id,
        text: '',
        voiceSettings: msg.voice_settings ?? null,
        flushes: 0,
        closeRequests: 0,
        cancelled: false,
        audioBytes: 0,
        finalSent: false,
      };
      record.contexts.push(rec);
      ctx = { record: rec, pending: '', queue: [], speaking: false, closing: false, cancelled: false };
      live.set(id, ctx);
    }
    if (typeof msg.text === 'string' && msg.text !== '' && msg.text !== ' ') {
      ctx.pending += msg.text;
      ctx.record.text += msg.text;
    }
    if (msg.flush === true) {
      ctx.record.flushes++;
      if (ctx.pending.trim()) ctx.queue.push(ctx.pending);
      ctx.pending = '';
    }
    if (msg.close_context === true) {
      ctx.record.closeRequests++;
      if (ctx.closing) {
        // Closed again while still speaking: a barge-in. Its remaining audio is dropped.
        ctx.cancelled = true;
        ctx.record.cancelled = ctx.speaking || ctx.queue.length > 0;
        ctx.queue = [];
      }
      ctx.closing = true;
    }
    void this.pump(ws, live, id, ctx);
  }

  /** Speaks a context's flushed texts in order; sends isFinal once it is closed and done (or cancelled). */
  private async pump(ws: WebSocket, live: Map<string, LiveContext>, id: string, ctx: LiveContext): Promise<void> {
    if (ctx.speaking) return;
    ctx.speaking = true;
    let dropped = false;
    speaking: while (ctx.queue.length && !ctx.cancelled) {
      const text = ctx.queue.shift()!;
      if (this.firstByteMs > 0) await sleep(this.firstByteMs);
      for (const [i, piece] of this.audioPieces(text).entries()) {
        if (i > 0) await this.pause();
        if (ctx.cancelled || ws.readyState !== ws.OPEN) break speaking;
        ctx.record.audioBytes += piece.length;
        ws.send(
          JSON.stringify({
            audio: piece.toString('base64'),
            contextId: id,
            alignment: null,
            normalizedAlignment: null,
          }),
        );
        if (this.dropAfter !== null && --this.dropAfter <= 0) {
          this.dropAfter = null;
          dropped = true;
          ws.terminate();
          break speaking;
        }
      }
    }
    ctx.speaking = false;
    if (dropped || ws.readyState !== ws.OPEN) return;
    if ((ctx.closing || ctx.cancelled) && !ctx.record.finalSent) {
      ctx.record.finalSent = true;
      live.delete(id);
      ws.send(JSON.stringify({ isFinal: true, contextId: id }));
    }
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

  private async pause(): Promise<void> {
    if (this.chunkIntervalMs > 0) await sleep(this.chunkIntervalMs);
    else await setImmediate();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
