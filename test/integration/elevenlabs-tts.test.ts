import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TextToSpeechError } from '../../src/call-runtime/speech.port.ts';
import {
  ElevenLabsTextToSpeech,
  type ElevenLabsSession,
  type ElevenLabsTtsOptions,
} from '../../src/integrations/elevenlabs/index.ts';
import { FakeElevenLabsServer } from '../fakes/elevenlabs/fake-elevenlabs-server.ts';
import { WAIT } from '../helpers/wait.ts';

let fake: FakeElevenLabsServer;
const sessions: ElevenLabsSession[] = [];

beforeEach(async () => {
  fake = await FakeElevenLabsServer.start();
});

afterEach(async () => {
  for (const s of sessions.splice(0)) s.close();
  await fake.close();
});

function tts(overrides: Partial<ElevenLabsTtsOptions> = {}): ElevenLabsTextToSpeech {
  return new ElevenLabsTextToSpeech({
    apiKey: fake.apiKey,
    voiceId: 'voice-123',
    baseUrl: fake.url,
    firstByteTimeoutMs: 2_000,
    connectTimeoutMs: 2_000,
    ...overrides,
  });
}

function session(overrides: Partial<ElevenLabsTtsOptions> = {}, callSid = 'CA0001'): ElevenLabsSession {
  const s = tts(overrides).session(callSid);
  sessions.push(s);
  return s;
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return chunks;
}

const bytes = (chunks: Buffer[]): number => chunks.reduce((n, c) => n + c.length, 0);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('ElevenLabs multi-context WebSocket (per-call session)', () => {
  it('opens the socket at session start with the key, model and ulaw_8000, and streams a phrase in order', async () => {
    const s = session();
    await vi.waitFor(() => expect(fake.connections).toHaveLength(1), WAIT);
    const conn = fake.connections[0]!;
    expect(conn.path).toBe('/v1/text-to-speech/voice-123/multi-stream-input');
    expect(conn.query).toMatchObject({ model_id: 'eleven_flash_v2_5', output_format: 'ulaw_8000', auto_mode: 'true' });
    expect(conn.headers['xi-api-key']).toBe(fake.apiKey);

    const text = 'The listing at one forty-one Elm Street is still available.';
    const chunks = await collect(s.synthesize(text, new AbortController().signal));
    expect(chunks.length).toBeGreaterThan(3);
    expect(bytes(chunks)).toBe(fake.bytesFor(text));
    expect(Buffer.concat(chunks).equals(fake.audioFor(text))).toBe(true);

    const ctx = conn.contexts[0]!;
    expect(conn.messages.slice(0, 3)).toEqual([
      { text: ' ', context_id: ctx.id },
      { text: `${text} `, context_id: ctx.id, flush: true },
      { context_id: ctx.id, close_context: true },
    ]);
    expect(ctx).toMatchObject({ flushes: 1, finalSent: true, cancelled: false, audioBytes: fake.bytesFor(text) });
    expect(fake.httpRequests).toHaveLength(0);
  });

  it('streams chunk by chunk as the server sends them', async () => {
    fake.chunkIntervalMs = 30;
    const s = session();
    const iterator = s.synthesize('Good morning, this is Dana from Oak Realty.', new AbortController().signal);
    const first = await iterator.next();
    expect(first.done).toBe(false);
    // Only the first chunk was needed: the rest are still to come from the server.
    expect(fake.connections[0]!.contexts[0]!.audioBytes).toBeLessThan(
      fake.bytesFor('Good morning, this is Dana from Oak Realty.'),
    );
    await collect({ [Symbol.asyncIterator]: () => iterator });
  });

  it('reuses one socket for every phrase of the call, one context each, overlapping phrases included', async () => {
    const s = session();
    const phrases = ['Hi, thanks for calling.', 'The house has three bedrooms.', 'Would Saturday work?'];
    for (const p of phrases)
      expect(bytes(await collect(s.synthesize(p, new AbortController().signal)))).toBe(fake.bytesFor(p));
    // Prefetch: the next phrase starts while the current one is still streaming.
    fake.chunkIntervalMs = 5;
    const [a, b] = await Promise.all([
      collect(s.synthesize('First of two overlapping phrases.', new AbortController().signal)),
      collect(s.synthesize('And the second one.', new AbortController().signal)),
    ]);
    expect(bytes(a)).toBe(fake.bytesFor('First of two overlapping phrases.'));
    expect(bytes(b)).toBe(fake.bytesFor('And the second one.'));

    expect(fake.connections).toHaveLength(1);
    expect(s.connectionsOpened).toBe(1);
    const ids = fake.connections[0]!.contexts.map((c) => c.id);
    expect(new Set(ids).size).toBe(5);
    expect(fake.connections[0]!.contexts.every((c) => c.finalSent)).toBe(true);
  });

  it('abort closes that context, stops yielding at once and keeps the socket for the next phrase', async () => {
    fake.chunkIntervalMs = 20;
    const s = session();
    const controller = new AbortController();
    const long = 'This is a long phrase that the caller is going to interrupt halfway through, so it never ends.';
    const iterator = s.synthesize(long, controller.signal)[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    const reason = new Error('barge-in');
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);

    const conn = fake.connections[0]!;
    const ctx = conn.contexts[0]!;
    await vi.waitFor(() => expect(ctx.closeRequests).toBe(2), WAIT);
    expect(conn.messages.at(-1)).toEqual({ context_id: ctx.id, close_context: true });
    expect(ctx.audioBytes).toBeLessThan(fake.bytesFor(long));

    fake.chunkIntervalMs = 0;
    const next = await collect(s.synthesize('Sure, go ahead.', new AbortController().signal));
    expect(bytes(next)).toBe(fake.bytesFor('Sure, go ahead.'));
    expect(fake.connections).toHaveLength(1);
    expect(conn.open).toBe(true);
  });

  it('sends the voice settings when the context opens, and in the HTTP body', async () => {
    const voiceSettings = { stability: 0.4, similarity_boost: 0.8, speed: 1.05 };
    const s = session({ voiceSettings, modelId: 'eleven_turbo_v2_5' });
    await collect(s.synthesize('Hi.', new AbortController().signal));
    const conn = fake.connections[0]!;
    expect(conn.query.model_id).toBe('eleven_turbo_v2_5');
    expect(conn.messages[0]).toEqual({ text: ' ', context_id: conn.contexts[0]!.id, voice_settings: voiceSettings });
    await collect(tts({ voiceSettings }).synthesize('Hi.', new AbortController().signal));
    expect(fake.httpRequests[0]!.body).toEqual({
      text: 'Hi.',
      model_id: 'eleven_flash_v2_5',
      voice_settings: voiceSettings,
    });
  });

  it('an already aborted signal sends nothing', async () => {
    const s = session();
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(collect(s.synthesize('Hello.', controller.signal))).rejects.toThrow('gone');
    await vi.waitFor(() => expect(fake.connections).toHaveLength(1), WAIT);
    expect(fake.connections[0]!.contexts).toHaveLength(0);
  });

  it('sends a context-less keep-alive while the socket is idle', async () => {
    session({ keepAliveMs: 60 });
    await vi.waitFor(() => expect(fake.connections[0]?.keepAlives).toBeGreaterThanOrEqual(2), WAIT);
    expect(fake.connections[0]!.messages.every((m) => JSON.stringify(m) === '{"text":""}')).toBe(true);
  });

  it('close() ends the socket with close_socket; the closed session refuses phrases', async () => {
    const s = session();
    await collect(s.synthesize('Goodbye.', new AbortController().signal));
    s.close();
    s.close();
    const conn = fake.connections[0]!;
    await vi.waitFor(() => expect(conn.open).toBe(false), WAIT);
    expect(conn.messages.at(-1)).toEqual({ close_socket: true });
    expect(conn.closeCode).toBe(1000);
    const err = await rejection(collect(s.synthesize('Hello?', new AbortController().signal)));
    expect(err).toBeInstanceOf(TextToSpeechError);
  });

  it('reopens a dropped socket lazily on the next phrase', async () => {
    const s = session();
    await collect(s.synthesize('One.', new AbortController().signal));
    fake.dropAllSockets();
    await vi.waitFor(() => expect(s.connected).toBe(false), WAIT);
    expect(bytes(await collect(s.synthesize('Two.', new AbortController().signal)))).toBe(fake.bytesFor('Two.'));
    expect(fake.connections).toHaveLength(2);
    expect(fake.httpRequests).toHaveLength(0);
  });
});

