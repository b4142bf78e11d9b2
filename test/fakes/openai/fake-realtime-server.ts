import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { WebSocketServer } from 'ws';
import { HttpFake, refuseUpgrade } from '../http-fake.ts';
import { FakeRealtimeConnection } from './realtime-connection.ts';

export { FakeRealtimeConnection } from './realtime-connection.ts';

/**
 * A fake OpenAI Realtime endpoint (GA protocol, telephony.md A4) on 127.0.0.1, for the Realtime adapter's
 * tests and the call benchmark. Server events are typed with the `openai` package's `RealtimeServerEvent`.
 *
 *   WS /v1/realtime?model=…   `Authorization: Bearer <apiKey>` checked at the upgrade: a wrong or missing
 *                             key is refused with HTTP 401 and OpenAI's JSON error (`authFailure:
 *                             'handshake'`, default) or accepted, answered with an `error` event
 *                             (`invalid_api_key`) and closed with 3000 (`authFailure: 'event'`, as seen in
 *                             2024: unverified for GA). No `model` → HTTP 400.
 *
 * On connect: `session.created` (server defaults as the SDK documents them: pcm 24 kHz, server_vad; the
 * default instructions and voice are placeholders). Client events:
 *   session.update               needs `session.type:"realtime"`; merged (audio.input/output one level deep)
 *                                and answered with `session.updated` (the full session); recorded
 *   input_audio_buffer.append    scripted mode: an energy VAD per 20 ms frame of μ-law (RMS ≥ thresholdDbfs
 *                                for startMs → `speech_started`, with `audio_start_ms` minus prefix padding;
 *                                silence for the session's `silence_duration_ms` → `speech_stopped`,
 *                                `committed`, the user item, then, if `audio.input.transcription` is set,
 *                                `conversation.item.input_audio_transcription.completed` with the script's
 *                                next utterance, then, unless `create_response:false`, a response). Speech
 *                                during a response cancels it (`turn_detected`) unless `interrupt_response:false`.
 *                                Load mode: each append is answered at once with one `response.output_audio.delta`
 *                                carrying the same bytes (one echo response per connection), nothing else.
 *   input_audio_buffer.commit    (turn detection off) commits the audio appended since the last commit
 *   response.create              a response (error `conversation_already_has_active_response` if one is
 *                                active): per-response instructions ending in a quoted line (the adapter's
 *                                `say`) make it speak exactly that line; otherwise the script's next reply
 *   response.cancel              ends the active response (`cancelled`, `client_cancelled`): no more audio;
 *                                none active → error `response_cancel_not_active`
 *   conversation.item.truncate   checks the item and that `audio_end_ms` ≤ the audio sent for it, stops the
 *                                item's audio if it is still streaming, answers `conversation.item.truncated`
 *   conversation.item.create     `function_call_output` must name a call_id the fake made; recorded
 *
 * A reply streams a transcript (one word per delta, spread over the audio) and μ-law audio deltas of a
 * realistic length (`msPerWord` per word, `chunkMs` per delta, a quiet tone), then the item's done events
 * and `response.done`; or, with `toolCall`, a `function_call` item (arguments in two deltas). A scripted call
 * of a tool the session does not declare (or with `tool_choice:"none"`) is not made: the fake says
 * "I can't do that right now." instead. `stallAfterMs` holds a reply after that much audio until it is
 * cancelled, truncated or `release()`d, so barge-in tests need no timing.
 */

export interface FakeRealtimeReply {
  /** Spoken text (transcript deltas + audio). */
  text?: string;
  /** Audio length; default `msPerWord` per word (at least 400 ms). */
  audioMs?: number;
  /** Stop streaming after this much audio until cancelled, truncated or released. */
  stallAfterMs?: number;
  /** A function call after the text (or alone). */
  toolCall?: { name: string; arguments: Record<string, unknown>; callId?: string };
}

export interface FakeRealtimeScript {
  /** What the caller says, one per detected (or committed) speech segment, in order. */
  utterances?: string[];
  /** The model's answers, one per response (VAD-created or `response.create`), in order. */
  replies?: FakeRealtimeReply[];
  /** Spoken when no reply is left. Default "Sorry, could you say that again?". */
  fallbackReply?: string;
}

export interface FakeRealtimeLatency {
  /** From speech stopped (or commit) to the input transcription. Default 0. */
  transcriptionMs?: number;
  /** From `response.created` to the first output (and, in load mode, before each echo). Default 0. */
  responseMs?: number;
  /** Between audio deltas of a reply. Default 0 (one event-loop turn, so client events interleave). */
  chunkIntervalMs?: number;
  /** Audio deltas still sent after a cancel or truncate (in flight on a real network). Default 0. */
  lateDeltasAfterCancel?: number;
}

