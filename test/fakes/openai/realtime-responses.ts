import { setTimeout as sleep } from 'node:timers/promises';
import type { ConversationItem, RealtimeFunctionTool } from 'openai/resources/realtime/realtime';
import { mulawBytesFor, mulawDurationMs } from '../../../src/voice/audio/mulaw.ts';
import { mulawTone } from '../../../src/voice/audio/signal.ts';
import { pause } from '../http-fake.ts';
import type { FakeRealtimeReply, FakeRealtimeResponseRecord } from './fake-realtime-server.ts';
import { RealtimeConnectionState, type ActiveResponse, type AssistantItem } from './realtime-connection-state.ts';

/**
 * The model's side of a fake Realtime connection (realtime-connection.ts builds on it): a response to a turn or a
 * `response.create`, its spoken reply (transcript deltas and paced μ-law audio deltas) or function call, its done
 * events, and its cancellation.
 */
export abstract class RealtimeResponses extends RealtimeConnectionState {
  protected readonly items = new Map<string, AssistantItem>();
  protected readonly calls = new Set<string>();
  private toneOffset = 0;

  protected createResponse(
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

  /** A new output item of a response, as the server announces it: in the response, then in the conversation. */
  private itemStarted(responseId: string, outputIndex: number, previous: string | null, item: ConversationItem): void {
    this.send({
      type: 'response.output_item.added',
      event_id: this.id('event'),
      response_id: responseId,
      output_index: outputIndex,
      item,
    });
    this.send({ type: 'conversation.item.added', event_id: this.id('event'), previous_item_id: previous, item });
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
    this.itemStarted(responseId, outputIndex, previous, started);
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
      await pause(this.options.latency?.chunkIntervalMs ?? 0);
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
    this.itemDone(responseId, outputIndex, previous, done);
    r.currentItem = null;
    return done;
  }

  /** A finished output item: response.output_item.done, then conversation.item.done (as itemStarted announces it). */
  private itemDone(responseId: string, outputIndex: number, previous: string | null, done: ConversationItem): void {
    this.send({
      type: 'response.output_item.done',
      event_id: this.id('event'),
      response_id: responseId,
      output_index: outputIndex,
      item: done,
    });
    this.send({ type: 'conversation.item.done', event_id: this.id('event'), previous_item_id: previous, item: done });
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
    this.itemStarted(responseId, outputIndex, previous, started);
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
    this.itemDone(responseId, outputIndex, previous, done);
    return done;
  }

  protected cancel(r: ActiveResponse, reason: 'turn_detected' | 'client_cancelled'): void {
    r.cancelled = true;
    r.record.reason = reason;
    this.changed();
    this.wakeActive();
  }

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
}
