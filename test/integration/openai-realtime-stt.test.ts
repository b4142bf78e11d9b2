import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SttStream } from '../../src/call-runtime/speech.port.ts';
import {
  OPENAI_REALTIME_STT_DEFAULT_MODEL,
  OpenAiRealtimeSpeechToText,
  type OpenAiRealtimeSttOptions,
} from '../../src/integrations/llm/openai-realtime-stt.ts';
import { MULAW_SILENCE } from '../../src/voice/audio/mulaw.ts';
import { mulawTone } from '../../src/voice/audio/signal.ts';
import {
  startFakeRealtimeTranscriptionServer,
  type FakeRealtimeTranscriptionServer,
} from '../fakes/openai/fake-realtime-transcription-server.ts';
import { WAIT_MS } from '../helpers/wait.ts';

const KEY = 'sk-test-realtime-0123456789';
const OPEN = { sampleRate: 8000, encoding: 'mulaw' } as const;
const loud = (ms: number): Buffer => mulawTone(ms, { hz: 300, dbfs: -12 });
const silence = (ms: number): Buffer => Buffer.alloc(ms * 8, MULAW_SILENCE);

let server: FakeRealtimeTranscriptionServer;
const streams: SttStream[] = [];

beforeAll(async () => {
  server = await startFakeRealtimeTranscriptionServer({ apiKey: KEY });
});
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
  server.script.length = 0;
});
afterAll(async () => {
  await server?.close();
});

function stt(options: Partial<OpenAiRealtimeSttOptions> = {}): OpenAiRealtimeSpeechToText {
  return new OpenAiRealtimeSpeechToText({ apiKey: KEY, url: server.url, reconnectDelayMs: 10, ...options });
}

function open(recognizer: OpenAiRealtimeSpeechToText, callSid = `CA${Math.random()}`): SttStream {
  const stream = recognizer.open({ callSid, ...OPEN });
  streams.push(stream);
  return stream;
}

