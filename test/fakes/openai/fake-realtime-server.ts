import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ConversationItem,
  RealtimeClientEvent,
  RealtimeFunctionTool,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { mulawBytesFor, mulawDurationMs } from '../../../src/voice/audio/mulaw.ts';
import { mulawLevelDbfs, mulawTone } from '../../../src/voice/audio/signal.ts';

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

interface AssistantItem {
  id: string;
  responseId: string;
  sentBytes: number;
  streaming: boolean;
  truncated: boolean;
}

interface ActiveResponse {
  record: FakeRealtimeResponseRecord;
  cancelled: boolean;
  released: boolean;
  wake: (() => void) | null;
  currentItem: AssistantItem | null;
}

const FRAME_MS = 20;
const FRAME_BYTES = mulawBytesFor(FRAME_MS);
const DEFAULT_SERVER_VAD = {
  type: 'server_vad' as const,
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
};
const FORMATS = new Set(['audio/pcm', 'audio/pcmu', 'audio/pcma']);
const VOICES = new Set(['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar']);

export class FakeRealtimeServer {
  readonly apiKey: string;
  readonly connections: FakeRealtimeConnection[] = [];
  /** Upgrades refused (bad key, no model), with their HTTP status (or 3000 for `authFailure:'event'`). */
  readonly refused: { status: number; authorization: string | null }[] = [];
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly scripts: FakeRealtimeScript[] = [];
  private readonly changes = new EventEmitter();
  private port = 0;

