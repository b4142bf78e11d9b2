import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { SessionRefused, type CallRuntime } from '../call-runtime/call-runtime.ts';
import type { CallSession, CallTransport, Handoff } from '../call-runtime/call-session.ts';
import type { SpeechToText, SttStream, TextToSpeech, TextToSpeechSession } from '../call-runtime/speech.port.ts';
import { verifyCallToken } from '../domain/calls/call-token.ts';
import { verifyTwilioSignature } from '../integrations/twilio/twilio.ts';
import type { AppContext } from '../services.ts';
import { startRealtimeCall, type RealtimeCall } from './realtime-call.ts';
import { mulawDurationMs } from '../voice/audio/mulaw.ts';
import { Playout, type PlayoutOptions } from '../voice/audio/playout.ts';
import { mulawLevelDbfs } from '../voice/audio/signal.ts';
import { BargeInDetector, type BargeInRules, type BargeInTrigger, type BargeInVerdict } from '../voice/barge-in.ts';
import { endpointingFor, expectingAfter, type EndpointingTable, type Expecting } from '../voice/endpointing.ts';
import { FakeSpeechToText } from '../voice/fakes/fake-stt.ts';
import { FakeTextToSpeech } from '../voice/fakes/fake-tts.ts';

const MediaBody = z.object({
  track: z.string().optional(),
  chunk: z.string().optional(),
  timestamp: z.string().optional(),
  payload: z.string().max(64_000),
});
type MediaBody = z.infer<typeof MediaBody>;

/**
 * The body of a `media` message, checked by hand: it is 50 messages a second per call, and the schema
 * (below) costs several times the rest of a frame's work. Same rules as `MediaBody`; null if not media.
 */
function mediaBody(json: unknown): MediaBody | null {
  if ((json as { event?: unknown } | null)?.event !== 'media') return null;
  const media = (json as { media?: unknown }).media as Partial<Record<keyof MediaBody, unknown>> | undefined;
  if (typeof media !== 'object' || media === null) return null;
  const { payload, track, chunk, timestamp } = media;
  if (typeof payload !== 'string' || payload.length > 64_000) return null;
  for (const v of [track, chunk, timestamp]) if (v !== undefined && typeof v !== 'string') return null;
  return media as MediaBody;
}

const StartBody = z.object({
  streamSid: z.string().min(1).max(64),
  callSid: z.string().min(1).max(64),
  accountSid: z.string().optional(),
  tracks: z.array(z.string()).optional(),
  customParameters: z.record(z.string(), z.string()).optional(),
  mediaFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number().optional() }).optional(),
});
type StartBody = z.infer<typeof StartBody>;

/** Twilio → us on a bidirectional Media Stream (telephony.md A1.3); unknown events are logged and ignored. */
const Inbound = z.discriminatedUnion('event', [
  z.object({ event: z.literal('connected'), protocol: z.string().optional(), version: z.string().optional() }),
  z.object({ event: z.literal('start'), start: StartBody }),
  z.object({ event: z.literal('media'), media: MediaBody }),
  z.object({
    event: z.literal('dtmf'),
    dtmf: z.object({ track: z.string().optional(), digit: z.string().min(1).max(1) }),
  }),
  z.object({ event: z.literal('mark'), mark: z.object({ name: z.string().max(200) }) }),
  z.object({ event: z.literal('stop'), stop: z.object({ callSid: z.string().optional() }).loose().optional() }),
]);

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

export interface MediaStreamOptions {
  ctx: AppContext;
  /** Hears the caller. Default: the fake (voice activity only; no words unless scripted). */
  stt?: SpeechToText;
  /** Speaks the agent. Default: the fake (a quiet tone as long as the words). */
  tts?: TextToSpeech;
  /**
   * Barge-in rules (src/voice/barge-in.ts): backchannels do not interrupt, interruption phrases do at once,
   * other speech once it is clearly speech. `IMMEDIATE_BARGE_IN` interrupts on any speech.
   */
  bargeIn?: Partial<BargeInRules>;
  /**
   * Silence (ms) that ends the caller's utterance, by what the agent's last reply asked for
   * (src/voice/endpointing.ts); set on recognizers that support it. `false`: leave the recognizer's own.
   */
  endpointing?: Partial<EndpointingTable> | false;
  /** Told of every barge-in, ignored backchannel and endpointing change (benchmarks, tests). */
  onTurnTaking?: (event: TurnTakingEvent) => void;
  playout?: PlayoutOptions;
  /** Longest wait, when the session ends, for its last phrases to be synthesized and sent. Default 30 s. */
  endWaitMs?: number;
}

