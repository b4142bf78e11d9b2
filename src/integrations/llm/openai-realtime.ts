import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type {
  RealtimeAudioInputTurnDetection,
  RealtimeClientEvent,
  RealtimeFunctionTool,
  RealtimeResponseCreateParams,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import WebSocket, { type RawData } from 'ws';
import type { BrainToolSpec } from '../../call-runtime/brain.port.ts';
import type { Logger } from '../../log.ts';
import { mulawDurationMs } from '../../voice/audio/mulaw.ts';
import { parseToolArguments, truncate } from './common.ts';

/**
 * OpenAI Realtime (speech-to-speech) for one phone call, over one WebSocket, in the **GA** protocol
 * (telephony.md A4). The wire shapes are typed with the `openai` package's own Realtime types
 * (`openai/resources/realtime/realtime`, SDK 7.57.0), so a shape drift fails the type check; the SDK
 * itself is not used at run time (plain `ws`).
 *
 *   connect      `session.update{session:{type:"realtime", output_modalities:["audio"], instructions,
 *                tools:[{type:"function",name,description,parameters}], tool_choice, audio:{input:{format:
 *                {type:"audio/pcmu"}, turn_detection, transcription}, output:{format:{type:"audio/pcmu"}, voice}}}}`,
 *                ready at the first `session.updated`
 *   appendAudio  `input_audio_buffer.append{audio}`: Twilio's μ-law, base64, no transcode
 *   events in    `response.output_audio.delta` → audio · `response.output_audio_transcript.delta|done` →
 *                agentTranscript|agentTranscriptDone · `input_audio_buffer.speech_started|stopped` →
 *                callerSpeechStarted|Stopped · `conversation.item.input_audio_transcription.completed` →
 *                callerTranscript · `response.output_item.done` with a `function_call` item → toolCall ·
 *                `response.done` → responseDone · `error` → error · socket close → closed
 *   tool result  `conversation.item.create{item:{type:"function_call_output", call_id, output}}`, then one
 *                `response.create` once every function call of the response has its output and the
 *                response is done (only one response may be active: `conversation_already_has_active_response`)
 *   say(text)    `response.create{response:{instructions:"Say exactly … \"text\"", tool_choice:"none",
 *                metadata}}`: per-response instructions override the session's for that response only, and
 *                the spoken line joins the conversation like any answer (see `sayInstructions`)
 *   interrupt    `response.cancel` when a response is active, then `conversation.item.truncate{item_id,
 *                content_index:0, audio_end_ms}`; later deltas of the cancelled response are dropped here
 *
 * Event names were checked against the SDK's `RealtimeServerEvent`/`RealtimeClientEvent` unions. Error
 * codes `conversation_already_has_active_response`, `response_cancel_not_active` and `invalid_api_key` come
 * from public issue threads (openai-agents-python#1466, openai-agents-js#189, twilio-samples python #4),
 * not from the SDK: **(unverified)** against the current server. So is how a bad key is refused: an HTTP
 * 401 on the upgrade, or (as seen in 2024) an `error` event then close 3000; both are handled.
 *
 * Response bookkeeping: responses we create carry `metadata.client_ref`, which the server echoes in
 * `response.created`/`response.done` (the Response resource carries `metadata`; its echo in
 * `response.created` is **(unverified)**, so a `response.created` without metadata is taken as ours, in
 * order), so ours are told apart from the ones server VAD creates by itself.
 */

export const OPENAI_REALTIME_DEFAULT_URL = 'wss://api.openai.com/v1/realtime';
export const OPENAI_REALTIME_DEFAULT_MODEL = 'gpt-realtime';
export const OPENAI_REALTIME_DEFAULT_VOICE = 'alloy';
export const OPENAI_REALTIME_DEFAULT_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** `server_vad` with the documented defaults; the server answers by itself and cancels its answer on speech. */
export const DEFAULT_REALTIME_TURN_DETECTION: RealtimeTurnDetection = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
};

/** Metadata key of the responses this client creates (echoed by the server). */
const REF_KEY = 'client_ref';

export type RealtimeTurnDetection = RealtimeAudioInputTurnDetection;

export interface RealtimeConversationOptions {
  apiKey: string;
  /** Endpoint. Default `wss://api.openai.com/v1/realtime`; `?model=` is added unless the URL has one. */
  url?: string;
  /** Default `gpt-realtime`. */
  model?: string;
  /** From opening the socket to the first `session.updated`. Default 10 000. */
  connectTimeoutMs?: number;
  log?: Pick<Logger, 'debug' | 'warn'>;
}