export interface FakeRealtimeServerOptions {
  /** Default 'sk-test-realtime'. */
  apiKey?: string;
  /** Default 'scripted'. 'load': every append is echoed as one audio delta (benchmarks). */
  mode?: 'scripted' | 'load';
  /** How a bad key is refused. Default 'handshake' (HTTP 401). */
  authFailure?: 'handshake' | 'event';
  /** Each connection's script (a factory gives each its own copy); `queueScript` overrides per connection. */
  script?: FakeRealtimeScript | (() => FakeRealtimeScript);
  latency?: FakeRealtimeLatency;
  /** A 20 ms frame at or above this RMS level (dBFS) is voiced. Default −40. */
  vadThresholdDbfs?: number;
  /** Voiced time before `speech_started`. Default 60 ms. */
  vadStartMs?: number;
  /** Audio per delta. Default 100 ms (800 bytes). */
  chunkMs?: number;
  /** Default 300. */
  msPerWord?: number;
}

export interface FakeRealtimeResponseRecord {
  id: string;
  /** 'vad' (server VAD created it) or 'client' (`response.create`). */
  origin: 'vad' | 'client';
  instructions: string | null;
  metadata: Record<string, string> | null;
  /** The line said, the tool called, … */
  text: string;
  toolCall: string | null;
  status: 'in_progress' | 'completed' | 'cancelled';
  reason: 'turn_detected' | 'client_cancelled' | null;
}

export class FakeRealtimeServer extends HttpFake {
  readonly apiKey: string;
  readonly connections: FakeRealtimeConnection[] = [];
  /** Upgrades refused (bad key, no model), with their HTTP status (or 3000 for `authFailure:'event'`). */
  readonly refused: { status: number; authorization: string | null }[] = [];
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly scripts: FakeRealtimeScript[] = [];
  private readonly changes = new EventEmitter();

  private constructor(readonly options: FakeRealtimeServerOptions) {
    super();
    this.apiKey = options.apiKey ?? 'sk-test-realtime';
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  static async start(options: FakeRealtimeServerOptions = {}): Promise<FakeRealtimeServer> {
    const fake = new FakeRealtimeServer(options);
    await fake.listen();
    return fake;
  }

  /** `ws://127.0.0.1:P/v1/realtime` (the adapter adds `?model=`). */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/v1/realtime`;
  }

  /** The script of the next connection (before `options.script`). */
  queueScript(script: FakeRealtimeScript): void {
    this.scripts.push(script);
  }

  /** The `index`-th accepted connection, once it exists. */
  connection(index = 0): Promise<FakeRealtimeConnection> {
    const ready = this.connections[index];
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const check = (): void => {
        const conn = this.connections[index];
        if (!conn) return;
        this.changes.off('connection', check);
        resolve(conn);
      };
      this.changes.on('connection', check);
    });
  }

  override async close(): Promise<void> {
    for (const conn of this.connections) conn.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await super.close();
  }

  protected async serve(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only');
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : null;
    const refuse = (status: number, message: string, type: string, code: string | null): void => {
      this.refused.push({ status, authorization });
      refuseUpgrade(socket, status, { error: { message, type, param: null, code } });
    };
    if (url.pathname !== '/v1/realtime') {
      refuse(404, `Invalid URL (GET ${url.pathname})`, 'invalid_request_error', null);
      return;
    }
    const authOk = authorization === `Bearer ${this.apiKey}`;
    if (!authOk && (this.options.authFailure ?? 'handshake') === 'handshake') {
      refuse(401, incorrectKeyMessage(authorization), 'invalid_request_error', 'invalid_api_key');
      return;
    }
    const model = url.searchParams.get('model');
    if (authOk && !model) {
      refuse(400, "Missing required parameter: 'model'.", 'invalid_request_error', 'missing_required_parameter');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (!authOk) {
        // Seen on the 2024 API (twilio-samples python #4): error event, then close 3000. Unverified for GA.
        this.refused.push({ status: 3000, authorization });
        ws.send(
          JSON.stringify({
            type: 'error',
            event_id: 'event_auth',
            error: {
              type: 'invalid_request_error',
              code: 'invalid_api_key',
              message: incorrectKeyMessage(authorization),
              param: null,
              event_id: null,
            },
          } satisfies RealtimeServerEvent),
        );
        ws.close(3000, 'invalid_request_error.invalid_api_key');
        return;
      }
      const script = this.scripts.shift() ?? resolveScript(this.options.script);
      const conn = new FakeRealtimeConnection(ws, model ?? '', authorization ?? '', script, this.options);
      this.connections.push(conn);
      this.changes.emit('connection');
    });
  }
}

function incorrectKeyMessage(authorization: string | null): string {
  if (!authorization) {
    return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
  }
  const given = authorization.replace(/^Bearer\s+/i, '');
  return `Incorrect API key provided: ${given.slice(0, 3)}*****${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
}

function resolveScript(script: FakeRealtimeServerOptions['script']): FakeRealtimeScript {
  const s = typeof script === 'function' ? script() : (script ?? {});
  return { ...s, utterances: [...(s.utterances ?? [])], replies: [...(s.replies ?? [])] };
}
