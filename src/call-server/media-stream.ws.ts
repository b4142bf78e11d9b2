import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { SessionRefused, type CallRuntime } from '../call-runtime/call-runtime.ts';
import type { CallSession, CallTransport, Handoff } from '../call-runtime/call-session.ts';
import type { SpeechToText, SttStream, TextToSpeech } from '../call-runtime/speech.port.ts';
import { verifyCallToken } from '../domain/calls/call-token.ts';
import { verifyTwilioSignature } from '../integrations/twilio/twilio.ts';
import type { AppContext } from '../services.ts';
import { Playout, type PlayoutOptions } from '../voice/audio/playout.ts';
import { FakeSpeechToText } from '../voice/fakes/fake-stt.ts';
import { FakeTextToSpeech } from '../voice/fakes/fake-tts.ts';

/** Twilio → us on a bidirectional Media Stream (telephony.md A1.3); unknown events are logged and ignored. */
const Inbound = z.discriminatedUnion('event', [
  z.object({ event: z.literal('connected'), protocol: z.string().optional(), version: z.string().optional() }),
  z.object({
    event: z.literal('start'),
    start: z.object({
      streamSid: z.string().min(1).max(64),
      callSid: z.string().min(1).max(64),
      accountSid: z.string().optional(),
      tracks: z.array(z.string()).optional(),
      customParameters: z.record(z.string(), z.string()).optional(),
      mediaFormat: z
        .object({ encoding: z.string(), sampleRate: z.number(), channels: z.number().optional() })
        .optional(),
    }),
  }),
  z.object({
    event: z.literal('media'),
    media: z.object({
      track: z.string().optional(),
      chunk: z.string().optional(),
      timestamp: z.string().optional(),
      payload: z.string().max(64_000),
    }),
  }),
  z.object({
    event: z.literal('dtmf'),
    dtmf: z.object({ track: z.string().optional(), digit: z.string().min(1).max(1) }),
  }),
  z.object({ event: z.literal('mark'), mark: z.object({ name: z.string().max(200) }) }),
  z.object({ event: z.literal('stop'), stop: z.object({ callSid: z.string().optional() }).loose().optional() }),
]);

/**
 * Decides whether caller speech heard while the agent's audio is playing interrupts it. Called on the
 * recognizer's `speechStarted` and then on each `partial` of the same utterance until it says yes. The
 * default interrupts at once; backchannel filtering ("uh-huh", "okay") belongs here.
 */
export type BargeInPolicy = (speech: { event: 'speechStarted' } | { event: 'partial'; text: string }) => boolean;

export const interruptOnSpeech: BargeInPolicy = (speech) => speech.event === 'speechStarted';

export interface MediaStreamOptions {
  ctx: AppContext;
  /** Hears the caller. Default: the fake (voice activity only; no words unless scripted). */
  stt?: SpeechToText;
  /** Speaks the agent. Default: the fake (a quiet tone as long as the words). */
  tts?: TextToSpeech;
  bargeIn?: BargeInPolicy;
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
 * streamed back. Caller speech while the agent's audio plays is a barge-in: `clear`, synthesis cancelled,
 * and the session told exactly which phrases were heard (from the echoed marks).
 */
export async function mediaStreamRoutes(app: FastifyInstance, opts: MediaStreamOptions): Promise<void> {
  const { ctx } = opts;
  const token = ctx.config.TWILIO_AUTH_TOKEN;
  const stt = opts.stt ?? ctx.speech.stt;
  const tts = opts.tts ?? ctx.speech.tts;
  const bargeIn = opts.bargeIn ?? interruptOnSpeech;
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
    let started = false;
    let closed = false;
    let queue: Promise<void> = Promise.resolve();
    /** The current utterance already barged in. */
    let interrupted = false;

    const tryBargeIn = (speech: Parameters<BargeInPolicy>[0]): void => {
      if (!session || !transport || interrupted || transport.ending || !transport.playout.speaking) return;
      if (!bargeIn(speech)) return;
      interrupted = true;
      const heard = transport.playout.clear();
      log.info({ heardChars: heard.length }, 'media stream: caller barged in');
      session.callerInterrupted(heard);
    };

    const listen = (callSid: string): SttStream => {
      const stream = stt.open({ callSid, sampleRate: 8000, encoding: 'mulaw' });
      stream.on('speechStarted', () => {
        interrupted = false;
        tryBargeIn({ event: 'speechStarted' });
      });
      stream.on('partial', (text) => tryBargeIn({ event: 'partial', text }));
      stream.on('final', (text) => session?.callerSaid(text));
      stream.on('error', (err) => log.warn({ err }, 'media stream: speech recognition failed'));
      return stream;
    };

    const shutdown = (): void => {
      recognizer?.close();
      recognizer = null;
      transport?.playout.close();
      session?.hungUp();
    };

    const handle = async (raw: string): Promise<void> => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        log.warn('media stream: message is not JSON');
        return;
      }
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
        case 'start': {
          if (started) return;
          started = true;
          const { callSid, streamSid, customParameters, mediaFormat } = msg.start;
          log = log.child({ callSid });
          if (!token || !verifyCallToken(token, callSid, customParameters?.callToken)) {
            log.warn('media stream refused: bad call token');
            socket.close(1008, 'invalid call token');
            return;
          }
          if (mediaFormat && (mediaFormat.encoding !== 'audio/x-mulaw' || mediaFormat.sampleRate !== 8000)) {
            log.warn({ mediaFormat }, 'media stream: unexpected media format, treated as 8 kHz μ-law');
          }
          const t = new MediaStreamTransport(
            socket,
            streamSid,
            callSid,
            ctx.calls,
            tts,
            { playout: opts.playout, endWaitMs },
            log,
          );
          try {
            session = await ctx.calls.open(callSid, t);
          } catch (err) {
            if (!(err instanceof SessionRefused)) throw err;
            log.warn({ reason: err.message }, 'media stream refused');
            socket.close(1008, err.message.slice(0, 100));
            return;
          }
          transport = t;
          if (closed) shutdown();
          else recognizer = listen(callSid);
          return;
        }
        case 'media':
          if (recognizer && msg.media.track !== 'outbound') recognizer.push(Buffer.from(msg.media.payload, 'base64'));
          return;
        case 'dtmf':
          session?.dtmf(msg.dtmf.digit);
          return;
        case 'mark':
          transport?.playout.played(msg.mark.name);
          return;
        case 'stop':
          log.info('media stream stopped');
          shutdown();
          return;
      }
    };

    socket.on('message', (data) => {
      queue = queue
        .then(() => handle(data.toString()))
        .catch((err: unknown) => log.error({ err }, 'media stream message failed'));
    });
    socket.on('close', () => {
      closed = true;
      shutdown();
    });
  });
}
