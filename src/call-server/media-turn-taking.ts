import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { CallSession } from '../call-runtime/call-session.ts';
import type { SpeechToText, SttStream } from '../call-runtime/speech.port.ts';
import type { Metrics } from '../metrics.ts';
import { mulawDurationMs } from '../voice/audio/mulaw.ts';
import { mulawLevelDbfs } from '../voice/audio/signal.ts';
import { BargeInDetector, type BargeInRules, type BargeInTrigger, type BargeInVerdict } from '../voice/barge-in.ts';
import { endpointingFor, expectingAfter, type EndpointingTable, type Expecting } from '../voice/endpointing.ts';
import type { MediaStreamTransport } from './media-stream-transport.ts';

/**
 * Turn-taking on a Media Stream call. The caller's audio and the recognizer's events feed the barge-in rules
 * (src/voice/barge-in.ts) while the agent's audio plays: a backchannel ("uh-huh") or a noise is let be, and a
 * backchannel final is not a caller turn; an interruption phrase ("wait") or other clear speech is a barge-in —
 * `clear` in the same tick as the deciding event, synthesis cancelled, and the session told exactly which phrases
 * were heard (from the echoed marks). After each agent reply the recognizer's end-of-utterance silence is set from
 * what the reply asked (src/voice/endpointing.ts): short after a yes/no question, long while digits or an address
 * are expected. The caller's utterances go to the session with the silence that ended them.
 */

/** What the transport decided about turn-taking, for logs, metrics and the call benchmark. */
export type TurnTakingEvent =
  | {
      type: 'barge_in';
      callSid: string;
      trigger: BargeInTrigger;
      /** The transcript that decided it (partial or final), or null for a decision on audio alone. */
      text: string | null;
      /** The deciding event (recognizer event or caller audio frame) received → `clear` sent, in ms. */
      triggerToClearMs: number;
      /** The utterance's `speechStarted` received → `clear` sent, in ms (null if it never came). */
      speechToClearMs: number | null;
      /** Voiced caller audio of the utterance when it was decided, in ms. */
      voicedMs: number;
      /** Characters of the reply the caller had heard. */
      heardChars: number;
    }
  /** A backchannel (or noise) said over the agent: not a caller turn, and the agent went on. */
  | { type: 'backchannel'; callSid: string; text: string }
  /** The recognizer's end-of-utterance silence, set after an agent reply. */
  | { type: 'endpointing'; callSid: string; expecting: Expecting; silenceMs: number };

export interface TurnTakingOptions {
  /** Barge-in rules (src/voice/barge-in.ts); the defaults where not given. */
  bargeIn?: Partial<BargeInRules>;
  /** Silence (ms) that ends the caller's utterance, by what the agent asked; `false`: the recognizer's own. */
  endpointing: Partial<EndpointingTable> | false;
  /** Told of every barge-in, ignored backchannel and endpointing change. */
  onTurnTaking?: (event: TurnTakingEvent) => void;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** One call's turn-taking: from the transport's creation, listening once its session is open. */
export class TurnTaking {
  private readonly detector: BargeInDetector;
  private session: CallSession | null = null;
  private recognizer: SttStream | null = null;
  /** The current utterance already barged in. */
  private interrupted = false;
  /** When the current utterance's `speechStarted` arrived (performance.now()), or null. */
  private speechStartedAt: number | null = null;
  /** What the agent's last complete reply expects; applied to the recognizer once it exists. */
  private expecting: Expecting | null = null;
  /** The end-of-utterance silence (ms) last given to the recognizer; null while it uses its own. */
  private silenceMs: number | null = null;
  /** The silence in force when the caller's latest utterance ended (its `speechStopped`). */
  private utteranceSilenceMs: number | null = null;

  constructor(
    private readonly callSid: string,
    private readonly transport: MediaStreamTransport,
    private readonly opts: TurnTakingOptions,
    private readonly metrics: Metrics,
    private readonly log: FastifyBaseLogger,
  ) {
    this.detector = new BargeInDetector(opts.bargeIn);
    transport.onReply = (reply) => this.setExpecting(expectingAfter(reply));
  }

  /** The session is open: the caller is heard from now on. */
  listen(stt: SpeechToText, session: CallSession): void {
    this.session = session;
    this.recognizer = this.recognize(stt);
    // The greeting was queued while the session opened, before there was a recognizer.
    if (this.expecting) this.setExpecting(this.expecting);
  }

