import type { CallEvent } from '../call-runtime/call-events.ts';
import { subscribeCallEvents } from './event-stream.ts';
import { DEFAULT_FROM, DEFAULT_REPLY_TIMEOUT_MS, DEFAULT_SERVER, DEFAULT_TO, type TransferOutcome } from './options.ts';
import { describeRelayEnd, RelaySession, type RelayEnd } from './relay-session.ts';
import type { TranscriptEntry } from './transcript.ts';
import { parseTwiml, resolveTwimlUrl, type ConversationRelayVerb, type DialVerb, type TwimlVerb } from './twiml.ts';
import { newSid, postWebhook, routeToServer } from './webhooks.ts';

export interface PlaceCallOptions {
  /** The server's TWILIO_AUTH_TOKEN: every webhook and the WebSocket upgrade are signed with it. */
  authToken: string;
  /** Where the softphone sends its requests. Default http://127.0.0.1:3000. */
  server?: string;
  /** The server's PUBLIC_URL, i.e. the URL Twilio would call; signatures are computed over it. Default: server. */
  publicUrl?: string;
  /** Caller number. Default +15125550123. */
  from?: string;
  /** Number called. Default +15125550100 (the demo agent's line). */
  to?: string;
  /** An agent API key: subscribes to the call's event stream. Without it, `events` stays empty. */
  apiKey?: string;
  /** How a `<Dial>` to a human turns out (the softphone cannot ring a phone). Default no-answer. */
  transfer?: TransferOutcome;
  /** How long `say` waits for the agent's complete reply. Default 15 000 ms. */
  replyTimeoutMs?: number;
  /** Called synchronously for every transcript entry, as it happens. */
  onEntry?: (entry: TranscriptEntry) => void;
  /**
   * Answer a call the server placed (a campaign dial) instead of calling in: the CallSid the carrier gave that
   * call, and the webhook Twilio fetches when the person picks up (its answer URL path, e.g. /twilio/outbound).
   * `from` is then the server's caller ID and `to` the person answering.
   */
  answer?: { callSid: string; path: string };
}

/** How a call ended: who/what ended it (reason), and what the caller heard at the end. */
export interface CallEnd {
  reason: 'caller-hangup' | 'twiml-hangup' | 'twiml-finished' | 'error';
  /** One line for people: how the relay session ended, then the call. */
  message: string;
  /** How the last relay session ended, when one was opened. */
  relay?: RelayEnd;
  /** The handoffData of the agent's `end` message. */
  handoffData?: string;
  /** Everything TwiML `<Say>` spoke on the call (whispers included), in order. */
  spoken: string[];
  durationSec: number;
}

/** The server answered with `<Connect><Stream>`: VOICE_TRANSPORT is media-stream. */
export class UnsupportedTransportError extends Error {
  constructor() {
    super(
      'the server answered with <Connect><Stream> (Media Streams, audio). The softphone speaks ConversationRelay ' +
        '(text) only: start the server with VOICE_TRANSPORT=conversation-relay.',
    );
    this.name = 'UnsupportedTransportError';
  }
}

/** say/dtmf/interrupt on a call whose relay session is over. */
export class CallEndedError extends Error {
  constructor(detail: string) {
    super(`no relay session to talk to: ${detail}`);
    this.name = 'CallEndedError';
  }
}

export class ReplyTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly partial: string,
  ) {
    super(
      `no complete agent reply within ${timeoutMs / 1000} s${partial ? ` (received so far: ${JSON.stringify(partial)})` : ''}`,
    );
    this.name = 'ReplyTimeoutError';
  }
}

/** Interrupt estimate: how long a word takes to speak. */
export const MS_PER_WORD = 350;
/** A transfer answered by the human is simulated as a call of this length. */
export const SIMULATED_TALK_SECONDS = 30;
/** After the call, how long to wait for the server's `ended` event before closing the stream. */
const ENDED_EVENT_GRACE_MS = 1_000;
const API_VERSION = '2010-04-01';

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