describe('ElevenLabs HTTP fallback and errors', () => {
  it('speaks over HTTP streaming when the socket cannot be opened, and stays on HTTP for a while', async () => {
    fake.refuseWebSockets();
    const s = session();
    const text = 'We can show it tomorrow at ten.';
    expect(bytes(await collect(s.synthesize(text, new AbortController().signal)))).toBe(fake.bytesFor(text));
    expect(bytes(await collect(s.synthesize('Anything else?', new AbortController().signal)))).toBe(
      fake.bytesFor('Anything else?'),
    );
    expect(fake.connections).toHaveLength(0);
    expect(s.connectionsOpened).toBe(1);
    expect(fake.httpRequests).toHaveLength(2);
    const req = fake.httpRequests[0]!;
    expect(req).toMatchObject({
      method: 'POST',
      path: '/v1/text-to-speech/voice-123/stream',
      query: { output_format: 'ulaw_8000' },
      body: { text, model_id: 'eleven_flash_v2_5' },
      status: 200,
    });
    expect(req.headers['xi-api-key']).toBe(fake.apiKey);
  });

  it('tries the socket again after wsRetryAfterMs', async () => {
    fake.rejectWebSocket(503);
    const s = session({ wsRetryAfterMs: 0 });
    await collect(s.synthesize('First.', new AbortController().signal));
    await collect(s.synthesize('Second.', new AbortController().signal));
    expect(fake.httpRequests.map((r) => r.body)).toEqual([{ text: 'First.', model_id: 'eleven_flash_v2_5' }]);
    expect(fake.connections).toHaveLength(1);
  });

  it('a socket lost before the phrase’s first byte: the phrase goes over HTTP', async () => {
    const s = session();
    await vi.waitFor(() => expect(s.connected).toBe(true), WAIT);
    await vi.waitFor(() => expect(fake.connections[0]?.open).toBe(true), WAIT);
    fake.firstByteMs = 10_000;
    const text = 'Let me check the calendar.';
    const phrase = collect(s.synthesize(text, new AbortController().signal));
    await vi.waitFor(() => expect(fake.connections[0]!.contexts).toHaveLength(1), WAIT);
    fake.firstByteMs = 0;
    fake.dropAllSockets();
    expect(bytes(await phrase)).toBe(fake.bytesFor(text));
    expect(fake.httpRequests).toHaveLength(1);
  });

  it('a socket lost mid-phrase (audio already played) fails that phrase with a connection error', async () => {
    fake.chunkIntervalMs = 5;
    const s = session();
    fake.dropSocketAfterChunks(2);
    const err = await rejection(
      collect(s.synthesize('A phrase long enough for several chunks of audio.', new AbortController().signal)),
    );
    expect(err).toBeInstanceOf(TextToSpeechError);
    expect(err).toMatchObject({ vendor: 'elevenlabs', kind: 'connection', retryable: true });
    expect(fake.httpRequests).toHaveLength(0);
  });

  it('401 on the socket handshake: an auth error with the vendor message, no HTTP retry', async () => {
    const s = session({ apiKey: 'sk_wrong' });
    const err = await rejection(collect(s.synthesize('Hello.', new AbortController().signal)));
    expect(err).toBeInstanceOf(TextToSpeechError);
    expect(err).toMatchObject({ kind: 'auth', status: 401, code: 'invalid_api_key', retryable: false });
    expect((err as Error).message).toContain('Invalid API key');
    expect(fake.httpRequests).toHaveLength(0);
  });

  it('a bad key answered by a policy close (1008) after an error message is an auth error too', async () => {
    fake.wsAuthFailure = 'policy-close';
    const s = session({ apiKey: 'sk_wrong' });
    const err = await rejection(collect(s.synthesize('Hello.', new AbortController().signal)));
    expect(err).toMatchObject({ kind: 'auth', retryable: false });
    expect((err as Error).message).toContain('Invalid API key');
    expect(fake.httpRequests).toHaveLength(0);
  });

  it('HTTP 401 and 429 are typed with the vendor’s code and message', async () => {
    const shared = tts({ apiKey: 'sk_wrong' });
    const auth = await rejection(collect(shared.synthesize('Hello.', new AbortController().signal)));
    expect(auth).toMatchObject({ kind: 'auth', status: 401, code: 'invalid_api_key', retryable: false });

    fake.failHttp(429);
    const busy = await rejection(collect(tts().synthesize('Hello.', new AbortController().signal)));
    expect(busy).toMatchObject({ kind: 'quota', status: 429, code: 'too_many_concurrent_requests', retryable: true });
    expect((busy as Error).message).toContain('Too many concurrent requests');

    fake.failHttp(401, { code: 'quota_exceeded', message: 'This request exceeds your quota of 10000.' });
    const quota = await rejection(collect(tts().synthesize('Hello.', new AbortController().signal)));
    expect(quota).toMatchObject({ kind: 'quota', code: 'quota_exceeded', retryable: false });

    fake.failHttp(500);
    const down = await rejection(collect(tts().synthesize('Hello.', new AbortController().signal)));
    expect(down).toMatchObject({ kind: 'http', status: 500, retryable: true });
  });

  it('no first byte within the deadline: a timeout error, and the next phrase gets a fresh socket', async () => {
    const s = session({ firstByteTimeoutMs: 100 });
    fake.firstByteMs = 5_000;
    const err = await rejection(collect(s.synthesize('Hello?', new AbortController().signal)));
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    fake.firstByteMs = 0;
    await collect(s.synthesize('Hello again.', new AbortController().signal));
    expect(fake.connections).toHaveLength(2);
  });

  it('HTTP first-byte timeout and abort', async () => {
    fake.firstByteMs = 5_000;
    const err = await rejection(
      collect(tts({ firstByteTimeoutMs: 100 }).synthesize('Hi.', new AbortController().signal)),
    );
    expect(err).toMatchObject({ kind: 'timeout' });

    fake.firstByteMs = 0;
    fake.chunkIntervalMs = 20;
    const controller = new AbortController();
    const iterator = tts().synthesize('A fairly long sentence to be cut off by the caller.', controller.signal);
    expect((await iterator.next()).done).toBe(false);
    const reason = new Error('barge-in');
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
  });

  it('an unreachable server (connection refused) is a connection error', async () => {
    const port = Number(new URL(fake.url).port);
    await fake.close();
    const dead = new ElevenLabsTextToSpeech({ apiKey: 'k', voiceId: 'v', baseUrl: `http://127.0.0.1:${port}` });
    const s = dead.session('CA-dead');
    sessions.push(s);
    const err = await rejection(collect(s.synthesize('Hello.', new AbortController().signal)));
    expect(err).toMatchObject({ kind: 'connection', retryable: true });
    fake = await FakeElevenLabsServer.start();
  });
});
