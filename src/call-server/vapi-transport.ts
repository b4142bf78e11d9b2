import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { CallSession, CallTransport, Handoff } from '../call-runtime/call-session.ts';
import {
  VAPI_END_CALL_FUNCTION,
  VAPI_TRANSFER_CALL_FUNCTION,
  type CompletionMeta,
  type CompletionToolCall,
} from '../integrations/vapi/messages.ts';
import { ReplyStream } from './vapi-reply-stream.ts';

/** Our side of a Vapi call (the session's `CallTransport`), and the session's end as Vapi's own tool call. */

/**
 * Machine states that said a goodbye and hang up next: the open reply waits for the hang-up (`closing`, and a
 * campaign call's `optedOut`).
 */
const GOODBYE_STATES = new Set(['closing', 'optedOut']);

/**
 * Our side of a Vapi call: every custom-LLM request carries one caller turn and holds the HTTP response the
 * session's reply streams into. Text the session says between requests ("are you still there?") has nowhere to go
 * and is dropped: Vapi only speaks replies to its own requests.
 */
export class VapiTransport implements CallTransport {
  readonly kind = 'vapi' as const;
  readonly carrierSpeaksGreeting = true;
  readonly carrierHandlesSilence = true;
  session: CallSession | null = null;
  private reply: ReplyStream | null = null;
  /** The last reply that ended normally, by its caller turn: what a repeated request gets again. */
  private completed: { key: string; text: string } | null = null;

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly apology: string,
    private readonly replyTimeoutMs: number,
  ) {}

  // ---- CallTransport (from the session) ----

  sendText(text: string, last: boolean): void {
    const r = this.current();
    if (!r) {
      this.log.debug({ last }, 'vapi: reply text outside a request dropped');
      return;
    }
    r.write(text);
    // The reply ends here, unless the session goes on right away (a goodbye, a transfer, an offer to connect).
    if (last) r.scheduleFinish(() => this.sayingGoodbye());
  }

  end(how: Handoff): void {
    const r = this.current();
    if (r) r.finish('tool_calls', handoffToolCall(how));
    else this.log.info({ handoff: how.kind }, 'vapi: session ended between requests');
    // Vapi rings the agent itself: nothing is left for the session (a hang-up ends it on its own).
    if (how.kind === 'transfer') setImmediate(() => this.session?.hungUp());
  }

  // ---- from the routes ----

  newReply(res: ServerResponse, meta: CompletionMeta, sse: boolean): ReplyStream {
    return new ReplyStream(res, meta, sse, this.replyTimeoutMs, (r) => this.timedOut(r));
  }

  /** One custom-LLM request: what the caller said since the assistant last spoke (null: nothing new). */
  turn(r: ReplyStream, turn: { text: string; index: number } | null, greeting: string | null): void {
    r.onFinished = (text) => {
      if (r.key && !r.cutShort) this.completed = { key: r.key, text };
    };
    const previous = this.current();
    const hold = (): boolean => this.sayingGoodbye();
    this.reply = r;
    if (!turn) {
      // A first model-generated message, or a request after a tool result: nothing for the session to answer.
      previous?.finish('stop');
      if (greeting) r.write(greeting);
      // Saying goodbye: the hang-up comes to this request.
      if (!hold()) r.finish('stop');
      return;
    }
    // A caller turn is its position in Vapi's messages and its words: the same key again is a repeated request.
    r.key = `${turn.index}:${turn.text}`;
    if (previous?.key === r.key) {
      // Still answering it: the reply carries on in the new request.
      previous.cutShort = true;
      r.write(previous.text);
      const complete = previous.lastReceived;
      previous.finish('stop');
      if (complete) r.scheduleFinish(hold);
      return;
    }
    if (!previous && this.completed?.key === r.key) {
      // Answered already: the same answer again, without running the turn twice.
      r.write(this.completed.text);
      r.finish('stop');
      return;
    }
    if (previous) {
      // The caller spoke while the reply was still streaming: a barge-in (unless the reply was complete).
      const heard = previous.text;
      previous.cutShort = !previous.lastReceived;
      previous.finish('stop');
      if (previous.cutShort) this.session?.callerInterrupted(heard);
    }
    this.session?.callerSaid(turn.text);
  }

  /** Vapi closed the request before the reply ended: the caller barged in. */
  requestClosed(r: ReplyStream): void {
    if (r.finished) return;
    const midReply = !r.lastReceived;
    const heard = r.text;
    r.abandon();
    if (this.reply === r && midReply) {
      this.log.debug('vapi: request closed mid-reply (barge-in)');
      this.session?.callerInterrupted(heard);
    }
  }

  /** Vapi's user-interrupted message: same as a closed request when our reply is still streaming. */
  interruptedByCaller(): void {
    const r = this.current();
    if (!r || r.lastReceived) return;
    const heard = r.text;
    r.cutShort = true;
    r.finish('stop');
    this.session?.callerInterrupted(heard);
  }

  /** The session is over: a request still open gets its end. */
  sessionEnded(): void {
    this.current()?.finish('stop');
  }

  private timedOut(r: ReplyStream): void {
    if (r.finished) return;
    if (this.sayingGoodbye()) {
      // The goodbye was said; the hang-up did not come in time: end the call anyway.
      r.finish('tool_calls', handoffToolCall({ kind: 'hangup' }));
      return;
    }
    this.log.warn({ streamed: r.text.length }, 'vapi: no reply in time');
    if (!r.text) r.write(this.apology);
    r.finish('stop');
  }

  private current(): ReplyStream | null {
    return this.reply && !this.reply.finished ? this.reply : null;
  }

  /** The session said its goodbye and hangs up next: the open reply carries the hang-up. */
  private sayingGoodbye(): boolean {
    return GOODBYE_STATES.has(this.session?.state ?? '');
  }
}

/** The session's end as Vapi's own tool call: `endCall`, or `transferCall` with `{destination}`. */
export function handoffToolCall(how: Handoff): CompletionToolCall {
  const id = `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  return how.kind === 'transfer'
    ? {
        id,
        type: 'function',
        function: { name: VAPI_TRANSFER_CALL_FUNCTION, arguments: JSON.stringify({ destination: how.to }) },
      }
    : { id, type: 'function', function: { name: VAPI_END_CALL_FUNCTION, arguments: '{}' } };
}
