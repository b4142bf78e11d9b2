import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { mulawLevelDbfs } from '../../../src/voice/audio/signal.ts';

/**
 * A stand-in for the OpenAI Realtime API in transcription mode (GA shape, as OpenAiRealtimeSpeechToText
 * pins it), on 127.0.0.1 with a random port:
 *
 *   WS /v1/realtime?intent=transcription   `Authorization: Bearer <apiKey>` (else HTTP 401 with an
 *                                         OpenAI-style JSON error body, and the upgrade is refused)
 *
 * Server → client: `session.created` on connect; `session.updated` (the merged configuration) for each
 * `session.update` (which must have `session.type: "transcription"`, else an `error` event). Appended audio
 * (`input_audio_buffer.append`, base64) is decoded as μ-law when the format is `audio/pcmu` (anything else
 * gets an `error` event) and run through an energy VAD in 20 ms frames, timed by the audio itself:
 * `startMs` of voiced audio → `input_audio_buffer.speech_started`; `silence_duration_ms` (from the session,
 * default 500) of quiet → `input_audio_buffer.speech_stopped`, `input_audio_buffer.committed`, then after
 * the utterance's latency one `conversation.item.input_audio_transcription.delta` per word (with its
 * leading space, as OpenAI sends them) and `…completed` with the whole transcript (or `…failed`).
 *
 * What an utterance says cannot come from the audio: it is taken when speech starts from the connection's
 * own queue (`connection.queueTranscript`), else the server-wide `script`, else "" (a completed event with
 * an empty transcript, as for noise). Everything the client sent is recorded; `drop()` cuts a connection
 * without a close frame.
 */

export interface ScriptedUtterance {
  text: string;
  /** Delay from speech_stopped to the first delta. Default: the server's `latencyMs`. */
  latencyMs?: number;
  /** Send `…transcription.failed` instead of the transcript. */
  fail?: boolean;
}

export interface FakeRealtimeTranscriptionOptions {
  apiKey: string;
  /** Default delay from speech_stopped to the transcript. Default 0. */
  latencyMs?: number;
  /** A 20 ms frame at or above this level is voiced. Default −40 dBFS. */
  thresholdDbfs?: number;
  /** Voiced audio before speech_started. Default 60 ms. */
  startMs?: number;
}

export interface FakeRealtimeConnection {
  readonly index: number;
  /** Every client event, parsed, in order (appends included). */
  readonly received: Record<string, unknown>[];
  /** The `session` of each `session.update`, in order. */
  readonly sessionUpdates: Record<string, unknown>[];
  /** The merged configuration (what `session.updated` reported last). */
  readonly config: Record<string, unknown>;
  /** `silence_duration_ms` set by each update that set one, in order. */
  readonly silenceDurations: number[];
  /** The μ-law audio received so far. */
  audio(): Buffer;
  /** The next utterance(s) this connection's caller will say. */
  queueTranscript(...utterances: (string | ScriptedUtterance)[]): void;
  /** Sends a server event as is. */
  sendEvent(event: Record<string, unknown>): void;
  /** Cuts the connection: no close frame (the client sees 1006). */
  drop(): void;
  readonly closed: Promise<void>;
}

