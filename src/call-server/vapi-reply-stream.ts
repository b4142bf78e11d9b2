import type { ServerResponse } from 'node:http';
import {
  completion,
  completionChunk,
  type CompletionMeta,
  type CompletionToolCall,
} from '../integrations/vapi/messages.ts';

/**
 * One custom-LLM response: `data: {chat.completion.chunk}` lines ending in `data: [DONE]` (SSE), or one
 * chat.completion JSON when the request said `stream: false`. Nothing is written after the end. An idle timer
 * calls `onIdle` when the session says nothing for `timeoutMs` (Vapi must never hang).
 */
export class ReplyStream {
  finished = false;
  /** The session marked the reply complete (`last`); it ends on the next tick unless the session goes on. */
  lastReceived = false;
  /** The caller turn this request carries (`<message index>:<words>`). */
  key: string | null = null;
  /** Ended by a barge-in or handed to a newer request: not an answer to replay. */
  cutShort = false;
  onFinished: ((text: string) => void) | null = null;
  private streamed = '';
  private idle: NodeJS.Timeout | null = null;
  private pending: NodeJS.Immediate | null = null;

  constructor(
    private readonly res: ServerResponse,
    private readonly meta: CompletionMeta,
    private readonly sse: boolean,
    private readonly timeoutMs: number,
    private readonly onIdle: (r: ReplyStream) => void,
  ) {
    if (sse) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
    }
    this.arm();
  }

  /** The text sent so far, as the caller hears it. */
  get text(): string {
    return this.streamed;
  }

  write(text: string): void {
    if (this.finished) return;
    this.arm();
    if (!text.trim()) return;
    // The session sends trimmed sentences; Vapi concatenates the deltas as they come.
    const piece = this.streamed && !/^\s/.test(text) ? ` ${text}` : text;
    this.streamed += piece;
    if (this.sse) this.send(completionChunk(this.meta, { role: 'assistant', content: piece }));
  }

  scheduleFinish(hold: () => boolean): void {
    if (this.finished) return;
    this.lastReceived = true;
    if (this.pending) clearImmediate(this.pending);
    this.pending = setImmediate(() => {
      this.pending = null;
      if (!this.finished && !hold()) this.finish('stop');
    });
  }

  finish(reason: 'stop' | 'tool_calls', toolCall?: CompletionToolCall): void {
    if (this.finished) return;
    this.finished = true;
    this.clearTimers();
    this.onFinished?.(this.streamed);
    if (this.res.destroyed || this.res.writableEnded) return;
    if (this.sse) {
      if (toolCall)
        this.send(completionChunk(this.meta, { role: 'assistant', tool_calls: [{ index: 0, ...toolCall }] }));
      this.send(completionChunk(this.meta, {}, reason));
      this.res.end('data: [DONE]\n\n');
      return;
    }
    const body = JSON.stringify(completion(this.meta, this.streamed, toolCall ? [toolCall] : [], reason));
    this.res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    this.res.end(body);
  }

  /** The client went away: stop without writing. */
  abandon(): void {
    this.finished = true;
    this.clearTimers();
  }

  private send(chunk: Record<string, unknown>): void {
    if (!this.res.destroyed && !this.res.writableEnded) this.res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  private arm(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.onIdle(this), this.timeoutMs);
    this.idle.unref();
  }

  private clearTimers(): void {
    if (this.idle) clearTimeout(this.idle);
    if (this.pending) clearImmediate(this.pending);
    this.idle = null;
    this.pending = null;
  }
}