export interface RealtimeSessionSettings {
  /** System prompt of the session (persona, call facts, guidance for the machine's state). */
  instructions: string;
  /** The tools the machine allows in its current state (never more). */
  tools: BrainToolSpec[];
  /** Default `alloy`. Cannot change once the model has spoken. */
  voice?: string;
  /** Default `DEFAULT_REALTIME_TURN_DETECTION`; `null`: no VAD, the app calls `commit()`. */
  turnDetection?: RealtimeTurnDetection | null;
  /** Caller-side transcription (needed for `callerTranscript`). Default gpt-4o-mini-transcribe; `null`: off. */
  transcription?: { model: string; language?: string } | null;
  /** Default `auto`. */
  toolChoice?: 'auto' | 'none' | 'required';
}

export interface RealtimeSessionUpdate {
  instructions?: string;
  tools?: BrainToolSpec[];
  toolChoice?: 'auto' | 'none' | 'required';
}

export interface RealtimeToolCall {
  /** Echo it in `sendToolResult`. */
  callId: string;
  name: string;
  /** Parsed JSON arguments; `{}` when empty or not a JSON object. */
  arguments: Record<string, unknown>;
  itemId: string;
  responseId: string;
}

export interface RealtimeResponseInfo {
  responseId: string;
  /** `completed`, `cancelled`, `failed` or `incomplete`. */
  status: string;
  /** For cancelled: `turn_detected` or `client_cancelled`; for incomplete: `max_output_tokens`, … */
  reason: string | null;
  /** What the response was created with (`say` puts `purpose:"say"` and the caller's tags here). */
  metadata: Record<string, string>;
}

/** Where to truncate an interrupted assistant item. */
export interface RealtimeAudioPoint {
  itemId: string;
  audioEndMs: number;
}

export interface RealtimeConversationEvents {
  /** Assistant audio, 8 kHz μ-law exactly as received: forward it to Twilio as is. */
  audio: [chunk: Buffer, itemId: string];
  /** The item's audio is complete (no more `audio` for it). */
  audioDone: [itemId: string];
  agentTranscript: [delta: string, itemId: string];
  agentTranscriptDone: [text: string, itemId: string];
  /** Server VAD heard the caller start (barge-in trigger). `audioStartMs` is on the input buffer's clock. */
  callerSpeechStarted: [info: { itemId: string; audioStartMs: number }];
  callerSpeechStopped: [info: { itemId: string; audioEndMs: number }];
  /** The caller's utterance, from the session's input transcription (may come after the model's answer starts). */
  callerTranscript: [text: string, itemId: string];
  toolCall: [call: RealtimeToolCall];
  responseDone: [info: RealtimeResponseInfo];
  /** Emitted only when someone listens (an unheard error is logged, never thrown). */
  error: [err: RealtimeError];
  /** The socket is gone; nothing more will be emitted. */
  closed: [info: { code: number; reason: string }];
}

export type RealtimeErrorKind = 'auth' | 'handshake' | 'timeout' | 'connection' | 'server' | 'protocol';

export class RealtimeError extends Error {
  readonly kind: RealtimeErrorKind;
  readonly code: string | null;
  readonly status: number | null;
  /** The client event the server blamed, when it said. */
  readonly eventId: string | null;
  readonly retryable: boolean;

  constructor(
    message: string,
    info: { kind: RealtimeErrorKind; code?: string | null; status?: number | null; eventId?: string | null },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RealtimeError';
    this.kind = info.kind;
    this.code = info.code ?? null;
    this.status = info.status ?? null;
    this.eventId = info.eventId ?? null;
    this.retryable =
      info.kind === 'timeout' ||
      info.kind === 'connection' ||
      (info.status !== null && info.status !== undefined && (info.status === 429 || info.status >= 500));
  }
}

/**
 * The instructions of a `say` response. A Realtime model cannot be handed audio to speak, and a
 * `conversation.item.create` of an assistant text item adds context but no audio; so the line is asked
 * for: per-response `instructions` replace the session's for this one response, `tool_choice:"none"` keeps
 * it from calling tools, and the quoted line is the whole answer. The model may still vary a word; the
 * `agentTranscriptDone` of that response says what it actually said.
 */