/** A call in progress, from the caller's side. Create with placeCall. */
export class SoftphoneCall {
  readonly callSid: string;
  readonly accountSid = newSid('AC');
  readonly from: string;
  readonly to: string;
  readonly server: string;
  readonly publicUrl: string;
  /** The first welcomeGreeting spoken (from the TwiML). */
  greeting: string | undefined;
  /** Complete agent replies, in order (a reply cut short by `end` or a close counts too). */
  readonly replies: string[] = [];
  /** Call events received on the event stream. */
  readonly events: CallEvent[] = [];
  readonly transcript: TranscriptEntry[] = [];
  /** Webhook errors, bad TwiML, unparseable messages, refused relay sessions. */
  readonly problems: string[] = [];
  /** Resolves (never rejects) once the call is over and the status callback was sent. */
  readonly ended: Promise<CallEnd>;
  /** Set once `ended` resolved. */
  endInfo: CallEnd | undefined;
  /** Whether the call event stream is connected now. */
  eventsLive = false;
  /** Whether the call event stream was ever connected (events are meaningful). */
  hasEventStream = false;

  private readonly opts: PlaceCallOptions;
  private relay: RelaySession | undefined;
  private lastRelayEnd: RelayEnd | undefined;
  private closeEvents: () => void = () => {};
  private resolveEnded!: (end: CallEnd) => void;
  private answered!: () => void;
  private readonly answeredPromise = new Promise<void>((resolve) => (this.answered = resolve));
  private readonly waiters = new Set<() => void>();
  private readonly spoken: string[] = [];
  private startedAt = Date.now();
  private callerHungUp = false;
  private finishing = false;

