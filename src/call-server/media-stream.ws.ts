import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SessionRefused } from '../call-runtime/call-runtime.ts';
import type { CallSession } from '../call-runtime/call-session.ts';
import type { SpeechToText, TextToSpeech, TextToSpeechSession } from '../call-runtime/speech.port.ts';
import { verifyCallToken } from '../domain/calls/call-token.ts';
import { verifyTwilioSignature } from '../integrations/twilio/twilio.ts';
import type { AppContext } from '../services.ts';
import { startRealtimeCall, type RealtimeCall } from './realtime-call.ts';
import type { PlayoutOptions } from '../voice/audio/playout.ts';
import type { BargeInRules } from '../voice/barge-in.ts';
import type { EndpointingTable } from '../voice/endpointing.ts';
import { FakeSpeechToText } from '../voice/fakes/fake-stt.ts';
import { FakeTextToSpeech } from '../voice/fakes/fake-tts.ts';
import { MediaStreamTransport, streamOut } from './media-stream-transport.ts';
import { TurnTaking, type TurnTakingEvent } from './media-turn-taking.ts';

export type { TurnTakingEvent } from './media-turn-taking.ts';

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

/**
 * WS /twilio/media-stream — Twilio bidirectional Media Streams (`<Connect><Stream>`). The upgrade's
 * X-Twilio-Signature is checked when present; the `start` message must carry the per-call token from our
 * TwiML (`customParameters.callToken`), else the socket is closed with 1008. Caller audio goes to speech
 * recognition, whose utterances feed the call's session; the session's replies are synthesized and
 * streamed back (media-stream-transport.ts). Barge-in and endpointing: media-turn-taking.ts. Messages that come
 * while `start` opens the session wait for it, in order. VOICE_PIPELINE=realtime hands the stream to a
 * speech-to-speech model instead (realtime-call.ts).
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
    /** The caller's turn-taking, once the session is open (until the call is over). */
    let turns: TurnTaking | null = null;
    let ttsSession: TextToSpeechSession | null = null;
    let started = false;
    let closed = false;
    /** VOICE_PIPELINE=realtime: the call's speech-to-speech bridge (no recognizer, no playout). */
    let realtime: RealtimeCall | null = null;

    const shutdown = (): void => {
      realtime?.stop();
      realtime = null;
      turns?.close();
      turns = null;
      transport?.playout.close();
      ttsSession?.close();
      ttsSession = null;
      session?.hungUp();
    };

    const start = async (msg: StartBody): Promise<void> => {
      const { streamSid, callSid, customParameters, mediaFormat } = msg;
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
        try {
          realtime = await startRealtimeCall(
            ctx,
            callSid,
            { ...streamOut(socket, streamSid), close: () => socket.close(1000, 'session ended') },
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
      const turnTaking = new TurnTaking(
        callSid,
        t,
        { bargeIn: opts.bargeIn, endpointing, onTurnTaking: opts.onTurnTaking },
        ctx.metrics,
        log,
      );
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
      turnTaking.listen(stt, session);
      turns = turnTaking;
    };

    const media = (body: MediaBody): void => {
      if (body.track === 'outbound') return;
      if (realtime) realtime.media(Buffer.from(body.payload, 'base64'));
      else if (turns) turns.hear(Buffer.from(body.payload, 'base64'));
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
