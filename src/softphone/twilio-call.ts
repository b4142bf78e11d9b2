import type { CallEvent } from '../call-runtime/call-events.ts';
import { UnsupportedTransportError } from './call-errors.ts';
import type { CallEnd, PlaceCallOptions } from './call-types.ts';
import { ConditionWaiters } from './condition-waiters.ts';
import { subscribeCallEvents } from './event-stream.ts';
import { DEFAULT_FROM, DEFAULT_SERVER, DEFAULT_TO } from './options.ts';
import { describeRelayEnd, RelaySession, type RelayEnd } from './relay-session.ts';
import type { TranscriptEntry } from './transcript.ts';
import { resolveTwimlUrl, type ConversationRelayVerb, type DialVerb, type TwimlVerb } from './twiml.ts';
import { TwilioRequests } from './twilio-requests.ts';
import { newSid, routeToServer } from './webhooks.ts';

/**
 * Twilio's side of a softphone call: posts the signed webhooks, runs the TwiML the server answers (`<Say>`,
 * `<Redirect>`, a ConversationRelay session, a simulated `<Dial>`), sends the status callback, follows the call's
 * event stream, and keeps the transcript. SoftphoneCall (call.ts) adds the caller's side.
 */

/** After the call, how long to wait for the server's `ended` event before closing the stream. */
const ENDED_EVENT_GRACE_MS = 1_000;

export abstract class TwilioCall {
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

  protected readonly opts: PlaceCallOptions;
  private readonly twilio: TwilioRequests;
  protected relay: RelaySession | undefined;
  private lastRelayEnd: RelayEnd | undefined;
  private closeEvents: () => void = () => {};
  private resolveEnded!: (end: CallEnd) => void;
  private answered!: () => void;
  private readonly answeredPromise = new Promise<void>((resolve) => (this.answered = resolve));
  private readonly waiters = new ConditionWaiters();
  private readonly spoken: string[] = [];
  private startedAt = Date.now();
  protected callerHungUp = false;
  protected finishing = false;

  constructor(opts: PlaceCallOptions) {
    this.opts = opts;
    this.callSid = opts.answer?.callSid ?? newSid('CA');
    this.server = (opts.server ?? DEFAULT_SERVER).replace(/\/+$/, '');
    this.publicUrl = (opts.publicUrl ?? this.server).replace(/\/+$/, '');
    this.from = opts.from ?? DEFAULT_FROM;
    this.to = opts.to ?? DEFAULT_TO;
    this.twilio = new TwilioRequests({
      server: this.server,
      publicUrl: this.publicUrl,
      authToken: opts.authToken,
      accountSid: this.accountSid,
      callSid: this.callSid,
      from: this.from,
      to: this.to,
      direction: opts.answer ? 'outbound-api' : 'inbound',
    });
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
      verbs = await this.twilio.fetchTwiml(voiceUrl, this.twilio.params('ringing'));
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

  /** Resolves true as soon as `condition` holds (re-checked on every reply, event and end), false on timeout. */
  waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    return this.waiters.until(condition, timeoutMs);
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
          return this.execute(await this.twilio.fetchTwiml(url, this.twilio.params('in-progress')), url);
        }
        case 'Stream':
          throw new UnsupportedTransportError();
        case 'ConversationRelay': {
          const session = await this.converse(verb, documentUrl);
          if (session.end.kind === 'caller-hangup' || this.callerHungUp) return 'caller-hangup';
          if (!verb.action) break;
          const url = resolveTwimlUrl(verb.action, documentUrl);
          return this.execute(await this.twilio.fetchTwiml(url, session.actionParams), url);
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
        setup: this.twilio.relaySetup(sessionId, verb.parameters),
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
    return { end, actionParams: this.twilio.relayActionParams(end, sessionId, openedAt) };
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
        const whisper = await this.twilio.fetchWhisper(url, dialCallSid, verb.callerId, target.value);
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
    const params = this.twilio.dialActionParams(outcome, outcome === 'answered' && target !== undefined, dialCallSid);
    return { verbs: await this.twilio.fetchTwiml(url, params), url };
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

  /** The status callback; a failure is a problem of the call, not an error. */
  private async postStatus(durationSec: number): Promise<void> {
    try {
      await this.twilio.postStatus(durationSec);
    } catch (err) {
      this.problem((err as Error).message);
    }
  }

  protected record(entry: TranscriptEntry): void {
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
    this.waiters.notify();
  }
}