  constructor(opts: PlaceCallOptions) {
    this.opts = opts;
    this.callSid = opts.answer?.callSid ?? newSid('CA');
    this.server = (opts.server ?? DEFAULT_SERVER).replace(/\/+$/, '');
    this.publicUrl = (opts.publicUrl ?? this.server).replace(/\/+$/, '');
    this.from = opts.from ?? DEFAULT_FROM;
    this.to = opts.to ?? DEFAULT_TO;
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  get isEnded(): boolean {
    return this.endInfo !== undefined;
  }

  /** @internal Used by placeCall. */
  async start(): Promise<void> {
    if (this.opts.apiKey) await this.subscribe();
    else this.info('no API key (--api-key, REALTOR_API_KEY or .data/demo-api-key): running without call events');
    const voiceUrl = `${this.publicUrl}${this.opts.answer?.path ?? '/twilio/voice'}`;
    this.startedAt = Date.now();
    let verbs: TwimlVerb[];
    try {
      verbs = await this.fetchTwiml(voiceUrl, this.params('ringing'));
    } catch (err) {
      this.closeEvents();
      throw err;
    }
    if (verbs.some((v) => v.verb === 'Stream')) {
      await this.postStatus(0);
      this.closeEvents();
      throw new UnsupportedTransportError();
    }
    void this.run(verbs, voiceUrl);
    await this.answeredPromise;
  }

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

  /** Resolves true as soon as `condition` holds (re-checked on every reply, event and end), false on timeout. */
  waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        done(true);
      };
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => done(condition()), timeoutMs);
      this.waiters.add(check);
    });
  }

  // --- the TwiML interpreter -------------------------------------------------------------------

  private async run(verbs: TwimlVerb[], documentUrl: string): Promise<void> {
    let reason: CallEnd['reason'];
    try {
      reason = await this.execute(verbs, documentUrl);
    } catch (err) {
      this.problem((err as Error).message);
      reason = 'error';
    }
    await this.finish(reason);
  }

  /** Runs verbs in order like Twilio; a verb that fetches new TwiML (action, Redirect) replaces the rest. */
  private async execute(verbs: TwimlVerb[], documentUrl: string): Promise<CallEnd['reason']> {
    for (const verb of verbs) {
      if (this.callerHungUp) return 'caller-hangup';
      switch (verb.verb) {
        case 'Say':
          this.spoken.push(verb.text);
          this.record({ kind: 'say', text: verb.text });
          break;
        case 'Play':
          this.info(`TwiML plays ${verb.url}`);
          break;
        case 'Pause':
          this.info(`TwiML pauses ${verb.seconds} s (not waited)`);
          break;
        case 'Hangup':
          return 'twiml-hangup';
        case 'Redirect': {
          const url = resolveTwimlUrl(verb.url, documentUrl);
          return this.execute(await this.fetchTwiml(url, this.params('in-progress')), url);
        }
        case 'Stream':
          throw new UnsupportedTransportError();
        case 'ConversationRelay': {
          const session = await this.converse(verb, documentUrl);
          if (session.end.kind === 'caller-hangup' || this.callerHungUp) return 'caller-hangup';
          if (!verb.action) break;
          const url = resolveTwimlUrl(verb.action, documentUrl);
          return this.execute(await this.fetchTwiml(url, session.actionParams), url);
        }
        case 'Dial': {
          const next = await this.dial(verb, documentUrl);
          if (next) return this.execute(next.verbs, next.url);
          break;
        }
        case 'Unsupported':
          this.problem(`TwiML <${verb.name}> is not supported by the softphone; skipped`);
          break;
      }
    }
    return 'twiml-finished';
  }

  /** One relay session: connect, setup, talk until `end` or a close. Returns the action URL's params. */
  private async converse(
    verb: ConversationRelayVerb,
    documentUrl: string,
  ): Promise<{ end: RelayEnd; actionParams: Record<string, string> }> {
    const url = resolveTwimlUrl(verb.url, documentUrl);
    const connectUrl = routeToServer(url, this.server);
    if (connectUrl !== url) this.info(`relay: connecting to ${connectUrl} (the TwiML says ${url})`);
    const sessionId = newSid('VX');
    const openedAt = Date.now();
    const relay = new RelaySession(
      {
        url,
        connectUrl,
        authToken: this.opts.authToken,
        setup: {
          type: 'setup',
          sessionId,
          accountSid: this.accountSid,
          callSid: this.callSid,
          parentCallSid: '',
          from: this.from,
          to: this.to,
          forwardedFrom: '',
          callerName: '',
          direction: 'inbound',
          callType: 'PSTN',
          callStatus: 'RINGING',
          customParameters: verb.parameters,
        },
      },
      {
        onOpen: () => {
          if (verb.welcomeGreeting) {
            this.greeting ??= verb.welcomeGreeting;
            this.record({ kind: 'greeting', text: verb.welcomeGreeting });
          }
          this.answered();
          this.notify();
        },
        onReply: (text, cutShort) => {
          this.replies.push(text);
          this.record({ kind: 'agent', text, ...(cutShort ? { cutShort } : {}) });
          this.notify();
        },
        onDigits: (digits) => this.record({ kind: 'send-digits', digits }),
        onInfo: (text) => this.info(text),
        onProblem: (text) => this.problem(text),
      },
    );
    this.relay = relay;
    const end = await relay.ended;
    this.lastRelayEnd = end;
    if (end.kind === 'refused' || end.kind === 'failed') this.problem(`relay session: ${describeRelayEnd(end)}`);
    else if (end.kind !== 'caller-hangup') this.info(`relay session over: ${describeRelayEnd(end)}`);
    this.notify();
    const normal = end.kind === 'end' || (end.kind === 'closed' && (end.code === 1000 || end.code === 1005));
    return {
      end,
      actionParams: {
        ...this.params('in-progress'),
        SessionId: sessionId,
        SessionStatus: normal ? 'ended' : 'failed',
        SessionDuration: String(Math.floor((Date.now() - openedAt) / 1000)),
        ...(end.kind === 'end' && end.handoffData !== undefined ? { HandoffData: end.handoffData } : {}),
      },
    };
  }

  /** A `<Dial>`: simulates the --transfer outcome, runs the whisper for `answered`, posts the action. */
  private async dial(verb: DialVerb, documentUrl: string): Promise<{ verbs: TwimlVerb[]; url: string } | undefined> {
    const target = verb.targets[0];
    const outcome = this.opts.transfer ?? 'no-answer';
    if (!target) this.problem('<Dial> has no number to dial');
    const ringing = verb.timeout !== undefined ? ` (rings up to ${verb.timeout} s)` : '';
    this.record({ kind: 'transfer', text: `dialing ${target?.value ?? 'nobody'}${ringing}: simulated ${outcome}` });
    let dialCallSid: string | undefined;
    if (outcome === 'answered' && target) {
      dialCallSid = newSid('CA');
      if (target.url) {
        const url = resolveTwimlUrl(target.url, documentUrl);
        const whisper = await this.fetchTwiml(url, {
          AccountSid: this.accountSid,
          ApiVersion: API_VERSION,
          CallSid: dialCallSid,
          ParentCallSid: this.callSid,
          CallStatus: 'in-progress',
          Direction: 'outbound-dial',
          From: verb.callerId ?? this.from,
          To: target.value,
        });
        for (const v of whisper) {
          if (v.verb !== 'Say') continue;
          this.spoken.push(v.text);
          this.record({ kind: 'whisper', text: v.text });
        }
      }
      this.record({ kind: 'connected' });
    }
    if (!verb.action) return undefined;
    const url = resolveTwimlUrl(verb.action, documentUrl);
    const answered = outcome === 'answered' && target !== undefined;
    const params = {
      ...this.params('in-progress'),
      DialCallStatus: answered ? 'completed' : outcome === 'answered' ? 'failed' : outcome,
      DialCallDuration: answered ? String(SIMULATED_TALK_SECONDS) : '0',
      ...(dialCallSid ? { DialCallSid: dialCallSid } : {}),
    };
    return { verbs: await this.fetchTwiml(url, params), url };
  }

  private async finish(reason: CallEnd['reason']): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    if (this.relay && !this.relay.isEnded) this.relay.hangup();
    this.answered();
    const durationSec = Math.floor((Date.now() - this.startedAt) / 1000);
    await this.postStatus(durationSec);
    if (this.eventsLive) await this.waitUntil(() => this.events.some((e) => e.type === 'ended'), ENDED_EVENT_GRACE_MS);
    this.closeEvents();
    const relay = this.lastRelayEnd;
    const handoffData = relay?.kind === 'end' ? relay.handoffData : undefined;
    const how = {
      'caller-hangup': 'the caller hung up',
      'twiml-hangup': 'TwiML <Hangup/>',
      'twiml-finished': 'the TwiML ran out (Twilio hangs up)',
      error: `error: ${this.problems.at(-1) ?? 'unknown'}`,
    }[reason];
    const message = relay && relay.kind !== 'caller-hangup' ? `${describeRelayEnd(relay)}; then ${how}` : how;
    const end: CallEnd = {
      reason,
      message,
      ...(relay ? { relay } : {}),
      ...(handoffData !== undefined ? { handoffData } : {}),
      spoken: [...this.spoken],
      durationSec,
    };
    this.endInfo = end;
    this.record({ kind: 'end', text: message });
    this.notify();
    this.resolveEnded(end);
  }

  // --- plumbing --------------------------------------------------------------------------------

  private async subscribe(): Promise<void> {
    const sub = await subscribeCallEvents({
      server: this.server,
      apiKey: this.opts.apiKey!,
      callSid: this.callSid,
      onEvent: (event) => {
        this.events.push(event);
        this.record({ kind: 'event', event });
        this.notify();
      },
      onProblem: (text) => this.problem(text),
    });
    if (sub.ok) {
      this.eventsLive = true;
      this.hasEventStream = true;
      this.closeEvents = () => {
        this.eventsLive = false;
        sub.close();
      };
    } else {
      this.info(`running without call events: ${sub.message}`);
    }
  }

  private async fetchTwiml(url: string, params: Record<string, string>): Promise<TwimlVerb[]> {
    const res = await postWebhook({ url, server: this.server, authToken: this.opts.authToken, params });
    return parseTwiml(res.body);
  }

  private async postStatus(durationSec: number): Promise<void> {
    try {
      await postWebhook({
        url: `${this.publicUrl}/twilio/status`,
        server: this.server,
        authToken: this.opts.authToken,
        params: { ...this.params('completed'), CallDuration: String(durationSec) },
      });
    } catch (err) {
      this.problem((err as Error).message);
    }
  }

  /** The params Twilio sends with every request about this call. */
  private params(callStatus: string): Record<string, string> {
    return {
      AccountSid: this.accountSid,
      ApiVersion: API_VERSION,
      CallSid: this.callSid,
      CallStatus: callStatus,
      Called: this.to,
      Caller: this.from,
      Direction: this.opts.answer ? 'outbound-api' : 'inbound',
      From: this.from,
      To: this.to,
    };
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

  private record(entry: TranscriptEntry): void {
    this.transcript.push(entry);
    this.opts.onEntry?.(entry);
  }

  private info(text: string): void {
    this.record({ kind: 'info', text });
  }

  private problem(text: string): void {
    this.problems.push(text);
    this.record({ kind: 'problem', text });
    this.notify();
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}
