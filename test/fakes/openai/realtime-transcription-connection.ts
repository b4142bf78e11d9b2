import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { mulawLevelDbfs } from '../../../src/voice/audio/signal.ts';
import type {
  FakeRealtimeConnection,
  FakeRealtimeTranscriptionOptions,
  ScriptedUtterance,
} from './fake-realtime-transcription-server.ts';

/**
 * One connection of the fake Realtime transcription server (fake-realtime-transcription-server.ts): its session
 * configuration, an energy VAD over the appended μ-law in 20 ms frames, and the scripted transcript of each
 * utterance it detects, sent as deltas and a completed (or failed) event.
 */

const FRAME_BYTES = 160;
const FRAME_MS = 20;

const eventId = (): string => `event_${randomBytes(8).toString('hex')}`;

export class TranscriptionConnection implements FakeRealtimeConnection {
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