  private constructor(readonly options: FakeRealtimeServerOptions) {
    this.apiKey = options.apiKey ?? 'sk-test-realtime';
    this.server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only');
    });
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  static async start(options: FakeRealtimeServerOptions = {}): Promise<FakeRealtimeServer> {
    const fake = new FakeRealtimeServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
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

  async close(): Promise<void> {
    for (const conn of this.connections) conn.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : null;
    const refuse = (status: number, message: string, type: string, code: string | null): void => {
      this.refused.push({ status, authorization });
      const body = JSON.stringify({ error: { message, type, param: null, code } });
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Bad Request'}\r\n` +
          `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
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

/** One accepted Realtime socket: its session, what the client sent, what the fake answered. */
export class FakeRealtimeConnection {
  readonly script: Required<Pick<FakeRealtimeScript, 'utterances' | 'replies'>> & { fallbackReply: string };
  /** The effective session (server defaults merged with every `session.update`). */
  session: RealtimeSessionCreateRequest;
  /** Each `session.update`'s `session`, as sent. */
  readonly sessionUpdates: RealtimeSessionCreateRequest[] = [];
  /** Every client event except `input_audio_buffer.append`, parsed, in order. */
  readonly clientEvents: RealtimeClientEvent[] = [];
  /** Appends received and their bytes (in load mode only these are kept). */
  appendCount = 0;
  appendBytes = 0;
  readonly responses: FakeRealtimeResponseRecord[] = [];
  readonly truncations: { itemId: string; audioEndMs: number }[] = [];
  readonly toolOutputs: { callId: string; output: string }[] = [];
  /** Scripted tool calls the fake did not make: the session did not declare the tool (or forbade tools). */
  readonly undeclaredToolCalls: string[] = [];
  /** Audio deltas sent after a cancel/truncate (`lateDeltasAfterCancel`), by item. */
  readonly lateAudio = new Map<string, Buffer[]>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private readonly inputChunks: Buffer[] = [];
  private readonly sentAudioByItem = new Map<string, Buffer[]>();
  private readonly items = new Map<string, AssistantItem>();
  private readonly calls = new Set<string>();
  private readonly changes = new EventEmitter();
  private active: ActiveResponse | null = null;
  private seq = 0;
  private lastItemId: string | null = null;
  private audioSpoken = false;
  // VAD (on the input buffer's own clock: 20 ms per frame)
  private pending = Buffer.alloc(0);
  private bufferMs = 0;
  private voicedRun = 0;
  private unvoicedRun = 0;
  private speechItemId: string | null = null;
  private uncommittedMs = 0;
  private toneOffset = 0;
  private loadResponse: { responseId: string; itemId: string } | null = null;

  constructor(
    private readonly ws: WebSocket,
    readonly model: string,
    readonly authorization: string,
    script: FakeRealtimeScript,
    private readonly options: FakeRealtimeServerOptions,
  ) {
    this.script = {
      utterances: script.utterances ?? [],
      replies: script.replies ?? [],
      fallbackReply: script.fallbackReply ?? 'Sorry, could you say that again?',
    };
    this.session = {
      type: 'realtime',
      model,
      output_modalities: ['audio'],
      instructions: 'You are a helpful assistant.',
      tools: [],
      tool_choice: 'auto',
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { ...DEFAULT_SERVER_VAD } },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
      },
    };
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        if (this.active) this.active.cancelled = true;
        this.wakeActive();
        resolve({ code, reason: reason.toString() });
      }),
    );
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    this.send({ type: 'session.created', event_id: this.id('event'), session: this.session });
  }

  /** Every byte appended (scripted mode), in order. */
  inputAudio(): Buffer {
    return Buffer.concat(this.inputChunks);
  }

  /** The audio the fake sent for an assistant item (before any cancel), in order. */
  sentAudio(itemId: string): Buffer {
    return Buffer.concat(this.sentAudioByItem.get(itemId) ?? []);
  }

  /** The assistant items that carried audio, in order. */
  audioItems(): string[] {
    return [...this.sentAudioByItem.keys()];
  }

  /** Client events of a type, in order. */
  eventsOf<T extends RealtimeClientEvent['type']>(type: T): Extract<RealtimeClientEvent, { type: T }>[] {
    return this.clientEvents.filter((e): e is Extract<RealtimeClientEvent, { type: T }> => e.type === type);
  }

  /** Resolves with the first client event of that type (already received or to come) matching `match`. */
  waitFor<T extends RealtimeClientEvent['type']>(
    type: T,
    match: (e: Extract<RealtimeClientEvent, { type: T }>) => boolean = () => true,
  ): Promise<Extract<RealtimeClientEvent, { type: T }>> {
    return this.until(() => this.eventsOf(type).find(match));
  }

  /** Resolves once a reply is held by `stallAfterMs`. */
  waitForStall(): Promise<FakeRealtimeResponseRecord> {
    return this.until(() => (this.active && this.active.wake ? this.active.record : undefined));
  }

  /** Resolves once a response with that status exists (the `index`-th such, default the first). */
  waitForResponse(status: FakeRealtimeResponseRecord['status'], index = 0): Promise<FakeRealtimeResponseRecord> {
    return this.until(() => this.responses.filter((r) => r.status === status)[index]);
  }

  /** Lets a stalled reply go on. */
  release(): void {
    if (!this.active) return;
    this.active.released = true;
    this.wakeActive();
  }

  /** Closes the socket as the server would (e.g. the 60-minute limit). */
  drop(code = 1011, reason = 'server closed'): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  // ---- client events ----

  private receive(data: RawData, isBinary: boolean): void {
    let event: RealtimeClientEvent;
    try {
      if (isBinary) throw new Error('binary');
      event = JSON.parse(data.toString()) as RealtimeClientEvent;
      if (typeof event !== 'object' || event === null || typeof event.type !== 'string') throw new Error('no type');
    } catch {
      this.error('We could not parse the JSON body of your request.', 'invalid_json', null);
      return;
    }
    if (event.type === 'input_audio_buffer.append') {
      this.append(event.audio);
      return;
    }
    this.clientEvents.push(event);
    this.changed();
    const eventId = event.event_id ?? null;
    switch (event.type) {
      case 'session.update':
        this.updateSession(event.session as RealtimeSessionCreateRequest, eventId);
        return;
      case 'input_audio_buffer.commit':
        this.commit(eventId);
        return;
      case 'input_audio_buffer.clear':
        this.pending = Buffer.alloc(0);
        this.uncommittedMs = 0;
        this.send({ type: 'input_audio_buffer.cleared', event_id: this.id('event') });
        return;
      case 'response.create': {
        const r = event.response;
        this.createResponse('client', eventId, {
          instructions: r?.instructions ?? null,
          metadata: r?.metadata ?? null,
          toolChoice: typeof r?.tool_choice === 'string' ? r.tool_choice : null,
        });
        return;
      }
      case 'response.cancel': {
        const active = this.active;
        if (!active || active.cancelled || (event.response_id && event.response_id !== active.record.id)) {
          this.error('Cancellation failed: no active response found', 'response_cancel_not_active', eventId);
          return;
        }
        this.cancel(active, 'client_cancelled');
        return;
      }
      case 'conversation.item.truncate':
        this.truncate(event.item_id, event.content_index, event.audio_end_ms, eventId);
        return;
      case 'conversation.item.create':
        this.createItem(event.item, eventId);
        return;
      default:
        // Unverified wording: the real server's message for an event it does not know.
        this.error(`Invalid value: '${String(event.type)}'.`, 'invalid_value', eventId);
    }
  }

  private updateSession(update: RealtimeSessionCreateRequest, eventId: string | null): void {
    if (!update || update.type !== 'realtime') {
      this.error("Missing required parameter: 'session.type'.", 'missing_required_parameter', eventId, 'session.type');
      return;
    }
    for (const format of [update.audio?.input?.format, update.audio?.output?.format]) {
      if (format && !FORMATS.has(format.type ?? '')) {
        this.error(`Invalid value: '${format.type}'.`, 'invalid_value', eventId, 'session.audio.format.type');
        return;
      }
    }
    const voice = update.audio?.output?.voice;
    if (typeof voice === 'string' && !VOICES.has(voice)) {
      this.error(`Invalid value: '${voice}'.`, 'invalid_value', eventId, 'session.audio.output.voice');
      return;
    }
    if (voice !== undefined && this.audioSpoken && voice !== this.session.audio?.output?.voice) {
      // Unverified code; the documented rule: the voice cannot change once the model has spoken.
      this.error('Cannot update a conversation voice if assistant audio is present.', 'cannot_update_voice', eventId);
      return;
    }
    for (const tool of update.tools ?? []) {
      const t = tool as RealtimeFunctionTool;
      if (t.type !== 'function' || !t.name || typeof t.parameters !== 'object') {
        this.error('Invalid tool: a function tool needs type, name and parameters.', 'invalid_value', eventId);
        return;
      }
    }
    this.sessionUpdates.push(update);
    const { audio, ...rest } = update;
    this.session = {
      ...this.session,
      ...rest,
      audio: {
        input: { ...this.session.audio?.input, ...audio?.input },
        output: { ...this.session.audio?.output, ...audio?.output },
      },
    };
    this.send({ type: 'session.updated', event_id: this.id('event'), session: this.session });
  }

  private append(base64: string): void {
    this.appendCount++;
    if ((this.options.mode ?? 'scripted') === 'load') {
      this.appendBytes += Math.floor((base64.length * 3) / 4);
      this.echo(base64);
      return;
    }
    const audio = Buffer.from(base64, 'base64');
    this.appendBytes += audio.length;
    this.inputChunks.push(audio);
    this.uncommittedMs += mulawDurationMs(audio.length);
    const input = this.session.audio?.input;
    const detection = input?.turn_detection;
    if (!detection || input?.format?.type !== 'audio/pcmu') return;
    let rest = this.pending.length ? Buffer.concat([this.pending, audio]) : audio;
    while (rest.length >= FRAME_BYTES) {
      this.vadFrame(mulawLevelDbfs(rest.subarray(0, FRAME_BYTES)) >= (this.options.vadThresholdDbfs ?? -40));
      rest = rest.subarray(FRAME_BYTES);
    }
    this.pending = Buffer.from(rest);
  }

  private echo(base64: string): void {
    if (!this.loadResponse) {
      const responseId = this.id('resp');
      const itemId = this.id('item');
      this.loadResponse = { responseId, itemId };
      this.send({
        type: 'response.created',
        event_id: this.id('event'),
        response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [] },
      });
      this.send({
        type: 'response.output_item.added',
        event_id: this.id('event'),
        response_id: responseId,
        output_index: 0,
        item: { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
      });
    }
    const { responseId, itemId } = this.loadResponse;
    const delta = (): void =>
      this.send({
        type: 'response.output_audio.delta',
        event_id: this.id('event'),
        response_id: responseId,
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        delta: base64,
      });
    const latency = this.options.latency?.responseMs ?? 0;
    if (latency > 0) setTimeout(delta, latency);
    else delta();
  }

  private vadFrame(voiced: boolean): void {
    this.bufferMs += FRAME_MS;
    const detection = this.session.audio?.input?.turn_detection;
    if (!detection) return;
    if (!this.speechItemId) {
      this.voicedRun = voiced ? this.voicedRun + 1 : 0;
      if (this.voicedRun * FRAME_MS < (this.options.vadStartMs ?? 60)) return;
      const padding = detection.type === 'server_vad' ? (detection.prefix_padding_ms ?? 300) : 300;
      const firstVoicedMs = this.bufferMs - this.voicedRun * FRAME_MS;
      this.speechItemId = this.id('item');
      this.voicedRun = 0;
      this.unvoicedRun = 0;
      this.send({
        type: 'input_audio_buffer.speech_started',
        event_id: this.id('event'),
        item_id: this.speechItemId,
        audio_start_ms: Math.max(0, firstVoicedMs - padding),
      });
      if (this.active && !this.active.cancelled && detection.interrupt_response !== false) {
        this.cancel(this.active, 'turn_detected');
      }
      return;
    }
    this.unvoicedRun = voiced ? 0 : this.unvoicedRun + 1;
    const silenceMs = detection.type === 'server_vad' ? (detection.silence_duration_ms ?? 500) : 500;
    if (this.unvoicedRun * FRAME_MS < silenceMs) return;
    const itemId = this.speechItemId;
    this.speechItemId = null;
    this.unvoicedRun = 0;
    this.send({
      type: 'input_audio_buffer.speech_stopped',
      event_id: this.id('event'),
      item_id: itemId,
      audio_end_ms: this.bufferMs,
    });
    void this.userTurn(itemId, detection.create_response !== false);
  }

  private commit(eventId: string | null): void {
    if (this.uncommittedMs < 100) {
      // Unverified code/wording (the real minimum is 100 ms of audio).
      this.error(
        `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${this.uncommittedMs.toFixed(2)}ms of audio.`,
        'input_audio_buffer_commit_empty',
        eventId,
      );
      return;
    }
    void this.userTurn(this.id('item'), false);
  }

  /** A committed caller turn: the user item, its transcription, and (server VAD) the answer. */
  private async userTurn(itemId: string, respond: boolean): Promise<void> {
    const seconds = this.uncommittedMs / 1000;
    this.uncommittedMs = 0;
    const previous = this.lastItemId;
    this.lastItemId = itemId;
    const transcript = this.script.utterances.shift() ?? '';
    this.send({
      type: 'input_audio_buffer.committed',
      event_id: this.id('event'),
      item_id: itemId,
      previous_item_id: previous,
    });
    const item: ConversationItem = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio', transcript: '' }],
    };
    this.send({ type: 'conversation.item.added', event_id: this.id('event'), previous_item_id: previous, item });
    this.send({ type: 'conversation.item.done', event_id: this.id('event'), previous_item_id: previous, item });
    const transcribing = this.session.audio?.input?.transcription?.model
      ? this.transcribe(itemId, transcript, seconds)
      : null;
    if (respond && (this.options.latency?.transcriptionMs ?? 0) <= 0) await transcribing;
    // A response the caller's speech cancelled is still winding down: answer after it.
    if (respond && this.active?.cancelled) await this.until(() => (this.active ? undefined : true));
    if (respond && !this.active)
      this.createResponse('vad', null, { instructions: null, metadata: null, toolChoice: null });
    await transcribing;
  }

  private async transcribe(itemId: string, transcript: string, seconds: number): Promise<void> {
    const latency = this.options.latency?.transcriptionMs ?? 0;
    if (latency > 0) await sleep(latency);
    this.send({
      type: 'conversation.item.input_audio_transcription.completed',
      event_id: this.id('event'),
      item_id: itemId,
      content_index: 0,
      transcript,
      usage: { type: 'duration', seconds: Math.max(1, Math.round(seconds)) },
    });
  }

  private createResponse(
    origin: 'vad' | 'client',
    eventId: string | null,
    req: { instructions: string | null; metadata: Record<string, string> | null; toolChoice: string | null },
  ): void {
    if (this.active) {
      this.error(
        `Conversation already has an active response in progress: ${this.active.record.id}. Wait until the response is finished before creating a new one.`,
        'conversation_already_has_active_response',
        eventId,
      );
      return;
    }
    const said = req.instructions ? /"([^]*)"\s*$/.exec(req.instructions)?.[1] : undefined;
    let reply: FakeRealtimeReply = said
      ? { text: said }
      : (this.script.replies.shift() ?? { text: this.script.fallbackReply });
    if (reply.toolCall) {
      const toolChoice =
        req.toolChoice ?? (typeof this.session.tool_choice === 'string' ? this.session.tool_choice : 'auto');
      const declared = (this.session.tools ?? []).some(
        (t) => (t as RealtimeFunctionTool).name === reply.toolCall!.name,
      );
      if (!declared || toolChoice === 'none') {
        this.undeclaredToolCalls.push(reply.toolCall.name);
        reply = { text: "I can't do that right now." };
      }
    }
    const record: FakeRealtimeResponseRecord = {
      id: this.id('resp'),
      origin,
      instructions: req.instructions,
      metadata: req.metadata,
      text: reply.text ?? '',
      toolCall: reply.toolCall?.name ?? null,
      status: 'in_progress',
      reason: null,
    };
    this.responses.push(record);
    const active: ActiveResponse = { record, cancelled: false, released: false, wake: null, currentItem: null };
    this.active = active;
    this.changed();
    void this.run(active, reply);
  }

  private async run(r: ActiveResponse, reply: FakeRealtimeReply): Promise<void> {
    const responseId = r.record.id;
    const latency = this.options.latency ?? {};
    this.send({
      type: 'response.created',
      event_id: this.id('event'),
      response: {
        id: responseId,
        object: 'realtime.response',
        status: 'in_progress',
        output: [],
        output_modalities: ['audio'],
        metadata: r.record.metadata,
        conversation_id: 'conv_fake',
      },
    });
    if ((latency.responseMs ?? 0) > 0) await sleep(latency.responseMs!);
    const output: ConversationItem[] = [];
    if (reply.text && !r.cancelled) output.push(await this.speak(r, reply, output.length));
    if (reply.toolCall && !r.cancelled) output.push(this.callTool(r, reply.toolCall, output.length));
    r.record.status = r.cancelled ? 'cancelled' : 'completed';
    if (this.active === r) this.active = null;
    this.send({
      type: 'response.done',
      event_id: this.id('event'),
      response: {
        id: responseId,
        object: 'realtime.response',
        status: r.record.status,
        ...(r.cancelled && r.record.reason
          ? { status_details: { type: 'cancelled' as const, reason: r.record.reason } }
          : {}),
        output,
        output_modalities: ['audio'],
        metadata: r.record.metadata,
        conversation_id: 'conv_fake',
        usage: { total_tokens: 0, input_tokens: 0, output_tokens: 0 },
      },
    });
    this.changed();
  }

  private async speak(r: ActiveResponse, reply: FakeRealtimeReply, outputIndex: number): Promise<ConversationItem> {
    const responseId = r.record.id;
    const itemId = this.id('item');
    const item: AssistantItem = { id: itemId, responseId, sentBytes: 0, streaming: true, truncated: false };
    this.items.set(itemId, item);
    r.currentItem = item;
    const previous = this.lastItemId;
    this.lastItemId = itemId;
    const base = {
      event_id: '',
      response_id: responseId,
      item_id: itemId,
      output_index: outputIndex,
      content_index: 0,
    };
    const started: ConversationItem = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'assistant',
      status: 'in_progress',
      content: [],
    };
    this.send({
      type: 'response.output_item.added',
      event_id: this.id('event'),
      response_id: responseId,
      output_index: outputIndex,
      item: started,
    });
    this.send({
      type: 'conversation.item.added',
      event_id: this.id('event'),
      previous_item_id: previous,
      item: started,
    });
    this.send({
      ...base,
      type: 'response.content_part.added',
      event_id: this.id('event'),
      part: { type: 'audio', transcript: '' },
    });

    const words = (reply.text ?? '').split(/\s+/).filter(Boolean);
    const msPerWord = this.options.msPerWord ?? 300;
    const totalBytes = mulawBytesFor(reply.audioMs ?? Math.max(400, words.length * msPerWord));
    const chunkBytes = Math.max(1, mulawBytesFor(this.options.chunkMs ?? 100));
    const chunks = Math.ceil(totalBytes / chunkBytes);
    const stop = (): boolean => r.cancelled || item.truncated || this.ws.readyState !== this.ws.OPEN;
    let wordsSent = 0;
    for (let i = 0; i < chunks && !stop(); i++) {
      if (reply.stallAfterMs !== undefined && !r.released && mulawDurationMs(item.sentBytes) >= reply.stallAfterMs) {
        await new Promise<void>((resolve) => {
          r.wake = resolve;
          this.changed();
        });
        r.wake = null;
        if (stop()) break;
      }
      const target = Math.ceil(((i + 1) / chunks) * words.length);
      while (wordsSent < target) {
        const delta = `${wordsSent ? ' ' : ''}${words[wordsSent]}`;
        this.send({ ...base, type: 'response.output_audio_transcript.delta', event_id: this.id('event'), delta });
        wordsSent++;
      }
      const audio = this.tone(Math.min(chunkBytes, totalBytes - item.sentBytes));
      this.sendAudio(base, audio);
      (this.sentAudioByItem.get(itemId) ?? this.sentAudioByItem.set(itemId, []).get(itemId)!).push(audio);
      item.sentBytes += audio.length;
      this.audioSpoken = true;
      await this.tick(this.options.latency?.chunkIntervalMs ?? 0);
    }
    for (
      let late = this.options.latency?.lateDeltasAfterCancel ?? 0;
      late > 0 && stop() && this.ws.readyState === this.ws.OPEN;
      late--
    ) {
      const audio = this.tone(chunkBytes);
      this.sendAudio(base, audio);
      (this.lateAudio.get(itemId) ?? this.lateAudio.set(itemId, []).get(itemId)!).push(audio);
    }
    item.streaming = false;
    const transcript = words.slice(0, wordsSent).join(' ');
    const complete = item.sentBytes >= totalBytes;
    this.send({ ...base, type: 'response.output_audio.done', event_id: this.id('event') });
    this.send({ ...base, type: 'response.output_audio_transcript.done', event_id: this.id('event'), transcript });
    this.send({
      ...base,
      type: 'response.content_part.done',
      event_id: this.id('event'),
      part: { type: 'audio', transcript },
    });
    const done: ConversationItem = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'assistant',
      status: complete ? 'completed' : 'incomplete',
      content: [{ type: 'output_audio', transcript }],
    };
    this.send({
      type: 'response.output_item.done',
      event_id: this.id('event'),
      response_id: responseId,
      output_index: outputIndex,
      item: done,
    });
    this.send({ type: 'conversation.item.done', event_id: this.id('event'), previous_item_id: previous, item: done });
    r.currentItem = null;
    return done;
  }

  private callTool(
    r: ActiveResponse,
    call: NonNullable<FakeRealtimeReply['toolCall']>,
    outputIndex: number,
  ): ConversationItem {
    const responseId = r.record.id;
    const itemId = this.id('item');
    const callId = call.callId ?? this.id('call');
    this.calls.add(callId);
    const previous = this.lastItemId;
    this.lastItemId = itemId;
    const args = JSON.stringify(call.arguments);
    const started: ConversationItem = {
      id: itemId,
      object: 'realtime.item',
      type: 'function_call',
      status: 'in_progress',
      name: call.name,
      call_id: callId,
      arguments: '',
    };
    this.send({
      type: 'response.output_item.added',
      event_id: this.id('event'),
      response_id: responseId,
      output_index: outputIndex,
      item: started,
    });
    this.send({
      type: 'conversation.item.added',
      event_id: this.id('event'),
      previous_item_id: previous,
      item: started,
    });
    const half = Math.ceil(args.length / 2);
    for (const delta of [args.slice(0, half), args.slice(half)]) {
      this.send({
        type: 'response.function_call_arguments.delta',
        event_id: this.id('event'),
        response_id: responseId,
        item_id: itemId,
        output_index: outputIndex,
        call_id: callId,
        delta,
      });
    }
    this.send({
      type: 'response.function_call_arguments.done',
      event_id: this.id('event'),
      response_id: responseId,
      item_id: itemId,
      output_index: outputIndex,
      call_id: callId,
      name: call.name,
      arguments: args,
    });
    const done: ConversationItem = { ...started, status: 'completed', arguments: args };
    this.send({
      type: 'response.output_item.done',
      event_id: this.id('event'),
      response_id: responseId,
      output_index: outputIndex,
      item: done,
    });
    this.send({ type: 'conversation.item.done', event_id: this.id('event'), previous_item_id: previous, item: done });
    return done;
  }

  private cancel(r: ActiveResponse, reason: 'turn_detected' | 'client_cancelled'): void {
    r.cancelled = true;
    r.record.reason = reason;
    this.changed();
    this.wakeActive();
  }

  private truncate(itemId: string, contentIndex: number, audioEndMs: number, eventId: string | null): void {
    const item = this.items.get(itemId);
    if (!item) {
      // Unverified wording/code.
      this.error(`Item with item_id '${itemId}' not found.`, 'invalid_value', eventId, 'item_id');
      return;
    }
    if (contentIndex !== 0) {
      this.error(`Invalid content_index: ${contentIndex}.`, 'invalid_value', eventId, 'content_index');
      return;
    }
    const sentMs = mulawDurationMs(item.sentBytes);
    if (!Number.isInteger(audioEndMs) || audioEndMs < 0 || audioEndMs > sentMs) {
      // Unverified wording; the documented rule: audio_end_ms beyond the item's audio is an error.
      this.error(
        `Audio content of ${Math.floor(sentMs)}ms is already shorter than ${audioEndMs}ms`,
        'invalid_value',
        eventId,
        'audio_end_ms',
      );
      return;
    }
    this.truncations.push({ itemId, audioEndMs });
    if (item.streaming) {
      item.truncated = true;
      this.wakeActive();
    }
    this.changed();
    this.send({
      type: 'conversation.item.truncated',
      event_id: this.id('event'),
      item_id: itemId,
      content_index: 0,
      audio_end_ms: audioEndMs,
    });
  }

  private createItem(item: ConversationItem, eventId: string | null): void {
    if (item?.type === 'function_call_output') {
      if (!this.calls.has(item.call_id)) {
        // Unverified wording.
        this.error(
          `Tool call ID '${item.call_id}' not found in conversation.`,
          'invalid_value',
          eventId,
          'item.call_id',
        );
        return;
      }
      this.toolOutputs.push({ callId: item.call_id, output: item.output });
      this.changed();
    }
    const previous = this.lastItemId;
    const created = {
      ...item,
      id: item.id ?? this.id('item'),
      object: 'realtime.item' as const,
      status: 'completed' as const,
    };
    this.lastItemId = created.id;
    this.send({
      type: 'conversation.item.added',
      event_id: this.id('event'),
      previous_item_id: previous,
      item: created,
    });
    this.send({
      type: 'conversation.item.done',
      event_id: this.id('event'),
      previous_item_id: previous,
      item: created,
    });
  }

  // ---- helpers ----

  private sendAudio(
    base: { response_id: string; item_id: string; output_index: number; content_index: number },
    audio: Buffer,
  ): void {
    this.send({
      ...base,
      type: 'response.output_audio.delta',
      event_id: this.id('event'),
      delta: audio.toString('base64'),
    });
  }

  private tone(bytes: number): Buffer {
    const audio = mulawTone(mulawDurationMs(bytes), { hz: 330, dbfs: -18, offset: this.toneOffset }).subarray(0, bytes);
    this.toneOffset += audio.length;
    return audio;
  }

  private tick(ms: number): Promise<void> {
    return ms > 0 ? sleep(ms).then(() => undefined) : new Promise((resolve) => setImmediate(resolve));
  }

  private wakeActive(): void {
    const wake = this.active?.wake;
    if (wake) {
      this.active!.wake = null;
      wake();
    }
  }

  private error(message: string, code: string | null, eventId: string | null, param: string | null = null): void {
    this.send({
      type: 'error',
      event_id: this.id('event'),
      error: { type: 'invalid_request_error', code, message, param, event_id: eventId },
    });
  }

  private send(event: RealtimeServerEvent): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(event));
  }

  private id(kind: 'event' | 'resp' | 'item' | 'call'): string {
    return `${kind}_fake${(++this.seq).toString().padStart(6, '0')}`;
  }

  private changed(): void {
    this.changes.emit('change');
  }

  private until<T>(pick: () => T | undefined): Promise<T> {
    const now = pick();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const check = (): void => {
        const value = pick();
        if (value === undefined) return;
        this.changes.off('change', check);
        resolve(value);
      };
      this.changes.on('change', check);
    });
  }
}