/** Our side of a Media Stream: the session's text becomes audio (TTS) on the socket, paced and marked. */
class MediaStreamTransport implements CallTransport {
  readonly kind = 'media-stream' as const;
  readonly carrierSpeaksGreeting = false;
  readonly playout: Playout;
  /** Set once the session handed the call back: its last words play out, and nothing interrupts them. */
  ending = false;
  /** Told the whole text of each agent reply once its last piece is queued. */
  onReply: ((text: string) => void) | null = null;
  /** The reply being queued (pieces until one with `last`). */
  private replyText: string[] = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly streamSid: string,
    private readonly callSid: string,
    private readonly calls: CallRuntime,
    tts: TextToSpeech,
    private readonly opts: { playout?: PlayoutOptions; endWaitMs: number },
    private readonly log: FastifyBaseLogger,
  ) {
    this.playout = new Playout(
      tts,
      {
        media: (payload) => this.send({ event: 'media', media: { payload: payload.toString('base64') } }),
        mark: (name) => this.send({ event: 'mark', mark: { name } }),
        clear: () => this.send({ event: 'clear' }),
      },
      opts.playout,
      log,
    );
  }

  sendText(text: string, last: boolean): void {
    this.playout.say(text, last);
    if (text.trim()) this.replyText.push(text.trim());
    if (!last) return;
    const reply = this.replyText.join(' ');
    this.replyText = [];
    if (reply) this.onReply?.(reply);
  }

  /** A reply is being queued: some pieces came, its last has not. */
  get replyOpen(): boolean {
    return this.replyText.length > 0;
  }

  /** The caller cut the reply off: the pieces queued so far are not a reply to answer. */
  dropOpenReply(): void {
    this.replyText = [];
  }

  clearAudio(): void {
    this.playout.clear();
  }

  end(how: Handoff): void {
    if (this.ending) return;
    this.ending = true;
    this.calls.setHandoff(this.callSid, how);
    void this.closeAfterPlayback();
  }

  /** After the queued audio has played (its last mark came back), or a little after it should have. */
  private async closeAfterPlayback(): Promise<void> {
    await within(this.playout.allSent(), this.opts.endWaitMs);
    await within(this.playout.idle(), this.playout.remainingMs + 1_000);
    this.log.info('media stream: session ended, closing the stream');
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1000, 'session ended');
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket.readyState === this.socket.OPEN)
      this.socket.send(JSON.stringify({ ...message, streamSid: this.streamSid }));
  }
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * WS /twilio/media-stream — Twilio bidirectional Media Streams (`<Connect><Stream>`). The upgrade's
 * X-Twilio-Signature is checked when present; the `start` message must carry the per-call token from our
 * TwiML (`customParameters.callToken`), else the socket is closed with 1008. Caller audio goes to speech
 * recognition, whose utterances feed the call's session; the session's replies are synthesized and
 * streamed back. Caller speech while the agent's audio plays is judged by the barge-in rules
 * (src/voice/barge-in.ts): a backchannel ("uh-huh") or a noise is let be, and a backchannel final is not a
 * caller turn; an interruption phrase ("wait") or other clear speech is a barge-in: `clear` (in the same tick
 * as the deciding event), synthesis cancelled, and the session told exactly which phrases were heard (from
 * the echoed marks). After each agent reply the recognizer's end-of-utterance silence is set from what the
 * reply asked (src/voice/endpointing.ts): short after a yes/no question, long while digits or an address
 * are expected.
 */
