import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TextToSpeechError } from '../../src/call-runtime/speech.port.ts';
import {
  designAntiAliasFilter,
  OpenAiTextToSpeech,
  Pcm24kToMulaw8k,
  type OpenAiTtsOptions,
} from '../../src/integrations/llm/openai-speech.ts';
import { decodeMulaw } from '../../src/voice/audio/mulaw.ts';
import { FakeOpenAiSpeechServer, PCM_RATE, pcmTone } from '../fakes/llm/fake-openai-speech.ts';

let fake: FakeOpenAiSpeechServer;
const defaultSignal = (f: FakeOpenAiSpeechServer) => (input: string) => pcmTone(f.durationMs(input), 440);

beforeAll(async () => {
  fake = await FakeOpenAiSpeechServer.start();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.signal = defaultSignal(fake);
  fake.firstByteMs = 0;
  fake.chunkIntervalMs = 0;
  fake.chunkBytes = 4_801;
});

function tts(overrides: Partial<OpenAiTtsOptions> = {}): OpenAiTextToSpeech {
  return new OpenAiTextToSpeech({ apiKey: fake.apiKey, baseUrl: fake.url, firstByteTimeoutMs: 2_000, ...overrides });
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** Amplitude of the `hz` component of 8 kHz samples (single-bin DFT over whole periods of 8 ms). */
function amplitudeAt(samples: ArrayLike<number>, hz: number, rate = 8_000): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < samples.length; n++) {
    const phase = (2 * Math.PI * hz * n) / rate;
    re += samples[n]! * Math.cos(phase);
    im -= samples[n]! * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / samples.length;
}

function rms(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / samples.length);
}

/** The steady middle of a tone (the filter's edges excluded): 4000 samples = 0.5 s = whole periods of 1/2/3 kHz. */
const middle = (mulaw: Buffer): Int16Array => decodeMulaw(mulaw).subarray(2_000, 6_000);

const dB = (ratio: number): number => 20 * Math.log10(ratio);

