import { EventEmitter } from 'node:events';
import type {
  RealtimeClientEvent,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import type { RawData, WebSocket } from 'ws';
import type {
  FakeRealtimeResponseRecord,
  FakeRealtimeScript,
  FakeRealtimeServerOptions,
} from './fake-realtime-server.ts';

/**
 * The state of one fake Realtime connection (realtime-connection.ts builds on it): the session, what the client sent
 * and what the fake answered, the queries and waits tests use on them, and sending server events.
 */

export interface AssistantItem {
  id: string;
  responseId: string;
  sentBytes: number;
  streaming: boolean;
  truncated: boolean;
}

export interface ActiveResponse {
  record: FakeRealtimeResponseRecord;
  cancelled: boolean;
  released: boolean;
  wake: (() => void) | null;
  currentItem: AssistantItem | null;
}

const DEFAULT_SERVER_VAD = {
  type: 'server_vad' as const,
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
};

export abstract class RealtimeConnectionState {
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

  protected readonly inputChunks: Buffer[] = [];
  protected readonly sentAudioByItem = new Map<string, Buffer[]>();
  protected active: ActiveResponse | null = null;
  protected lastItemId: string | null = null;
  protected audioSpoken = false;
  private readonly changes = new EventEmitter();
  private seq = 0;

  constructor(
    protected readonly ws: WebSocket,
    readonly model: string,
    readonly authorization: string,
    script: FakeRealtimeScript,
    protected readonly options: FakeRealtimeServerOptions,
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

  protected abstract receive(data: RawData, isBinary: boolean): void;

  protected wakeActive(): void {
    const wake = this.active?.wake;
    if (wake) {
      this.active!.wake = null;
      wake();
    }
  }

  protected error(message: string, code: string | null, eventId: string | null, param: string | null = null): void {
    this.send({
      type: 'error',
      event_id: this.id('event'),
      error: { type: 'invalid_request_error', code, message, param, event_id: eventId },
    });
  }

  protected send(event: RealtimeServerEvent): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(event));
  }

  protected id(kind: 'event' | 'resp' | 'item' | 'call'): string {
    return `${kind}_fake${(++this.seq).toString().padStart(6, '0')}`;
  }

  protected changed(): void {
    this.changes.emit('change');
  }

  protected until<T>(pick: () => T | undefined): Promise<T> {
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