  /** Caller audio: its level feeds the barge-in detector, then the recognizer hears it. */
  hear(audio: Buffer): void {
    const at = performance.now();
    const { detector } = this;
    const verdict = detector.audio(mulawDurationMs(audio.length), mulawLevelDbfs(audio) >= detector.rules.voicedDbfs);
    this.act(verdict, at, null);
    this.recognizer?.push(audio);
  }

  /** The call is over: the recognizer stops. */
  close(): void {
    this.recognizer?.close();
    this.recognizer = null;
  }

  private agentTalking(): boolean {
    return !!this.session && !this.transport.ending && this.transport.playout.speaking;
  }

  /**
   * Acts on a barge-in verdict: `clear` goes out synchronously, in the same tick as the event that decided
   * it (`receivedAt`: when that event reached us), then the session hears what the caller had heard.
   */
  private act(verdict: BargeInVerdict, receivedAt: number, text: string | null): void {
    if (!verdict.interrupt || this.interrupted || !this.agentTalking()) return;
    this.interrupted = true;
    const heard = this.transport.playout.clear();
    const clearedAt = performance.now();
    const event: TurnTakingEvent = {
      type: 'barge_in',
      callSid: this.callSid,
      trigger: verdict.trigger,
      text,
      triggerToClearMs: clearedAt - receivedAt,
      speechToClearMs: this.speechStartedAt === null ? null : clearedAt - this.speechStartedAt,
      voicedMs: this.detector.voiced,
      heardChars: heard.length,
    };
    this.log.info(
      {
        trigger: event.trigger,
        triggerToClearMs: round(event.triggerToClearMs),
        speechToClearMs: event.speechToClearMs === null ? null : round(event.speechToClearMs),
        heardChars: heard.length,
      },
      'media stream: caller barged in',
    );
    this.metrics.bargeInClear.observe({ trigger: event.trigger }, event.triggerToClearMs / 1000);
    this.opts.onTurnTaking?.(event);
    // Cut off before its last piece: the question it was building up to was never asked.
    if (this.transport.replyOpen) {
      this.transport.dropOpenReply();
      this.setExpecting('free');
    }
    this.session!.callerInterrupted(heard);
  }

  private setExpecting(next: Expecting): void {
    this.expecting = next;
    const { endpointing } = this.opts;
    if (endpointing === false || !this.recognizer?.setEndpointing) return;
    this.silenceMs = endpointingFor(next, endpointing);
    this.recognizer.setEndpointing(this.silenceMs);
    this.log.debug({ expecting: next, silenceMs: this.silenceMs }, 'media stream: endpointing');
    this.opts.onTurnTaking?.({
      type: 'endpointing',
      callSid: this.callSid,
      expecting: next,
      silenceMs: this.silenceMs,
    });
  }

  private recognize(stt: SpeechToText): SttStream {
    const { detector, log, callSid } = this;
    const stream = stt.open({ callSid, sampleRate: 8000, encoding: 'mulaw' });
    stream.on('speechStarted', () => {
      const at = performance.now();
      this.interrupted = false;
      this.speechStartedAt = at;
      this.act(detector.speechStarted(), at, null);
    });
    stream.on('partial', (text) => {
      const at = performance.now();
      this.act(detector.partial(text), at, text);
    });
    stream.on('speechStopped', () => {
      this.utteranceSilenceMs = this.silenceMs;
      detector.speechStopped();
    });
    stream.on('final', (text) => {
      const at = performance.now();
      const { deliver, verdict } = detector.final(text);
      if (this.agentTalking() && !this.interrupted) {
        if (!deliver) {
          log.debug({ pii: { text } }, 'media stream: backchannel over the agent, not a turn');
          this.opts.onTurnTaking?.({ type: 'backchannel', callSid, text });
          return;
        }
        this.act(verdict, at, text);
      }
      // Unknown (the recognizer's own endpointing): absent from the answer's timings.
      const endpointingMs = this.utteranceSilenceMs ?? this.silenceMs;
      this.session?.callerSaid(text, endpointingMs === null ? {} : { endpointingMs });
    });
    stream.on('error', (err) => log.warn({ err }, 'media stream: speech recognition failed'));
    return stream;
  }
}
