import type { FastifyBaseLogger } from 'fastify';
import type { CallSession, CallTransport, Handoff } from '../call-runtime/call-session.ts';
import { DEFAULT_REALTIME_TURN_DETECTION, RealtimeConversation } from '../integrations/llm/openai-realtime.ts';
import { RealtimePlayback } from '../integrations/llm/realtime-playback.ts';
import { RealtimeBrain } from '../integrations/llm/realtime-brain.ts';
import type { AppContext } from '../services.ts';

/** What the Media Streams route hands a realtime call: how to talk to Twilio on this stream. */
export interface TwilioStreamOut {
  media(payload: Buffer): void;
  mark(name: string): void;
  clear(): void;
  close(): void;
}

export interface RealtimeCall {
  /** Caller audio (μ-law 20 ms frames) from Twilio. */
  media(frame: Buffer): void;
  /** Twilio echoed a mark. */
  mark(name: string): void;
  dtmf(digit: string): void;
  /** The stream stopped or the socket closed. */
  stop(): void;
}

const END_WAIT_MS = 15_000;

/**
 * VOICE_PIPELINE=realtime on a Media Stream: OpenAI Realtime hears the caller and speaks, μ-law both ways
 * with no transcoding, while the call's session and receptionist machine stay in charge. The model answers
 * only when the machine's turn asks it to (RealtimeBrain), with the tools of the machine's state; lines the
 * machine speaks (greeting, "are you still there?", goodbye, transfer) are said by the model verbatim.
 * Barge-in: the model's speech-start while its audio plays → Twilio `clear`, truncate the model's item at
 * what the marks say was played, and the session keeps the heard part of the reply.
 */
export async function startRealtimeCall(
  ctx: AppContext,
  callSid: string,
  out: TwilioStreamOut,
  log: FastifyBaseLogger,
): Promise<RealtimeCall> {
  const { config } = ctx;
  const conversation = new RealtimeConversation({
    apiKey: config.OPENAI_API_KEY ?? '',
    url: config.OPENAI_REALTIME_URL,
    model: config.OPENAI_REALTIME_MODEL,
    log,
  });
  await conversation.connect({
    instructions: ctx.calls.persona.description,
    tools: [],
    voice: config.OPENAI_REALTIME_VOICE,
    // Server VAD finds the turns; the machine decides when the model answers.
    turnDetection: { ...DEFAULT_REALTIME_TURN_DETECTION, create_response: false, interrupt_response: false },
    transcription: { model: config.OPENAI_STT_MODEL },
  });
  const playback = new RealtimePlayback();
  let session: CallSession | null = null;
  let pendingSays = 0;
  let closing = false;

  const markIf = (name: string | null): void => {
    if (name) out.mark(name);
  };
  conversation.on('audio', (chunk, itemId) => {
    out.media(chunk);
    markIf(playback.sent(itemId, chunk.length));
  });
  conversation.on('audioDone', () => markIf(playback.flush()));
  conversation.on('responseDone', (info) => {
    markIf(playback.flush());
    if (info.metadata.purpose === 'say') pendingSays = Math.max(0, pendingSays - 1);
  });
  conversation.on('callerSpeechStarted', () => {
    if (closing || !playback.speaking) return;
    out.clear();
    const point = playback.clear();
    if (!point) return;
    conversation.interrupt(point.audioEndMs, point.itemId);
    session?.callerInterrupted(conversation.heardText(point.itemId, point.audioEndMs));
  });
  conversation.on('callerTranscript', (text) => session?.callerSaid(text));
  conversation.on('error', (err) => log.warn({ err }, 'realtime conversation error'));
  conversation.on('closed', () => session?.hungUp());

  const transport: CallTransport = {
    kind: 'media-stream',
    carrierSpeaksGreeting: false,
    sendText(text) {
      if (!text.trim()) return;
      pendingSays++;
      conversation.say(text);
    },
    end(how: Handoff) {
      closing = true;
      ctx.calls.setHandoff(callSid, how);
      // Let the last line play: its response done and its audio's marks echoed.
      const started = Date.now();
      const poll = setInterval(() => {
        if ((pendingSays === 0 && !playback.speaking) || Date.now() - started > END_WAIT_MS) {
          clearInterval(poll);
          conversation.close();
          out.close();
        }
      }, 50);
    },
  };
  session = await ctx.calls.open(callSid, transport, { brain: new RealtimeBrain(conversation) });

  return {
    media: (frame) => conversation.appendAudio(frame),
    mark: (name) => void playback.played(name),
    dtmf: (digit) => session?.dtmf(digit),
    stop: () => {
      conversation.close();
      session?.hungUp();
    },
  };
}