/** Every event of a stream, as "name" or "name:text", and a way to wait for one. */
function record(stream: SttStream) {
  const log: string[] = [];
  const waiters: { match: (e: string) => boolean; resolve: () => void }[] = [];
  const add = (entry: string): void => {
    log.push(entry);
    for (const w of waiters.filter((w) => w.match(entry))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  stream.on('speechStarted', () => add('speechStarted'));
  stream.on('partial', (text) => add(`partial:${text}`));
  stream.on('speechStopped', () => add('speechStopped'));
  stream.on('final', (text) => add(`final:${text}`));
  stream.on('error', (err) => add(`error:${err.message}`));
  return {
    log,
    /** Resolves once an event starting with `prefix` has been seen (`count` of them). */
    next(prefix: string, count = 1, timeoutMs = WAIT_MS): Promise<void> {
      const seen = (): number => log.filter((e) => e.startsWith(prefix)).length;
      if (seen() >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${prefix} ×${count}: ${log.join(' | ')}`)),
          timeoutMs,
        );
        waiters.push({
          match: (e) => e.startsWith(prefix) && seen() >= count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** Pushes audio in 20 ms frames, as Twilio sends it. */
function pushFrames(stream: SttStream, audio: Buffer): void {
  for (let i = 0; i < audio.length; i += 160) stream.push(audio.subarray(i, i + 160));
}

describe('OpenAiRealtimeSpeechToText (fake Realtime transcription server)', () => {
  it('configures a GA transcription session for 8 kHz μ-law with server VAD and near-field noise reduction', async () => {
    const stream = open(stt({ prompt: 'Elm St, Oak Ave' }));
    const conn = await server.connection(server.connections.length);
    await server.until(() => conn.sessionUpdates.length === 1, 'session.update');
    expect(conn.sessionUpdates[0]).toEqual({
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcmu' },
          transcription: { model: OPENAI_REALTIME_STT_DEFAULT_MODEL, language: 'en', prompt: 'Elm St, Oak Ave' },
          noise_reduction: { type: 'near_field' },
          turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 650 },
        },
      },
    });
    expect(conn.received[0]).toMatchObject({ type: 'session.update' });
    stream.close();
    await conn.closed;
  });

  it('maps VAD and transcription events in order, partials accumulating; audio arrives byte for byte', async () => {
    const index = server.connections.length;
    server.script.push('show me 141 Elm St');
    const stream = open(stt());
    const events = record(stream);
    // Pushed before the socket is even open: kept, and sent once the session is configured.
    const audio = Buffer.concat([silence(100), loud(400), silence(700)]);
    pushFrames(stream, audio);
    const conn = server.connection(index);
    await events.next('final:');
    expect(events.log).toEqual([
      'speechStarted',
      'speechStopped',
      'partial:show',
      'partial:show me',
      'partial:show me 141',
      'partial:show me 141 Elm',
      'partial:show me 141 Elm St',
      'final:show me 141 Elm St',
    ]);
    const c = await conn;
    await server.until(() => c.audio().length === audio.length, 'all audio');
    expect(c.audio().equals(audio)).toBe(true);
    // One 20 ms frame per append by default, each after the configuration.
    const appends = c.received.filter((e) => e.type === 'input_audio_buffer.append');
    expect(appends).toHaveLength(audio.length / 160);
    expect(c.received.findIndex((e) => e.type === 'input_audio_buffer.append')).toBe(1);
  });

  it('batches frames when asked: framesPerAppend 3 → 480-byte appends', async () => {
    const index = server.connections.length;
    const stream = open(stt({ framesPerAppend: 3 }));
    const conn = await server.connection(index);
    await server.until(() => conn.sessionUpdates.length === 1, 'session.update');
    pushFrames(stream, silence(120));
    await server.until(() => conn.audio().length === 960, 'audio');
    const appends = conn.received.filter((e) => e.type === 'input_audio_buffer.append');
    expect(appends.map((e) => Buffer.from(e.audio as string, 'base64').length)).toEqual([480, 480]);
  });

  it('emits finals in utterance order even when a later transcription completes first', async () => {
    const index = server.connections.length;
    const stream = open(stt({ silenceMs: 300 }));
    const events = record(stream);
    const conn = await server.connection(index);
    conn.queueTranscript({ text: 'first one', latencyMs: 300 }, { text: 'second', latencyMs: 0 });
    pushFrames(stream, Buffer.concat([loud(200), silence(320), loud(200), silence(320)]));
    await events.next('final:', 2);
    expect(events.log.filter((e) => e.startsWith('final:'))).toEqual(['final:first one', 'final:second']);
    expect(events.log.filter((e) => !e.startsWith('partial'))).toEqual([
      'speechStarted',
      'speechStopped',
      'speechStarted',
      'speechStopped',
      'final:first one',
      'final:second',
    ]);
  });

  it('setEndpointing updates turn_detection.silence_duration_ms (only when it changes); the VAD follows it', async () => {
    const index = server.connections.length;
    const stream = open(stt());
    const events = record(stream);
    const conn = await server.connection(index);
    await server.until(() => conn.sessionUpdates.length === 1, 'session.update');
    stream.setEndpointing!(1500);
    stream.setEndpointing!(1500);
    stream.setEndpointing!(400);
    await server.until(() => conn.sessionUpdates.length === 3, 'endpointing updates');
    expect(conn.silenceDurations).toEqual([650, 1500, 400]);
    expect(conn.sessionUpdates[1]).toEqual({
      type: 'transcription',
      audio: {
        input: {
          turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 1500 },
        },
      },
    });
    // The model and format set first are kept (only turn_detection changed).
    expect(conn.config).toMatchObject({
      audio: { input: { format: { type: 'audio/pcmu' }, transcription: { model: OPENAI_REALTIME_STT_DEFAULT_MODEL } } },
    });
    // 400 ms of quiet now ends an utterance.
    conn.queueTranscript('yes');
    pushFrames(stream, Buffer.concat([loud(200), silence(400)]));
    await events.next('final:yes');
  });

  it('reconnects once after a dropped socket, with the current endpointing; a second drop is an error', async () => {
    const index = server.connections.length;
    const stream = open(stt());
    const events = record(stream);
    const first = await server.connection(index);
    await server.until(() => first.sessionUpdates.length === 1, 'session.update');
    stream.setEndpointing!(900);
    await server.until(() => first.silenceDurations.length === 2, 'endpointing');
    // Dropped mid-utterance: the utterance ends (no final), and the stream goes on on a new socket.
    first.queueTranscript('lost words');
    pushFrames(stream, loud(200));
    await events.next('speechStarted');
    first.drop();
    await events.next('speechStopped');
    const second = await server.connection(index + 1);
    await server.until(() => second.sessionUpdates.length === 1, 'session.update on the new socket');
    expect(second.silenceDurations).toEqual([900]);
    second.queueTranscript('back again');
    pushFrames(stream, Buffer.concat([loud(200), silence(920)]));
    await events.next('final:');
    expect(events.log).not.toContain('final:lost words');
    expect(events.log.at(-1)).toBe('final:back again');
    expect(events.log.some((e) => e.startsWith('error'))).toBe(false);

    second.drop();
    await events.next('error:');
    expect(events.log.at(-1)).toMatch(/^error:openai realtime transcription: connection lost/);
    // No third connection, and audio pushed now goes nowhere.
    pushFrames(stream, loud(100));
    expect(server.connections.length).toBe(index + 2);
  });

  it('a refused key is an error event, without retrying', async () => {
    const refusedBefore = server.refused.length;
    const connectionsBefore = server.connections.length;
    const stream = open(new OpenAiRealtimeSpeechToText({ apiKey: 'sk-wrong', url: server.url, reconnectDelayMs: 10 }));
    const events = record(stream);
    await events.next('error:');
    expect(events.log).toEqual(['error:openai realtime transcription: connection refused (401): check the API key']);
    expect(server.refused.slice(refusedBefore)).toEqual([{ authorization: 'Bearer sk-wrong' }]);
    expect(server.connections.length).toBe(connectionsBefore);
    pushFrames(stream, loud(100));
  });

  it('server error events and failed transcriptions are error events; the stream goes on', async () => {
    const index = server.connections.length;
    const stream = open(stt({ silenceMs: 300 }));
    const events = record(stream);
    const conn = await server.connection(index);
    await server.until(() => conn.sessionUpdates.length === 1, 'session.update');
    conn.sendEvent({
      type: 'error',
      event_id: 'event_1',
      error: { type: 'invalid_request_error', code: 'rate_limit_exceeded', message: 'Slow down' },
    });
    await events.next('error:');
    conn.queueTranscript({ text: 'mumble', fail: true }, 'clear words');
    pushFrames(stream, Buffer.concat([loud(200), silence(320), loud(200), silence(320)]));
    await events.next('final:');
    expect(events.log.filter((e) => !e.startsWith('speech') && !e.startsWith('partial'))).toEqual([
      'error:openai realtime transcription error: rate_limit_exceeded: Slow down',
      'error:openai realtime transcription failed: audio_unintelligible: Audio could not be transcribed',
      'final:clear words',
    ]);
  });

  it('an utterance with an empty transcript (noise) has no final', async () => {
    const index = server.connections.length;
    const stream = open(stt({ silenceMs: 300 }));
    const events = record(stream);
    const conn = await server.connection(index);
    conn.queueTranscript('', 'after the noise');
    pushFrames(stream, Buffer.concat([loud(100), silence(320), loud(200), silence(320)]));
    await events.next('final:');
    expect(events.log).toEqual([
      'speechStarted',
      'speechStopped',
      'speechStarted',
      'speechStopped',
      'partial:after',
      'partial:after the',
      'partial:after the noise',
      'final:after the noise',
    ]);
  });

  it('close() closes the socket and silences the stream', async () => {
    const index = server.connections.length;
    const stream = open(stt());
    const events = record(stream);
    const conn = await server.connection(index);
    await server.until(() => conn.sessionUpdates.length === 1, 'session.update');
    stream.close();
    stream.close();
    await conn.closed;
    pushFrames(stream, loud(200));
    expect(events.log).toEqual([]);
    expect(server.connections.length).toBe(index + 1);
  });
});
