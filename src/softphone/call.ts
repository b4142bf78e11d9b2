import type { CallEvent } from '../call-runtime/call-events.ts';
import { CallEndedError, ReplyTimeoutError } from './call-errors.ts';
import type { CallEnd, PlaceCallOptions } from './call-types.ts';
import { DEFAULT_REPLY_TIMEOUT_MS } from './options.ts';
import { describeRelayEnd, type RelaySession } from './relay-session.ts';
import { TwilioCall } from './twilio-call.ts';

export { CallEndedError, ReplyTimeoutError, UnsupportedTransportError } from './call-errors.ts';
export type { CallEnd, PlaceCallOptions } from './call-types.ts';
export { SIMULATED_TALK_SECONDS } from './twilio-requests.ts';

/** Interrupt estimate: how long a word takes to speak. */
export const MS_PER_WORD = 350;

/**
 * Places a call into the server exactly as Twilio would for an inbound call: (optionally) subscribes
 * to the call events, posts the signed voice webhook, follows the TwiML and, for
 * `<Connect><ConversationRelay>`, opens the relay WebSocket and sends `setup`. Resolves once the
 * relay session is open or the call already ended (e.g. `<Say>…<Hangup/>`). Rejects with a
 * WebhookError (network, 4xx/5xx), TwimlError, or UnsupportedTransportError (media-stream TwiML).
 */
export async function placeCall(opts: PlaceCallOptions): Promise<SoftphoneCall> {
  const call = new SoftphoneCall(opts);
  await call.start();
  return call;
}

/** A call in progress, from the caller's side (Twilio's side: TwilioCall). Create with placeCall. */
export class SoftphoneCall extends TwilioCall {
  /**
   * Says `text` as one caller turn and waits for the agent's complete reply. Resolves with the reply,
   * or undefined if the relay session ended first; rejects with ReplyTimeoutError after the timeout
   * and CallEndedError when there is no session to talk to.
   */
  async say(text: string, opts: { timeoutMs?: number } = {}): Promise<string | undefined> {
    const relay = this.openRelay();
    const mark = this.replyMark(relay);
    this.record({ kind: 'caller', text });
    relay.send({ type: 'prompt', voicePrompt: text, lang: 'en-US', last: true });
    return this.awaitReply(relay, mark, opts.timeoutMs ?? this.opts.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS, true);
  }

  /** Presses keys (one `dtmf` message per digit); resolves with a reply if one completes within `waitMs` (2 s). */
  async dtmf(digits: string, opts: { waitMs?: number } = {}): Promise<string | undefined> {
    const relay = this.openRelay();
    const mark = this.replyMark(relay);
    this.record({ kind: 'dtmf', digits });
    for (const digit of digits) relay.send({ type: 'dtmf', digit });
    return this.awaitReply(relay, mark, opts.waitMs ?? 2_000, false);
  }

  /**
   * Barges in: tells the server the caller heard only the first `words` words (default: half) of the
   * reply being spoken, or of the last one (or the greeting). Duration estimate: 350 ms per word.
   */
  interrupt(words?: number): { heard: string; durationMs: number } {
    const relay = this.openRelay();
    const last = relay.partialReply.trim() || this.replies.at(-1) || this.greeting || '';
    const all = last.split(/\s+/).filter(Boolean);
    const n = Math.min(words ?? Math.ceil(all.length / 2), all.length);
    const heard = all.slice(0, n).join(' ');
    const durationMs = n * MS_PER_WORD;
    relay.send({ type: 'interrupt', utteranceUntilInterrupt: heard, durationUntilInterruptMs: durationMs });
    this.record({ kind: 'interrupt', heard, durationMs });
    return { heard, durationMs };
  }

  /** Stays silent for `ms` (returns early if the call ends). */
  async wait(ms: number): Promise<void> {
    await this.waitUntil(() => this.isEnded, ms);
  }

  /** The caller hangs up: closes the socket and sends the `completed` status callback. */
  async hangup(): Promise<CallEnd> {
    if (!this.finishing && !this.callerHungUp) {
      this.callerHungUp = true;
      if (this.relay && !this.relay.isEnded) this.relay.hangup();
    }
    return this.ended;
  }

  /** Waits up to `timeoutMs` for the call to end; undefined if it is still up. */
  async waitForEnd(timeoutMs: number): Promise<CallEnd | undefined> {
    await this.waitUntil(() => this.isEnded, timeoutMs);
    return this.endInfo;
  }

  /** Waits up to `timeoutMs` for an event at index ≥ `since` that satisfies `predicate`. */
  async waitForEvent(
    predicate: (event: CallEvent) => boolean,
    opts: { since?: number; timeoutMs?: number } = {},
  ): Promise<CallEvent | undefined> {
    const find = () => this.events.slice(opts.since ?? 0).find(predicate);
    await this.waitUntil(() => find() !== undefined, opts.timeoutMs ?? 2_000);
    return find();
  }

  private openRelay(): RelaySession {
    const relay = this.relay;
    if (relay?.isOpen) return relay;
    if (this.endInfo) throw new CallEndedError(`the call has ended (${this.endInfo.message})`);
    if (relay?.end) throw new CallEndedError(`the relay session is over (${describeRelayEnd(relay.end)})`);
    throw new CallEndedError('the relay session is not open');
  }

  /** Replies that count as "before" a caller action: the complete ones plus one still streaming. */
  private replyMark(relay: RelaySession): number {
    return this.replies.length + (relay.partialReply.trim() ? 1 : 0);
  }

  private async awaitReply(
    relay: RelaySession,
    mark: number,
    timeoutMs: number,
    required: boolean,
  ): Promise<string | undefined> {
    await this.waitUntil(() => this.replies.length > mark || relay.isEnded, timeoutMs);
    if (this.replies.length > mark) return this.replies[mark];
    if (relay.isEnded || !required) return undefined;
    throw new ReplyTimeoutError(timeoutMs, relay.partialReply);
  }
}
