import type { RealtimeResponseCreateParams, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { parseToolArguments } from './common.ts';
import { RealtimeConnection } from './openai-realtime-connection.ts';
import { RealtimeError } from './openai-realtime-error.ts';
import type { RealtimeAudioPoint } from './openai-realtime-events.ts';
import { AssistantItems } from './openai-realtime-items.ts';
import { ResponseQueue, type PendingResponse } from './openai-realtime-responses.ts';
import { realtimeSessionUpdate, sayInstructions, type RealtimeSessionUpdate } from './openai-realtime-session.ts';

export {
  OPENAI_REALTIME_DEFAULT_MODEL,
  OPENAI_REALTIME_DEFAULT_URL,
  type RealtimeConversationOptions,
} from './openai-realtime-connection.ts';
export { RealtimeError, type RealtimeErrorKind } from './openai-realtime-error.ts';
export type {
  RealtimeAudioPoint,
  RealtimeConversationEvents,
  RealtimeResponseInfo,
  RealtimeToolCall,
} from './openai-realtime-events.ts';
export {
  DEFAULT_REALTIME_TURN_DETECTION,
  OPENAI_REALTIME_DEFAULT_TRANSCRIPTION_MODEL,
  OPENAI_REALTIME_DEFAULT_VOICE,
  realtimeTools,
  sayInstructions,
  type RealtimeSessionSettings,
  type RealtimeSessionUpdate,
  type RealtimeTurnDetection,
} from './openai-realtime-session.ts';

/**
 * OpenAI Realtime (speech-to-speech) for one phone call, over one WebSocket, in the **GA** protocol
 * (telephony.md A4). The wire shapes are typed with the `openai` package's own Realtime types
 * (`openai/resources/realtime/realtime`, SDK 7.57.0), so a shape drift fails the type check; the SDK
 * itself is not used at run time (plain `ws`). The socket, the session configuration and the failures are
 * `RealtimeConnection`'s; this is the conversation on top: responses, tool results, audio and barge-in.
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
 * order), so ours are told apart from the ones server VAD creates by itself (see `ResponseQueue`).
 */

/**
 * One call's Realtime conversation. Create, `connect`, then feed caller audio and react to the events;
 * `close` at the end of the call. Not reusable after `closed`.
 */
export class RealtimeConversation extends RealtimeConnection {
  private readonly items = new AssistantItems();
  private readonly responses = new ResponseQueue();

  /** A response is being generated (ours or one server VAD started). */
  get responding(): boolean {
    return this.responses.responding;
  }

  /** Changes instructions and/or tools (the machine's state changed); resolves at `session.updated`. */
  updateSession(update: RealtimeSessionUpdate): Promise<void> {
    return this.sendSessionUpdate(realtimeSessionUpdate(update));
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
    const allAnswered = this.responses.toolAnswered(callId);
    if ((opts.respond ?? true) && allAnswered) this.request('tool', {}, {});
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
  interrupt(audioEndMs: number, itemId: string | null = this.items.lastAudioItemId): RealtimeAudioPoint | null {
    if (this.state !== 'open') return null;
    // Cancel first (stops generation at once), then truncate the item it leaves behind.
    const active = this.responses.active;
    if (active) this.cancel(active);
    else this.responses.cancelInFlight();
    const point = itemId ? this.items.truncate(itemId, audioEndMs) : null;
    if (!point) return null;
    this.send({
      type: 'conversation.item.truncate',
      event_id: this.eventId(),
      item_id: point.itemId,
      content_index: 0,
      audio_end_ms: point.audioEndMs,
    });
    return point;
  }

  /** Milliseconds of audio received for an assistant item (0 if unknown). */
  audioMs(itemId: string): number {
    return this.items.audioMs(itemId);
  }

  /** The last assistant item that produced audio and was not interrupted since. */
  get currentAudioItemId(): string | null {
    return this.items.lastAudioItemId;
  }

  /**
   * What the caller heard of an item's transcript when playback stopped at `audioEndMs`: the words in
   * proportion to the audio played (an estimate: words are not evenly timed). All of it when fully played.
   */
  heardText(itemId: string, audioEndMs: number): string {
    return this.items.heardText(itemId, audioEndMs);
  }

  /** Ends the call's conversation (queued responses are dropped); `closed` follows. Safe to call twice. */
  override close(): void {
    this.responses.clearQueue();
    super.close();
  }

  // ---- internals ----

  private request(
    kind: PendingResponse['kind'],
    params: RealtimeResponseCreateParams,
    metadata: Record<string, string>,
  ): string {
    const ref = this.responseRef();
    this.responses.add({ ref, eventId: this.eventId(), kind, params, metadata, cancelled: false });
    this.pump();
    return ref;
  }

  /** Sends the next queued `response.create` when no response is active or on its way. */
  private pump(): void {
    if (this.state !== 'open') return;
    const create = this.responses.next();
    if (create) this.send(create);
  }

  /** Cancels a response; what it still sends is dropped. */
  private cancel(responseId: string): void {
    this.send({ type: 'response.cancel', event_id: this.eventId(), response_id: responseId });
    this.items.drop(responseId);
  }

  protected override opened(): void {
    this.pump();
  }

  protected override reset(): void {
    this.responses.reset();
  }

  protected override handle(event: RealtimeServerEvent): void {
    switch (event.type) {
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
        const ours = this.responses.created(id, event.response.metadata);
        if (ours?.cancelled) this.cancel(id);
        return;
      }
      case 'response.output_item.added': {
        const item = event.item;
        if (item.type === 'message' && item.role === 'assistant' && item.id)
          this.items.item(item.id, event.response_id);
        return;
      }
      case 'response.output_audio.delta': {
        if (this.items.isDropped(event.response_id)) return;
        const chunk = Buffer.from(event.delta, 'base64');
        this.items.audioReceived(event.item_id, event.response_id, chunk.length);
        this.emit('audio', chunk, event.item_id);
        return;
      }
      case 'response.output_audio.done': {
        this.items.item(event.item_id, event.response_id).audioDone = true;
        if (!this.items.isDropped(event.response_id)) this.emit('audioDone', event.item_id);
        return;
      }
      case 'response.output_audio_transcript.delta': {
        if (this.items.isDropped(event.response_id)) return;
        this.items.item(event.item_id, event.response_id).transcript += event.delta;
        this.emit('agentTranscript', event.delta, event.item_id);
        return;
      }
      case 'response.output_audio_transcript.done': {
        if (this.items.isDropped(event.response_id)) return;
        this.items.item(event.item_id, event.response_id).transcript = event.transcript;
        this.emit('agentTranscriptDone', event.transcript, event.item_id);
        return;
      }
      case 'response.output_item.done': {
        const item = event.item;
        if (item.type !== 'function_call' || this.items.isDropped(event.response_id)) return;
        if (item.status === 'incomplete') return;
        const callId = item.call_id ?? item.id ?? '';
        this.responses.toolCalled(callId);
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
        this.responses.done(id);
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
      default:
        return;
    }
  }

  protected override responseError(err: RealtimeError): boolean {
    if (err.code === 'response_cancel_not_active') {
      // The server had already ended the response (server VAD cancels on speech by itself): nothing to do.
      this.options.log?.debug('realtime: cancel found no active response');
      return true;
    }
    // The create refused may be the one in flight, or one a metadata-less `response.created` was taken for.
    if (!this.responses.refused(err.eventId, err.code)) return false;
    // Refused because server VAD started an answer first: ours went back to the queue and goes out after it.
    if (err.code === 'conversation_already_has_active_response') return true;
    this.fail(err);
    this.pump();
    return true;
  }
}
