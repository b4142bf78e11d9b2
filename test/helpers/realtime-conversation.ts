import { afterEach } from 'vitest';
import type { BrainToolSpec } from '../../src/call-runtime/brain.port.ts';
import {
  RealtimeConversation,
  type RealtimeConversationEvents,
  type RealtimeError,
  type RealtimeSessionSettings,
} from '../../src/integrations/llm/openai-realtime.ts';
import { MULAW_SILENCE, mulawBytesFor } from '../../src/voice/audio/mulaw.ts';
import { mulawTone } from '../../src/voice/audio/signal.ts';
import {
  FakeRealtimeServer,
  type FakeRealtimeConnection,
  type FakeRealtimeServerOptions,
} from '../fakes/openai/fake-realtime-server.ts';

export const LISTING_INFO: BrainToolSpec = {
  name: 'listing_info',
  description: 'Facts about a listing.',
  parameters: { type: 'object', properties: { address: { type: 'string' } }, required: ['address'] },
};
export const TAKE_MESSAGE: BrainToolSpec = {
  name: 'take_message',
  description: 'Take a message for the agent.',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
};

export const SETTINGS: RealtimeSessionSettings = {
  instructions: 'You are the receptionist of Jane Doe Realty.',
  tools: [LISTING_INFO],
};

/**
 * One fake Realtime server per test, and the conversations opened on it: all closed after each test.
 * `start` starts the fake; `open` opens a conversation on it; `setup` does both and connects.
 */
export function useRealtimeFake() {
  let fake: FakeRealtimeServer | null = null;
  const conversations: RealtimeConversation[] = [];

  afterEach(async () => {
    for (const c of conversations.splice(0)) c.close();
    await fake?.close();
    fake = null;
  });

  async function start(options: FakeRealtimeServerOptions = {}): Promise<FakeRealtimeServer> {
    fake = await FakeRealtimeServer.start(options);
    return fake;
  }

  function open(apiKey = 'sk-test-realtime'): RealtimeConversation {
    const conv = new RealtimeConversation({ apiKey, url: fake!.url, connectTimeoutMs: 5_000 });
    conversations.push(conv);
    return conv;
  }

  async function setup(
    options: FakeRealtimeServerOptions = {},
    settings: RealtimeSessionSettings = SETTINGS,
    apiKey = 'sk-test-realtime',
  ): Promise<{ conv: RealtimeConversation; server: FakeRealtimeConnection }> {
    const started = await start(options);
    const conv = open(apiKey);
    await conv.connect(settings);
    return { conv, server: await started.connection() };
  }

  return { start, open, setup };
}

type Ev = RealtimeConversationEvents;

/** The next emission of `event` whose arguments pass `match`. */
export function next<E extends keyof Ev>(
  conv: RealtimeConversation,
  event: E,
  match: (...args: Ev[E]) => boolean = () => true,
) {
  return new Promise<Ev[E]>((resolve) => {
    const listener = (...args: Ev[E]): void => {
      if (!match(...args)) return;
      conv.off(event, listener as never);
      resolve(args);
    };
    conv.on(event, listener as never);
  });
}

/** Records every emission of the conversation, in order. */
export function record(conv: RealtimeConversation) {
  const log: { event: keyof Ev; args: unknown[] }[] = [];
  const audio: Buffer[] = [];
  const errors: RealtimeError[] = [];
  for (const event of [
    'audio',
    'agentTranscript',
    'agentTranscriptDone',
    'callerSpeechStarted',
    'callerSpeechStopped',
    'callerTranscript',
    'toolCall',
    'responseDone',
    'error',
    'closed',
  ] as const) {
    conv.on(event, (...args: unknown[]) => {
      log.push({ event, args });
      if (event === 'audio') audio.push(args[0] as Buffer);
      if (event === 'error') errors.push(args[0] as RealtimeError);
    });
  }
  return { log, audio, errors, events: () => log.map((e) => e.event) };
}

/** Caller audio in 20 ms Twilio frames: `speechMs` of a loud tone, then `silenceMs` of μ-law silence. */
export function speak(conv: RealtimeConversation, speechMs = 600, silenceMs = 700): void {
  const audio = Buffer.concat([
    mulawTone(speechMs, { hz: 440, dbfs: -12 }),
    Buffer.alloc(mulawBytesFor(silenceMs), MULAW_SILENCE),
  ]);
  for (let i = 0; i < audio.length; i += 160) conv.appendAudio(audio.subarray(i, i + 160));
}
