import type { WebSocket } from 'ws';
import { paced, type Pacing } from '../http-fake.ts';
import type { RecordedConnection, RecordedContext } from './fake-elevenlabs-server.ts';

/**
 * One socket of the fake ElevenLabs multi-stream-input endpoint (fake-elevenlabs-server.ts): its contexts, their
 * flushed texts spoken in order as paced audio messages, close_context (a second one while speaking cancels),
 * keep-alives and close_socket.
 */

/** What a socket needs of the server. */
export interface StreamInputVoice {
  pacing: Pacing;
  /** The audio messages' pieces for a text. */
  audioPieces(text: string): Buffer[];
  /** Counts one audio message sent; true when the server is to drop the socket now. */
  dropDue(): boolean;
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

export class StreamInputSocket {
  private readonly live = new Map<string, LiveContext>();

  constructor(
    private readonly ws: WebSocket,
    private readonly record: RecordedConnection,
    private readonly voice: StreamInputVoice,
  ) {}

  /** A client message, parsed and recorded. */
  receive(msg: Record<string, unknown>): void {
    const { ws, record, live } = this;
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
    void this.pump(id, ctx);
  }

  /** Speaks a context's flushed texts in order; sends isFinal once it is closed and done (or cancelled). */
  private async pump(id: string, ctx: LiveContext): Promise<void> {
    const { ws, voice } = this;
    if (ctx.speaking) return;
    ctx.speaking = true;
    let dropped = false;
    speaking: while (ctx.queue.length && !ctx.cancelled) {
      const text = ctx.queue.shift()!;
      for await (const piece of paced(() => voice.audioPieces(text), voice.pacing)) {
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
        if (voice.dropDue()) {
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
      this.live.delete(id);
      ws.send(JSON.stringify({ isFinal: true, contextId: id }));
    }
  }
}