function pcmBytes(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

describe('OpenAiTextToSpeech against the fake OpenAI speech endpoint', () => {
  it('asks for pcm with the key, model and voice, and returns ceil(S/3) μ-law bytes for S PCM samples', async () => {
    const text = 'Your showing is confirmed for Saturday at ten.';
    const mulaw = await collect(tts().synthesize(text, new AbortController().signal));
    expect(mulaw.length).toBe(Math.ceil(fake.samplesFor(text) / 3));
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.path).toBe('/v1/audio/speech');
    expect(req.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(req.body).toEqual({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: text, response_format: 'pcm' });

    // A length not a multiple of 3, in odd-sized chunks (samples split between chunks).
    fake.signal = () => pcmTone(1000.0417, 440);
    fake.chunkBytes = 777;
    const odd = await collect(
      tts({ voice: 'coral', instructions: 'Warm and calm.' }).synthesize('x', new AbortController().signal),
    );
    expect(fake.samplesFor('x') % 3).not.toBe(0);
    expect(odd.length).toBe(Math.ceil(fake.samplesFor('x') / 3));
    expect(fake.requests[1]!.body).toMatchObject({ voice: 'coral', instructions: 'Warm and calm.' });
  });

  it('streams: the first μ-law chunk comes before the rest of the PCM has been sent', async () => {
    fake.chunkIntervalMs = 20;
    const text = 'A sentence long enough to arrive in many chunks over the wire.';
    const iterator = tts().synthesize(text, new AbortController().signal);
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(fake.requests[0]!.audioBytes).toBeLessThan(fake.samplesFor(text) * 2);
    await collect({ [Symbol.asyncIterator]: () => iterator });
  });

  it('a 1 kHz tone stays a 1 kHz tone at the same level; 5 kHz (above the 4 kHz Nyquist) is removed', async () => {
    const amplitude = 12_000;
    fake.signal = () => pcmTone(1_000, 1_000, amplitude);
    const low = middle(await collect(tts().synthesize('tone', new AbortController().signal)));
    expect(Math.abs(dB(amplitudeAt(low, 1_000) / amplitude))).toBeLessThan(0.5);
    // μ-law quantisation noise aside, all the energy is at 1 kHz.
    expect(dB(amplitudeAt(low, 1_000) / (rms(low) * Math.SQRT2))).toBeGreaterThan(-0.2);

    fake.signal = () => pcmTone(1_000, 5_000, amplitude);
    const high = middle(await collect(tts().synthesize('tone', new AbortController().signal)));
    // Without the filter, 5 kHz would fold to 3 kHz at full level.
    expect(dB(amplitudeAt(high, 3_000) / amplitude)).toBeLessThan(-60);
    expect(dB(rms(high) / rms(low))).toBeLessThan(-50);

    fake.signal = () => pcmTone(1_000, 3_000, amplitude);
    const edge = middle(await collect(tts().synthesize('tone', new AbortController().signal)));
    expect(Math.abs(dB(amplitudeAt(edge, 3_000) / amplitude))).toBeLessThan(1);
  });

  it('abort stops the stream and throws the reason', async () => {
    fake.chunkIntervalMs = 20;
    const controller = new AbortController();
    const iterator = tts().synthesize('Long enough to be interrupted by the caller, for sure.', controller.signal);
    expect((await iterator.next()).done).toBe(false);
    const reason = new Error('barge-in');
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
  });

  it('no first byte in time: a timeout error', async () => {
    fake.firstByteMs = 3_000;
    const err = await rejection(
      collect(tts({ firstByteTimeoutMs: 100 }).synthesize('Hi.', new AbortController().signal)),
    );
    expect(err).toBeInstanceOf(TextToSpeechError);
    expect(err).toMatchObject({ vendor: 'openai', kind: 'timeout', retryable: true });
  });

  it('401 and 429 are typed errors with OpenAI’s message', async () => {
    const auth = await rejection(collect(tts({ apiKey: 'sk-wrong' }).synthesize('Hi.', new AbortController().signal)));
    expect(auth).toMatchObject({
      vendor: 'openai',
      kind: 'auth',
      status: 401,
      code: 'invalid_api_key',
      retryable: false,
    });
    expect((auth as Error).message).toContain('Incorrect API key');

    fake.failNext(429);
    const quota = await rejection(collect(tts().synthesize('Hi.', new AbortController().signal)));
    expect(quota).toMatchObject({ kind: 'quota', status: 429, code: 'insufficient_quota', retryable: false });
    expect((quota as Error).message).toContain('exceeded your current quota');

    fake.failNext(429, { code: 'rate_limit_exceeded', type: 'requests', message: 'Rate limit reached.' });
    const rate = await rejection(collect(tts().synthesize('Hi.', new AbortController().signal)));
    expect(rate).toMatchObject({ kind: 'quota', code: 'rate_limit_exceeded', retryable: true });
  });
});

describe('Pcm24kToMulaw8k', () => {
  it('gives the same bytes however the PCM is chunked', () => {
    const samples = pcmTone(250, 700, 9_000);
    const bytes = pcmBytes(samples);
    const whole = new Pcm24kToMulaw8k();
    const one = Buffer.concat([whole.push(bytes), whole.end()]);
    const pieces = new Pcm24kToMulaw8k();
    const parts: Buffer[] = [];
    for (let offset = 0, size = 1; offset < bytes.length; offset += size, size = (size * 7 + 3) % 997 || 1) {
      parts.push(pieces.push(bytes.subarray(offset, offset + size)));
    }
    parts.push(pieces.end());
    expect(Buffer.concat(parts).equals(one)).toBe(true);
    expect(one.length).toBe(Math.ceil(samples.length / 3));
  });

  it('is not shifted in time: a click at input sample 3k comes out at output sample k', () => {
    const samples = new Int16Array(2_400);
    samples[1_200] = 30_000;
    const c = new Pcm24kToMulaw8k();
    const out = decodeMulaw(Buffer.concat([c.push(pcmBytes(samples)), c.end()]));
    let peak = 0;
    for (let i = 1; i < out.length; i++) if (Math.abs(out[i]!) > Math.abs(out[peak]!)) peak = i;
    expect(peak).toBe(400);
  });

  it('has unity gain at DC and the designed stopband', () => {
    const h = designAntiAliasFilter();
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const response = (hz: number): number => {
      let re = 0;
      let im = 0;
      for (let n = 0; n < h.length; n++) {
        re += h[n]! * Math.cos((2 * Math.PI * hz * n) / PCM_RATE);
        im -= h[n]! * Math.sin((2 * Math.PI * hz * n) / PCM_RATE);
      }
      return dB(Math.hypot(re, im));
    };
    for (const hz of [300, 1_000, 2_000, 3_000]) expect(Math.abs(response(hz))).toBeLessThan(0.5);
    for (let hz = 4_000; hz <= 12_000; hz += 50) expect(response(hz)).toBeLessThan(-65);
  });

  it('bench: conversion cost per second of audio (printed, not asserted)', () => {
    const seconds = 30;
    const bytes = pcmBytes(pcmTone(seconds * 1000, 440, 10_000));
    const run = (): number => {
      const c = new Pcm24kToMulaw8k();
      const start = performance.now();
      for (let offset = 0; offset < bytes.length; offset += 4_800) c.push(bytes.subarray(offset, offset + 4_800));
      c.end();
      return performance.now() - start;
    };
    run(); // warm-up (JIT)
    const ms = Math.min(run(), run(), run());
    const perSecond = ms / seconds;
    console.info(
      `[bench] 24 kHz PCM → 8 kHz μ-law: ${perSecond.toFixed(3)} ms per second of audio ` +
        `(${(perSecond / 10).toFixed(3)} % of one core while speaking)`,
    );
    expect(perSecond).toBeGreaterThan(0);
  });
});