export function sayInstructions(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `Say exactly the following line, word for word, in the conversation's language and your usual voice, then stop. Do not add, change or answer anything:\n"${line}"`;
}

/** Realtime function tools (flat `{type, name, description, parameters}`, unlike Chat Completions). */
export function realtimeTools(specs: BrainToolSpec[]): RealtimeFunctionTool[] {
  return specs.map((s) => ({ type: 'function', name: s.name, description: s.description, parameters: s.parameters }));
}

interface ItemAudio {
  responseId: string;
  /** Milliseconds of μ-law received (and emitted) for this item. */
  ms: number;
  transcript: string;
  audioDone: boolean;
}

interface PendingResponse {
  ref: string;
  eventId: string;
  kind: 'tool' | 'say' | 'commit' | 'turn';
  params: RealtimeResponseCreateParams;
  metadata: Record<string, string>;
  /** `interrupt` came while it was on its way: cancel it as soon as it exists. */
  cancelled: boolean;
}

type ConnectionState = 'idle' | 'connecting' | 'open' | 'closed';

/**
 * One call's Realtime conversation. Create, `connect`, then feed caller audio and react to the events;
 * `close` at the end of the call. Not reusable after `closed`.
 */
export class RealtimeConversation extends EventEmitter<RealtimeConversationEvents> {
  private readonly url: string;
  private ws: WebSocket | null = null;
  private state: ConnectionState = 'idle';
  private seq = 0;
  private readonly items = new Map<string, ItemAudio>();
  private lastAudioItemId: string | null = null;
  /** Responses cut by `interrupt`: their further deltas are dropped. */
  private readonly dropped = new Set<string>();
  private activeResponseId: string | null = null;
  private inFlight: PendingResponse | null = null;
  /** The last `response.create` sent, until refused or another is sent. */
  private lastCreate: PendingResponse | null = null;
  private queue: PendingResponse[] = [];
  private readonly pendingToolCalls = new Set<string>();
  private sessionWaiters: { eventId: string; resolve: () => void; reject: (err: RealtimeError) => void }[] = [];
  private closedEmitted = false;

  constructor(private readonly options: RealtimeConversationOptions) {
    super();
    if (!options.apiKey) throw new TypeError('RealtimeConversation: apiKey is required');
    const url = new URL(options.url ?? OPENAI_REALTIME_DEFAULT_URL);
    if (!url.searchParams.has('model')) url.searchParams.set('model', options.model ?? OPENAI_REALTIME_DEFAULT_MODEL);
    this.url = url.toString();
  }

  /** The socket is open and the session configured. */
  get connected(): boolean {
    return this.state === 'open';
  }

  /** A response is being generated (ours or one server VAD started). */
  get responding(): boolean {
    return this.activeResponseId !== null || this.inFlight !== null;
  }