export interface FakeRealtimeTranscriptionServer {
  /** ws://127.0.0.1:P/v1/realtime?intent=transcription */
  url: string;
  connections: FakeRealtimeConnection[];
  /** Upgrades refused (bad or missing key), with the Authorization header sent. */
  refused: { authorization: string | undefined }[];
  /** Utterances for any connection with nothing queued of its own. */
  script: (string | ScriptedUtterance)[];
  /** Resolves with the n-th (0-based) connection once it is open. */
  connection(index: number): Promise<FakeRealtimeConnection>;
  /** Waits until `ready()` holds, checked whenever a client event or connection arrives. */
  until(ready: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const FRAME_BYTES = 160;
const FRAME_MS = 20;

export async function startFakeRealtimeTranscriptionServer(
  opts: FakeRealtimeTranscriptionOptions,
): Promise<FakeRealtimeTranscriptionServer> {
  const connections: FakeRealtimeConnection[] = [];
  const refused: FakeRealtimeTranscriptionServer['refused'] = [];
  const script: (string | ScriptedUtterance)[] = [];
  const watchers = new Set<() => void>();
  const changed = (): void => {
    for (const w of [...watchers]) w();
  };

  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/v1/realtime' || url.searchParams.get('intent') !== 'transcription') {
      reject(socket, 404, 'invalid_request_error', 'Unknown realtime endpoint');
      return;
    }
    if (req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      refused.push({ authorization: req.headers.authorization });
      reject(socket, 401, 'invalid_request_error', 'Incorrect API key provided.');
      changed();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections.push(new Connection(connections.length, ws, opts, script, changed));
      changed();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  const until = (ready: () => boolean, what: string, timeoutMs = 5_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        watchers.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`fake realtime server: timed out waiting for ${what}`));
      }, timeoutMs);
      watchers.add(check);
      check();
    });

  return {
    url: `ws://127.0.0.1:${port}/v1/realtime?intent=transcription`,
    connections,
    refused,
    script,
    async connection(index) {
      await until(() => connections.length > index, `connection #${index}`);
      return connections[index]!;
    },
    until,
    async close() {
      for (const c of connections) c.drop();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function reject(socket: Duplex, status: number, type: string, message: string): void {
  const body = JSON.stringify({
    error: { type, code: status === 401 ? 'invalid_api_key' : null, message, param: null },
  });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Not Found'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

const eventId = (): string => `event_${randomBytes(8).toString('hex')}`;

class Connection implements FakeRealtimeConnection {
  readonly received: Record<string, unknown>[] = [];
  readonly sessionUpdates: Record<string, unknown>[] = [];
  readonly silenceDurations: number[] = [];
  readonly config: Record<string, unknown>;
  readonly closed: Promise<void>;
  private readonly chunks: Buffer[] = [];
  private readonly queue: ScriptedUtterance[] = [];
  private pending = Buffer.alloc(0);
  private audioMs = 0;
  private voicedRun = 0;
  private unvoicedRun = 0;
  private speaking = false;
  private itemId: string | null = null;
  private lastItemId: string | null = null;
  private utterance: ScriptedUtterance | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly index: number,
    private readonly ws: WebSocket,
    private readonly opts: FakeRealtimeTranscriptionOptions,
    private readonly script: (string | ScriptedUtterance)[],
    private readonly changed: () => void,
  ) {
    this.config = {
      id: `sess_${randomBytes(8).toString('hex')}`,
      object: 'realtime.transcription_session',
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          noise_reduction: null,
          transcription: null,
          turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
        },
      },
    };
    this.closed = new Promise((resolve) =>
      ws.on('close', () => {
        for (const t of this.timers) clearTimeout(t);
        resolve();
        changed();
      }),
    );
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('error', () => undefined);
    this.sendEvent({ type: 'session.created', event_id: eventId(), session: this.config });
  }

  audio(): Buffer {
    return Buffer.concat(this.chunks);
  }

  queueTranscript(...utterances: (string | ScriptedUtterance)[]): void {
    this.queue.push(...utterances.map(asUtterance));
  }

  sendEvent(event: Record<string, unknown>): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(event));
  }

  drop(): void {
    this.ws.terminate();
  }

  private get input(): Record<string, unknown> {
    return (this.config.audio as { input: Record<string, unknown> }).input;
  }

  private get silenceMs(): number {
    const td = this.input.turn_detection as { silence_duration_ms?: number } | null;
    return td?.silence_duration_ms ?? 500;
  }

  private onMessage(raw: string): void {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      this.error('invalid_json', 'Message is not JSON');
      return;
    }
    this.received.push(event);
    switch (event.type) {
      case 'session.update':
        this.sessionUpdate(event);
        break;
      case 'input_audio_buffer.append':
        this.append(event);
        break;
      case 'input_audio_buffer.clear':
        this.pending = Buffer.alloc(0);
        this.voicedRun = this.unvoicedRun = 0;
        this.speaking = false;
        this.sendEvent({ type: 'input_audio_buffer.cleared', event_id: eventId() });
        break;
      default:
        this.error('unknown_event', `Unsupported client event: ${String(event.type)}`, event.event_id);
    }
    this.changed();
  }

  private sessionUpdate(event: Record<string, unknown>): void {
    const session = event.session as Record<string, unknown> | undefined;
    if (!session || session.type !== 'transcription') {
      this.error('invalid_value', "session.type must be 'transcription' on a transcription session", event.event_id);
      return;
    }
    this.sessionUpdates.push(session);
    const input = (session.audio as { input?: Record<string, unknown> } | undefined)?.input ?? {};
    for (const [key, value] of Object.entries(input)) this.input[key] = value;
    const silence = (input.turn_detection as { silence_duration_ms?: unknown } | undefined)?.silence_duration_ms;
    if (typeof silence === 'number') this.silenceDurations.push(silence);
    this.sendEvent({ type: 'session.updated', event_id: eventId(), session: this.config });
  }

  private append(event: Record<string, unknown>): void {
    if ((this.input.format as { type?: string } | null)?.type !== 'audio/pcmu') {
      this.error('invalid_value', 'The fake only decodes audio/pcmu: set audio.input.format first', event.event_id);
      return;
    }
    if (typeof event.audio !== 'string') {
      this.error('missing_required_parameter', 'Missing audio', event.event_id);
      return;
    }
    const bytes = Buffer.from(event.audio, 'base64');
    this.chunks.push(bytes);
    let audio = this.pending.length ? Buffer.concat([this.pending, bytes]) : bytes;
    while (audio.length >= FRAME_BYTES) {
      this.frame(mulawLevelDbfs(audio.subarray(0, FRAME_BYTES)) >= (this.opts.thresholdDbfs ?? -40));
      audio = audio.subarray(FRAME_BYTES);
    }
    this.pending = Buffer.from(audio);
  }

  private frame(voiced: boolean): void {
    this.audioMs += FRAME_MS;
    const startFrames = Math.max(1, Math.ceil((this.opts.startMs ?? 60) / FRAME_MS));
    if (!this.speaking) {
      this.voicedRun = voiced ? this.voicedRun + 1 : 0;
      if (this.voicedRun < startFrames) return;
      this.speaking = true;
      this.unvoicedRun = 0;
      this.itemId = `item_${randomBytes(8).toString('hex')}`;
      this.utterance = this.nextUtterance();
      this.sendEvent({
        type: 'input_audio_buffer.speech_started',
        event_id: eventId(),
        item_id: this.itemId,
        audio_start_ms: Math.max(0, this.audioMs - this.voicedRun * FRAME_MS - 300),
      });
      return;
    }
    this.unvoicedRun = voiced ? 0 : this.unvoicedRun + 1;
    if (this.unvoicedRun * FRAME_MS < this.silenceMs) return;
    this.speaking = false;
    this.voicedRun = 0;
    const itemId = this.itemId!;
    const utterance = this.utterance ?? { text: '' };
    this.sendEvent({
      type: 'input_audio_buffer.speech_stopped',
      event_id: eventId(),
      item_id: itemId,
      audio_end_ms: this.audioMs,
    });
    this.sendEvent({
      type: 'input_audio_buffer.committed',
      event_id: eventId(),
      item_id: itemId,
      previous_item_id: this.lastItemId,
    });
    this.lastItemId = itemId;
    this.transcribe(itemId, utterance);
  }

  private nextUtterance(): ScriptedUtterance | null {
    const next = this.queue.shift() ?? this.script.shift();
    return next === undefined ? null : asUtterance(next);
  }

  private transcribe(itemId: string, utterance: ScriptedUtterance): void {
    const run = (): void => {
      if (utterance.fail) {
        this.sendEvent({
          type: 'conversation.item.input_audio_transcription.failed',
          event_id: eventId(),
          item_id: itemId,
          content_index: 0,
          error: {
            type: 'transcription_error',
            code: 'audio_unintelligible',
            message: 'Audio could not be transcribed',
          },
        });
        return;
      }
      const words = utterance.text.split(/\s+/).filter(Boolean);
      words.forEach((word, i) =>
        this.sendEvent({
          type: 'conversation.item.input_audio_transcription.delta',
          event_id: eventId(),
          item_id: itemId,
          content_index: 0,
          delta: i === 0 ? word : ` ${word}`,
        }),
      );
      this.sendEvent({
        type: 'conversation.item.input_audio_transcription.completed',
        event_id: eventId(),
        item_id: itemId,
        content_index: 0,
        transcript: utterance.text,
        usage: { type: 'duration', seconds: 1 },
      });
    };
    const latency = utterance.latencyMs ?? this.opts.latencyMs ?? 0;
    if (latency <= 0) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, latency);
    this.timers.add(timer);
  }

  private error(code: string, message: string, clientEventId?: unknown): void {
    this.sendEvent({
      type: 'error',
      event_id: eventId(),
      error: {
        type: 'invalid_request_error',
        code,
        message,
        param: null,
        event_id: typeof clientEventId === 'string' ? clientEventId : null,
      },
    });
  }
}

function asUtterance(u: string | ScriptedUtterance): ScriptedUtterance {
  return typeof u === 'string' ? { text: u } : u;
}
