import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ConversationItem,
  RealtimeClientEvent,
  RealtimeFunctionTool,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import type { RawData } from 'ws';
import { mulawBytesFor, mulawDurationMs } from '../../../src/voice/audio/mulaw.ts';
import { mulawLevelDbfs } from '../../../src/voice/audio/signal.ts';
import { RealtimeResponses } from './realtime-responses.ts';

/**
 * One connection of the fake Realtime server (fake-realtime-server.ts), the client's side: its client events
 * (session.update, appends, commit, response.create/cancel, truncate, item create), the energy VAD over the appended
 * μ-law, the caller's turns and their transcription, and load mode's echo. Responses are realtime-responses.ts's.
 */

const FRAME_MS = 20;
const FRAME_BYTES = mulawBytesFor(FRAME_MS);
const FORMATS = new Set(['audio/pcm', 'audio/pcmu', 'audio/pcma']);
const VOICES = new Set(['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar']);

/** One accepted Realtime socket: its session, what the client sent, what the fake answered. */
export class FakeRealtimeConnection extends RealtimeResponses {
  // VAD (on the input buffer's own clock: 20 ms per frame)
  private pending = Buffer.alloc(0);
  private bufferMs = 0;
  private voicedRun = 0;
  private unvoicedRun = 0;
  private speechItemId: string | null = null;
  private uncommittedMs = 0;
  private loadResponse: { responseId: string; itemId: string } | null = null;

  // ---- client events ----

  protected receive(data: RawData, isBinary: boolean): void {
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
}