  /**
   * Opens the socket and configures the session; resolves at the first `session.updated`. Rejects with a
   * `RealtimeError` (kind `auth` for a refused key, `handshake`, `timeout`, `connection`, `server` for a
   * refused configuration) and closes the socket.
   */
  connect(settings: RealtimeSessionSettings): Promise<void> {
    if (this.state !== 'idle') return Promise.reject(new Error('RealtimeConversation: connect() called twice'));
    this.state = 'connecting';
    const ws = new WebSocket(this.url, {
      headers: { Authorization: `Bearer ${this.options.apiKey}` },
      perMessageDeflate: false,
    });
    this.ws = ws;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: RealtimeError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.off('closed', onClosedEarly);
        if (!err) {
          resolve();
          return;
        }
        reject(err);
        this.rejectSessionWaiters(err);
        this.state = 'closed';
        if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'connect failed');
        else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      };
      const timer = setTimeout(
        () => finish(new RealtimeError('Realtime session not ready in time', { kind: 'timeout' })),
        this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      );
      const onClosedEarly = ({ code, reason }: { code: number; reason: string }): void =>
        finish(
          new RealtimeError(`Realtime socket closed during connect (${code}${reason ? ` ${reason}` : ''})`, {
            kind: /invalid_api_key/.test(reason) ? 'auth' : 'connection',
            code: /invalid_api_key/.test(reason) ? 'invalid_api_key' : null,
          }),
        );
      this.on('closed', onClosedEarly);
      this.connectFailed = finish;

      ws.on('unexpected-response', (_req, res) => this.refused(res, finish));
      ws.on('open', () => {
        this.sendSessionUpdate(this.fullSession(settings)).then(
          () => {
            if (settled) return;
            this.state = 'open';
            this.connectFailed = null;
            finish();
            this.pump();
          },
          (err: RealtimeError) => finish(err),
        );
      });
      ws.on('message', (data, isBinary) => this.receive(data, isBinary));
      ws.on('error', (err) => {
        if (this.state === 'closed') return;
        if (!settled) {
          finish(
            new RealtimeError(`Realtime connection failed: ${err.message}`, { kind: 'connection' }, { cause: err }),
          );
        } else {
          this.fail(new RealtimeError(`Realtime socket error: ${err.message}`, { kind: 'connection' }, { cause: err }));
        }
      });
      ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
    });
  }

  /** Changes instructions and/or tools (the machine's state changed); resolves at `session.updated`. */
  updateSession(update: RealtimeSessionUpdate): Promise<void> {
    const session: RealtimeSessionCreateRequest = { type: 'realtime' };
    if (update.instructions !== undefined) session.instructions = update.instructions;
    if (update.tools !== undefined) session.tools = realtimeTools(update.tools);
    if (update.toolChoice !== undefined) session.tool_choice = update.toolChoice;
    return this.sendSessionUpdate(session);
  }

  /** Caller audio: one Twilio media payload (μ-law 8 kHz), sent as is. Dropped unless connected. */
  appendAudio(mulawFrame: Buffer): void {
    if (this.state !== 'open' || !mulawFrame.length) return;
    this.send({ type: 'input_audio_buffer.append', audio: mulawFrame.toString('base64') });
  }

  /** Without turn detection: the caller's turn is over; commit the buffer and ask for an answer. */
  commit(): void {
    if (this.state !== 'open') return;
    this.send({ type: 'input_audio_buffer.commit', event_id: this.eventId() });
    this.request('commit', {}, {});
  }

  /**
   * Asks the model to answer the conversation as it stands (turn detection with `create_response: false`: the
   * call's machine decides when the model speaks). `metadata` comes back in `responseDone` with `purpose:"turn"`.
   */
  respond(metadata: Record<string, string> = {}): string {
    return this.request('turn', {}, { ...metadata, purpose: 'turn' });
  }

  /**
   * The output of a function call. Once every function call of the response has its output (and the
   * response is done), one `response.create` lets the model go on; `respond:false` skips it for this
   * output (e.g. `end_call`, after which the session says goodbye itself).
   */
  sendToolResult(callId: string, output: string, opts: { respond?: boolean } = {}): void {
    if (this.state !== 'open') return;
    this.send({
      type: 'conversation.item.create',
      event_id: this.eventId(),
      item: { type: 'function_call_output', call_id: callId, output },
    });
    this.pendingToolCalls.delete(callId);
    const respond = opts.respond ?? true;
    if (respond && !this.pendingToolCalls.size && !this.queue.some((p) => p.kind === 'tool')) {
      this.request('tool', {}, {});
    }
  }

  /**
   * Makes the model speak `text` (greeting, goodbye, transfer line, "are you still there?"): one response
   * with `sayInstructions(text)`, queued behind a response in progress. `metadata` comes back in that
   * response's `responseDone`, with `purpose:"say"`. Returns the response's `client_ref`.
   */
  say(text: string, metadata: Record<string, string> = {}): string {
    return this.request(
      'say',
      { instructions: sayInstructions(text), tool_choice: 'none' },
      { ...metadata, purpose: 'say' },
    );
  }

  /**
   * Barge-in. Sends `response.cancel` if a response is active (one still being created is cancelled as
   * soon as it exists), then truncates the assistant item (default: the last one that produced audio) at
   * `audioEndMs`, clamped to the audio received for it (the server refuses more), so the model's context
   * holds only what the caller heard. Further deltas of the cut response are dropped. Returns where it
   * truncated, or null when no assistant audio was there to cut. Queued `say`/tool responses stay queued.
   */
  interrupt(audioEndMs: number, itemId: string | null = this.lastAudioItemId): RealtimeAudioPoint | null {
    if (this.state !== 'open') return null;
    // Cancel first (stops generation at once), then truncate the item it leaves behind.
    if (this.activeResponseId) {
      this.send({ type: 'response.cancel', event_id: this.eventId(), response_id: this.activeResponseId });
      this.dropped.add(this.activeResponseId);
    } else if (this.inFlight) {
      this.inFlight.cancelled = true;
    }
    const item = itemId ? this.items.get(itemId) : undefined;
    if (!itemId || !item) return null;
    const end = Math.max(0, Math.min(Math.round(audioEndMs), Math.floor(item.ms)));
    this.send({
      type: 'conversation.item.truncate',
      event_id: this.eventId(),
      item_id: itemId,
      content_index: 0,
      audio_end_ms: end,
    });
    if (!item.audioDone) this.dropped.add(item.responseId);
    if (itemId === this.lastAudioItemId) this.lastAudioItemId = null;
    return { itemId, audioEndMs: end };
  }

  /** Milliseconds of audio received for an assistant item (0 if unknown). */
  audioMs(itemId: string): number {
    return this.items.get(itemId)?.ms ?? 0;
  }

  /** The last assistant item that produced audio and was not interrupted since. */
  get currentAudioItemId(): string | null {
    return this.lastAudioItemId;
  }

  /**
   * What the caller heard of an item's transcript when playback stopped at `audioEndMs`: the words in
   * proportion to the audio played (an estimate: words are not evenly timed). All of it when fully played.
   */
  heardText(itemId: string, audioEndMs: number): string {
    const item = this.items.get(itemId);
    if (!item) return '';
    const words = item.transcript.split(/\s+/).filter(Boolean);
    if (item.audioDone && audioEndMs >= item.ms) return words.join(' ');
    const share = item.ms > 0 ? Math.min(1, Math.max(0, audioEndMs / item.ms)) : 0;
    return words.slice(0, Math.round(words.length * share)).join(' ');
  }

  /** Ends the call's conversation; `closed` follows. Safe to call twice. */
  close(): void {
    const ws = this.ws;
    if (this.state === 'connecting') {
      this.connectFailed?.(new RealtimeError('Realtime conversation closed during connect', { kind: 'connection' }));
    }
    this.state = 'closed';
    this.queue = [];
    if (ws?.readyState === WebSocket.OPEN) ws.close(1000, 'call ended');
    else if (ws?.readyState === WebSocket.CONNECTING) ws.terminate();
    else if (!ws) this.onClose(1000, 'call ended');
  }

  // ---- internals ----

  private connectFailed: ((err: RealtimeError) => void) | null = null;

  private fullSession(settings: RealtimeSessionSettings): RealtimeSessionCreateRequest {
    const transcription =
      settings.transcription === undefined
        ? { model: OPENAI_REALTIME_DEFAULT_TRANSCRIPTION_MODEL }
        : (settings.transcription ?? undefined);
    return {
      type: 'realtime',
      output_modalities: ['audio'],
      instructions: settings.instructions,
      tools: realtimeTools(settings.tools),
      tool_choice: settings.toolChoice ?? 'auto',
      audio: {
        input: {
          format: { type: 'audio/pcmu' },
          turn_detection:
            settings.turnDetection === undefined ? DEFAULT_REALTIME_TURN_DETECTION : settings.turnDetection,
          ...(transcription ? { transcription } : {}),
        },
        output: {
          format: { type: 'audio/pcmu' },
          voice: settings.voice ?? OPENAI_REALTIME_DEFAULT_VOICE,
        },
      },
    };
  }

  private sendSessionUpdate(session: RealtimeSessionCreateRequest): Promise<void> {
    if (this.state === 'closed' || this.state === 'idle' || !this.ws || this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RealtimeError('Realtime conversation is not connected', { kind: 'connection' }));
    }
    const eventId = this.eventId();
    return new Promise<void>((resolve, reject) => {
      this.sessionWaiters.push({ eventId, resolve, reject });
      this.send({ type: 'session.update', event_id: eventId, session });
    });
  }

  private request(
    kind: PendingResponse['kind'],
    params: RealtimeResponseCreateParams,
    metadata: Record<string, string>,
  ): string {
    const ref = `r${++this.seq}`;
    this.queue.push({ ref, eventId: this.eventId(), kind, params, metadata, cancelled: false });
    this.pump();
    return ref;
  }

  /** Sends the next queued `response.create` when no response is active or on its way. */
  private pump(): void {
    if (this.state !== 'open' || this.inFlight || this.activeResponseId) return;
    const next = this.queue.shift();
    if (!next) return;
    this.inFlight = next;
    this.lastCreate = next;
    this.send({
      type: 'response.create',
      event_id: next.eventId,
      response: { ...next.params, metadata: { ...next.metadata, [REF_KEY]: next.ref } },
    });
  }

  private send(event: RealtimeClientEvent): void {
    const ws = this.ws;
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
  }

  private eventId(): string {
    return `evt_client_${++this.seq}`;
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.options.log?.warn('realtime: unexpected binary frame');
      return;
    }
    if (this.state === 'closed') return;
    let event: RealtimeServerEvent;
    try {
      const parsed: unknown = JSON.parse(data.toString());
      if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { type?: unknown }).type !== 'string') {
        throw new TypeError('no event type');
      }
      event = parsed as RealtimeServerEvent;
    } catch (err) {
      this.fail(new RealtimeError('Realtime sent an unreadable event', { kind: 'protocol' }, { cause: err }));
      return;
    }
    try {
      this.handle(event);
    } catch (err) {
      this.fail(new RealtimeError(`Realtime event ${event.type} not handled`, { kind: 'protocol' }, { cause: err }));
    }
  }

  private handle(event: RealtimeServerEvent): void {
    switch (event.type) {
      case 'session.updated': {
        this.sessionWaiters.shift()?.resolve();
        return;
      }
      case 'input_audio_buffer.speech_started':
        this.emit('callerSpeechStarted', { itemId: event.item_id, audioStartMs: event.audio_start_ms });
        return;
      case 'input_audio_buffer.speech_stopped':
        this.emit('callerSpeechStopped', { itemId: event.item_id, audioEndMs: event.audio_end_ms });
        return;
      case 'conversation.item.input_audio_transcription.completed': {
        const text = event.transcript.trim();
        if (text) this.emit('callerTranscript', text, event.item_id);
        return;
      }
      case 'conversation.item.input_audio_transcription.failed':
        this.fail(
          new RealtimeError(`caller transcription failed: ${event.error.message ?? 'unknown'}`, {
            kind: 'server',
            code: event.error.code ?? null,
          }),
        );
        return;
      case 'response.created': {
        const id = event.response.id ?? '';
        const metadata = event.response.metadata;
        // Ours by the echoed ref; a server that echoed no metadata at all gets first-in-first-out (a VAD
        // response mistaken for ours is repaired when our create is refused, see serverError).
        const ours =
          this.inFlight && (metadata ? metadata[REF_KEY] === this.inFlight.ref : true) ? this.inFlight : null;
        if (ours) this.inFlight = null;
        this.activeResponseId = id;
        if (ours?.cancelled) {
          this.send({ type: 'response.cancel', event_id: this.eventId(), response_id: id });
          this.dropped.add(id);
        }
        return;
      }
      case 'response.output_item.added': {
        const item = event.item;
        if (item.type === 'message' && item.role === 'assistant' && item.id) this.item(item.id, event.response_id);
        return;
      }
      case 'response.output_audio.delta': {
        if (this.dropped.has(event.response_id)) return;
        const chunk = Buffer.from(event.delta, 'base64');
        const item = this.item(event.item_id, event.response_id);
        item.ms += mulawDurationMs(chunk.length);
        this.lastAudioItemId = event.item_id;
        this.emit('audio', chunk, event.item_id);
        return;
      }
      case 'response.output_audio.done': {
        this.item(event.item_id, event.response_id).audioDone = true;
        if (!this.dropped.has(event.response_id)) this.emit('audioDone', event.item_id);
        return;
      }
      case 'response.output_audio_transcript.delta': {
        if (this.dropped.has(event.response_id)) return;
        this.item(event.item_id, event.response_id).transcript += event.delta;
        this.emit('agentTranscript', event.delta, event.item_id);
        return;
      }
      case 'response.output_audio_transcript.done': {
        if (this.dropped.has(event.response_id)) return;
        this.item(event.item_id, event.response_id).transcript = event.transcript;
        this.emit('agentTranscriptDone', event.transcript, event.item_id);
        return;
      }
      case 'response.output_item.done': {
        const item = event.item;
        if (item.type !== 'function_call' || this.dropped.has(event.response_id)) return;
        if (item.status === 'incomplete') return;
        const callId = item.call_id ?? item.id ?? '';
        this.pendingToolCalls.add(callId);
        this.emit('toolCall', {
          callId,
          name: item.name,
          arguments: parseToolArguments(item.arguments),
          itemId: item.id ?? '',
          responseId: event.response_id,
        });
        return;
      }
      case 'response.done': {
        const r = event.response;
        const id = r.id ?? '';
        if (this.activeResponseId === id) this.activeResponseId = null;
        const metadata = { ...(r.metadata ?? {}) };
        if (r.status === 'failed') {
          const e = r.status_details?.error;
          this.fail(
            new RealtimeError(`Realtime response failed: ${e?.message ?? e?.type ?? 'unknown'}`, {
              kind: 'server',
              code: e?.code ?? null,
            }),
          );
        }
        this.emit('responseDone', {
          responseId: id,
          status: r.status ?? 'completed',
          reason: r.status_details?.reason ?? null,
          metadata,
        });
        this.pump();
        return;
      }
      case 'error':
        this.serverError(event.error);
        return;
      default:
        return;
    }
  }

  private item(itemId: string, responseId: string): ItemAudio {
    let item = this.items.get(itemId);
    if (!item) {
      item = { responseId, ms: 0, transcript: '', audioDone: false };
      this.items.set(itemId, item);
    }
    return item;
  }

  private serverError(e: { message: string; type: string; code?: string | null; event_id?: string | null }): void {
    const code = e.code ?? null;
    const eventId = e.event_id ?? null;
    const err = new RealtimeError(`Realtime error: ${truncate(e.message) ?? e.type}`, {
      kind: code === 'invalid_api_key' ? 'auth' : 'server',
      code,
      eventId,
    });
    if (this.state === 'connecting') {
      this.connectFailed?.(err);
      return;
    }
    if (code === 'response_cancel_not_active') {
      // The server had already ended the response (server VAD cancels on speech by itself): nothing to do.
      this.options.log?.debug('realtime: cancel found no active response');
      return;
    }
    // The create refused may be the one in flight, or one a metadata-less `response.created` was taken for.
    const pending = eventId
      ? ([this.inFlight, this.lastCreate].find((p) => p?.eventId === eventId) ?? null)
      : code === 'conversation_already_has_active_response'
        ? this.inFlight
        : null;
    if (pending) {
      if (this.inFlight === pending) this.inFlight = null;
      this.lastCreate = null;
      if (code === 'conversation_already_has_active_response') {
        // Server VAD started an answer first: ours goes out after it.
        this.queue.unshift(pending);
        return;
      }
      this.fail(err);
      this.pump();
      return;
    }
    const waiter = eventId ? this.sessionWaiters.findIndex((w) => w.eventId === eventId) : -1;
    if (waiter >= 0) {
      const [w] = this.sessionWaiters.splice(waiter, 1);
      w!.reject(err);
      return;
    }
    this.fail(err);
  }

  private refused(res: IncomingMessage, finish: (err: RealtimeError) => void): void {
    const status = res.statusCode ?? 0;
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (size < 8_192) chunks.push(chunk);
      size += chunk.length;
    });
    res.on('end', () => {
      let code: string | null = null;
      let message: string;
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const parsed = JSON.parse(body) as { error?: { code?: string | null; message?: string } };
        code = parsed.error?.code ?? null;
        message = parsed.error?.message ?? '';
      } catch {
        message = body;
      }
      finish(
        new RealtimeError(`Realtime refused the connection: HTTP ${status}${message ? ` ${truncate(message)}` : ''}`, {
          kind: status === 401 || status === 403 ? 'auth' : 'handshake',
          status,
          code,
        }),
      );
    });
    res.on('error', () =>
      finish(new RealtimeError(`Realtime refused the connection: HTTP ${status}`, { kind: 'handshake', status })),
    );
  }

  private onClose(code: number, reason: string): void {
    this.state = 'closed';
    this.queue = [];
    this.inFlight = null;
    this.activeResponseId = null;
    this.rejectSessionWaiters(new RealtimeError('Realtime socket closed', { kind: 'connection' }));
    if (this.closedEmitted) return;
    this.closedEmitted = true;
    this.emit('closed', { code, reason });
  }

  private rejectSessionWaiters(err: RealtimeError): void {
    const waiters = this.sessionWaiters;
    this.sessionWaiters = [];
    for (const w of waiters) w.reject(err);
  }

  private fail(err: RealtimeError): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else this.options.log?.warn({ err }, 'realtime: unhandled error');
  }
}