export async function mediaStreamRoutes(app: FastifyInstance, opts: MediaStreamOptions): Promise<void> {
  const { ctx } = opts;
  const token = ctx.config.TWILIO_AUTH_TOKEN;
  const stt = opts.stt ?? ctx.speech.stt;
  const tts = opts.tts ?? ctx.speech.tts;
  const endpointing = opts.endpointing ?? {};
  const endWaitMs = opts.endWaitMs ?? 30_000;
  if (
    (stt instanceof FakeSpeechToText || tts instanceof FakeTextToSpeech) &&
    ctx.config.VOICE_TRANSPORT === 'media-stream'
  ) {
    ctx.log.warn({ stt: stt.name, tts: tts.name }, 'media streams use fake speech: no speech vendor configured');
  }

  app.get('/twilio/media-stream', { websocket: true, schema: { hide: true } }, (socket, req) => {
    let log = req.log.child({ ws: 'media-stream' });
    const signature = req.headers['x-twilio-signature'];
    const wsUrl = `${ctx.config.publicUrl.replace(/^http/, 'ws')}/twilio/media-stream`;
    if (typeof signature === 'string' && (!token || !verifyTwilioSignature(token, signature, wsUrl, {}))) {
      log.warn('media stream refused: bad handshake signature');
      socket.close(1008, 'invalid signature');
      return;
    }
    let session: CallSession | null = null;
    let transport: MediaStreamTransport | null = null;
    let recognizer: SttStream | null = null;
    let ttsSession: TextToSpeechSession | null = null;
    let started = false;
    let closed = false;
    let callSid = '';
    /** VOICE_PIPELINE=realtime: the call's speech-to-speech bridge (no recognizer, no playout). */
    let realtime: RealtimeCall | null = null;
    const detector = new BargeInDetector(opts.bargeIn);
    /** The current utterance already barged in. */
    let interrupted = false;
    /** When the current utterance's `speechStarted` arrived (performance.now()), or null. */
    let speechStartedAt: number | null = null;
    /** What the agent's last complete reply expects; applied to the recognizer once it exists. */
    let expecting: Expecting | null = null;
    /** The end-of-utterance silence (ms) last given to the recognizer; null while it uses its own. */
    let silenceMs: number | null = null;
    /** The silence in force when the caller's latest utterance ended (its `speechStopped`). */
    let utteranceSilenceMs: number | null = null;

    const agentTalking = (): boolean => !!session && !!transport && !transport.ending && transport.playout.speaking;

    /**
     * Acts on a barge-in verdict: `clear` goes out synchronously, in the same tick as the event that decided
     * it (`receivedAt`: when that event reached us), then the session hears what the caller had heard.
     */
    const act = (verdict: BargeInVerdict, receivedAt: number, text: string | null): void => {
      if (!verdict.interrupt || interrupted || !agentTalking()) return;
      interrupted = true;
      const heard = transport!.playout.clear();
      const clearedAt = performance.now();
      const event: TurnTakingEvent = {
        type: 'barge_in',
        callSid,
        trigger: verdict.trigger,
        text,
        triggerToClearMs: clearedAt - receivedAt,
        speechToClearMs: speechStartedAt === null ? null : clearedAt - speechStartedAt,
        voicedMs: detector.voiced,
        heardChars: heard.length,
      };
      log.info(
        {
          trigger: event.trigger,
          triggerToClearMs: round(event.triggerToClearMs),
          speechToClearMs: event.speechToClearMs === null ? null : round(event.speechToClearMs),
          heardChars: heard.length,
        },
        'media stream: caller barged in',
      );
      ctx.metrics.bargeInClear.observe({ trigger: event.trigger }, event.triggerToClearMs / 1000);
      opts.onTurnTaking?.(event);
      // Cut off before its last piece: the question it was building up to was never asked.
      if (transport!.replyOpen) {
        transport!.dropOpenReply();
        setExpecting('free');
      }
      session!.callerInterrupted(heard);
    };

    const setExpecting = (next: Expecting): void => {
      expecting = next;
      if (endpointing === false || !recognizer?.setEndpointing) return;
      silenceMs = endpointingFor(next, endpointing);
      recognizer.setEndpointing(silenceMs);
      log.debug({ expecting: next, silenceMs }, 'media stream: endpointing');
      opts.onTurnTaking?.({ type: 'endpointing', callSid, expecting: next, silenceMs });
    };

    const listen = (): SttStream => {
      const stream = stt.open({ callSid, sampleRate: 8000, encoding: 'mulaw' });
      stream.on('speechStarted', () => {
        const at = performance.now();
        interrupted = false;
        speechStartedAt = at;
        act(detector.speechStarted(), at, null);
      });
      stream.on('partial', (text) => {
        const at = performance.now();
        act(detector.partial(text), at, text);
      });
      stream.on('speechStopped', () => {
        utteranceSilenceMs = silenceMs;
        detector.speechStopped();
      });
      stream.on('final', (text) => {
        const at = performance.now();
        const { deliver, verdict } = detector.final(text);
        if (agentTalking() && !interrupted) {
          if (!deliver) {
            log.debug({ pii: { text } }, 'media stream: backchannel over the agent, not a turn');
            opts.onTurnTaking?.({ type: 'backchannel', callSid, text });
            return;
          }
          act(verdict, at, text);
        }
        // Unknown (the recognizer's own endpointing): absent from the answer's timings.
        const endpointingMs = utteranceSilenceMs ?? silenceMs;
        session?.callerSaid(text, endpointingMs === null ? {} : { endpointingMs });
      });
      stream.on('error', (err) => log.warn({ err }, 'media stream: speech recognition failed'));
      return stream;
    };

    /** Caller audio: its level feeds the barge-in detector, then the recognizer hears it. */
    const hear = (audio: Buffer): void => {
      const at = performance.now();
      const verdict = detector.audio(mulawDurationMs(audio.length), mulawLevelDbfs(audio) >= detector.rules.voicedDbfs);
      act(verdict, at, null);
      recognizer?.push(audio);
    };

    const shutdown = (): void => {
      realtime?.stop();
      realtime = null;
      recognizer?.close();
      recognizer = null;
      transport?.playout.close();
      ttsSession?.close();
      ttsSession = null;
      session?.hungUp();
    };

    const start = async (msg: StartBody): Promise<void> => {
      const { streamSid, customParameters, mediaFormat } = msg;
      callSid = msg.callSid;
      log = log.child({ callSid });
      if (!token || !verifyCallToken(token, callSid, customParameters?.callToken)) {
        log.warn('media stream refused: bad call token');
        socket.close(1008, 'invalid call token');
        return;
      }
      if (mediaFormat && (mediaFormat.encoding !== 'audio/x-mulaw' || mediaFormat.sampleRate !== 8000)) {
        log.warn({ mediaFormat }, 'media stream: unexpected media format, treated as 8 kHz μ-law');
      }
      if (ctx.config.VOICE_PIPELINE === 'realtime') {
        const send = (m: Record<string, unknown>): void => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ ...m, streamSid }));
        };
        try {
          realtime = await startRealtimeCall(
            ctx,
            callSid,
            {
              media: (payload) => send({ event: 'media', media: { payload: payload.toString('base64') } }),
              mark: (name) => send({ event: 'mark', mark: { name } }),
              clear: () => send({ event: 'clear' }),
              close: () => socket.close(1000, 'session ended'),
            },
            log,
          );
        } catch (err) {
          log.error({ err }, 'media stream: realtime pipeline failed to start');
          socket.close(err instanceof SessionRefused ? 1008 : 1011, 'realtime pipeline unavailable');
          return;
        }
        if (closed) realtime.stop();
        return;
      }
      // The call's own synthesis session (e.g. a warm vendor WebSocket), when the adapter has one.
      ttsSession = tts.session?.(callSid) ?? null;
      const t = new MediaStreamTransport(
        socket,
        streamSid,
        callSid,
        ctx.calls,
        ttsSession ?? tts,
        { playout: opts.playout, endWaitMs },
        log,
      );
      t.onReply = (reply) => setExpecting(expectingAfter(reply));
      // The greeting's audio may go out before open() resolves: the runtime already holds the session then.
      t.playout.onReplyFirstByte = (ms) => (session ?? ctx.calls.get(callSid))?.noteTiming('ttsFirstByteMs', ms);
      try {
        session = await ctx.calls.open(callSid, t);
      } catch (err) {
        t.playout.close();
        ttsSession?.close();
        ttsSession = null;
        if (!(err instanceof SessionRefused)) throw err;
        log.warn({ reason: err.message }, 'media stream refused');
        socket.close(1008, err.message.slice(0, 100));
        return;
      }
      transport = t;
      if (closed) {
        shutdown();
        return;
      }
      recognizer = listen();
      // The greeting was queued while the session opened, before there was a recognizer.
      if (expecting) setExpecting(expecting);
    };

    const media = (body: MediaBody): void => {
      if (body.track === 'outbound') return;
      if (realtime) realtime.media(Buffer.from(body.payload, 'base64'));
      else if (recognizer) hear(Buffer.from(body.payload, 'base64'));
    };

    /** One message; only `start` takes time (the session opens), and the messages after it wait for it. */
    const handle = (raw: string): void | Promise<void> => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        log.warn('media stream: message is not JSON');
        return;
      }
      const body = mediaBody(json);
      if (body) return media(body);
      const parsed = Inbound.safeParse(json);
      if (!parsed.success) {
        log.warn({ event: (json as { event?: unknown })?.event }, 'media stream: unexpected message');
        return;
      }
      const msg = parsed.data;
      switch (msg.event) {
        case 'connected':
          log.debug({ protocol: msg.protocol, version: msg.version }, 'media stream connected');
          return;
        case 'start':
          if (started) return;
          started = true;
          return start(msg.start);
        case 'media':
          return media(msg.media);
        case 'dtmf':
          if (realtime) realtime.dtmf(msg.dtmf.digit);
          else session?.dtmf(msg.dtmf.digit);
          return;
        case 'mark':
          if (realtime) realtime.mark(msg.mark.name);
          else transport?.playout.played(msg.mark.name);
          return;
        case 'stop':
          log.info('media stream stopped');
          shutdown();
          return;
      }
    };

    /** Messages that came while `start` was opening the session, in order; null when none is running. */
    let backlog: string[] | null = null;
    const receive = (raw: string): void => {
      if (backlog) {
        backlog.push(raw);
        return;
      }
      let pending: void | Promise<void>;
      try {
        pending = handle(raw);
      } catch (err) {
        log.error({ err }, 'media stream message failed');
        return;
      }
      if (!pending) return;
      const waiting: string[] = (backlog = []);
      void pending
        .catch((err: unknown) => log.error({ err }, 'media stream message failed'))
        .finally(() => {
          backlog = null;
          while (waiting.length && !backlog) receive(waiting.shift()!);
          if (backlog) (backlog as string[]).unshift(...waiting);
        });
    };
    socket.on('message', (data) => receive(data.toString()));
    socket.on('close', () => {
      closed = true;
      shutdown();
    });
  });
}
