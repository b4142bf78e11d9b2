import { describe, expect, it } from 'vitest';
import type { SttStream, TextToSpeech } from '../../src/call-runtime/speech.port.ts';
import { MULAW_SILENCE } from '../../src/voice/audio/mulaw.ts';
import { Playout } from '../../src/voice/audio/playout.ts';
import { mulawLevelDbfs, mulawTone } from '../../src/voice/audio/signal.ts';
import { FakeSpeechToText } from '../../src/voice/fakes/fake-stt.ts';
import { FakeTextToSpeech } from '../../src/voice/fakes/fake-tts.ts';

const OPEN = { sampleRate: 8000, encoding: 'mulaw' } as const;
const loud = (ms: number): Buffer => mulawTone(ms, { hz: 300, dbfs: -12 });
const silence = (ms: number): Buffer => Buffer.alloc(ms * 8, MULAW_SILENCE);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every event of a stream, as "name" or "name:text". */
function record(stream: SttStream): string[] {
  const log: string[] = [];
  stream.on('speechStarted', () => log.push('speechStarted'));
  stream.on('partial', (text) => log.push(`partial:${text}`));
  stream.on('speechStopped', () => log.push('speechStopped'));
  stream.on('final', (text) => log.push(`final:${text}`));
  stream.on('error', (err) => log.push(`error:${err.message}`));
  return log;
}

/** Pushes audio in 20 ms frames, as Twilio does. */
function pushFrames(stream: SttStream, audio: Buffer): void {
  for (let i = 0; i < audio.length; i += 160) stream.push(audio.subarray(i, i + 160));
}

describe('FakeSpeechToText', () => {
  it('finds speech segments by energy: 60 ms to start, 500 ms of quiet to stop; blips are ignored', () => {
    const stt = new FakeSpeechToText({ msPerPartialWord: 0 });
    stt.queueTranscript('CA1', 'hello there');
    const stream = stt.open({ callSid: 'CA1', ...OPEN });
    const log = record(stream);
    pushFrames(stream, Buffer.concat([silence(200), loud(40), silence(200)]));
    expect(log).toEqual([]);
    pushFrames(stream, loud(40));
    expect(log).toEqual([]);
    pushFrames(stream, loud(20));
    expect(log).toEqual(['speechStarted']);
    // A pause shorter than 500 ms is part of the utterance.
    pushFrames(stream, Buffer.concat([loud(300), silence(400), loud(200), silence(480)]));
    expect(log).toEqual(['speechStarted']);
    pushFrames(stream, silence(20));
    expect(log).toEqual(['speechStarted', 'speechStopped', 'final:hello there']);
  });

  it('gives each segment the next queued text of its call, then the shared script, in order', () => {
    const stt = new FakeSpeechToText({ script: ['scripted one', 'scripted two'], msPerPartialWord: 0 });
    stt.queueTranscript('CA1', 'first', 'second');
    const one = stt.open({ callSid: 'CA1', ...OPEN });
    const other = stt.open({ callSid: 'CA2', ...OPEN });
    const log = record(one);
    const otherLog = record(other);
    const utterance = Buffer.concat([loud(300), silence(600)]);
    for (let i = 0; i < 3; i++) pushFrames(one, utterance);
    pushFrames(other, utterance);
    expect(log.filter((e) => e.startsWith('final'))).toEqual(['final:first', 'final:second', 'final:scripted one']);
    expect(otherLog.filter((e) => e.startsWith('final'))).toEqual(['final:scripted two']);
  });

  it('does not depend on how the audio is cut into pushes', () => {
    const stt = new FakeSpeechToText({ script: ['a b c d'], msPerPartialWord: 100 });
    const stream = stt.open({ callSid: 'CA1', ...OPEN });
    const log = record(stream);
    const audio = Buffer.concat([silence(100), loud(330), silence(520)]);
    for (let i = 0; i < audio.length; i += 37) stream.push(audio.subarray(i, i + 37));
    expect(log).toEqual([
      'speechStarted',
      'partial:a',
      'partial:a b',
      'partial:a b c',
      'speechStopped',
      'final:a b c d',
    ]);
  });

  it('has no final for an utterance nothing was queued for, unless a fallback text is set', () => {
    const bare = new FakeSpeechToText();
    const log = record(bare.open({ callSid: 'CA1', ...OPEN }));
    const withFallback = new FakeSpeechToText({ fallbackText: '(inaudible)' });
    const stream = withFallback.open({ callSid: 'CA1', ...OPEN });
    const fallbackLog = record(stream);
    const utterance = Buffer.concat([loud(200), silence(500)]);
    pushFrames(stream, utterance);
    expect(fallbackLog).toEqual(['speechStarted', 'speechStopped', 'final:(inaudible)']);
    expect(log).toEqual([]);
  });

  it('delays the final by latencyMs; close() cancels it and silences the stream', async () => {
    const stt = new FakeSpeechToText({ script: ['late', 'never'], latencyMs: 30, msPerPartialWord: 0 });
    const stream = stt.open({ callSid: 'CA1', ...OPEN });
    const log = record(stream);
    pushFrames(stream, Buffer.concat([loud(100), silence(500)]));
    expect(log).toEqual(['speechStarted', 'speechStopped']);
    await sleep(60);
    expect(log).toEqual(['speechStarted', 'speechStopped', 'final:late']);
    pushFrames(stream, Buffer.concat([loud(100), silence(500)]));
    stream.close();
    await sleep(60);
    pushFrames(stream, loud(200));
    expect(log).toHaveLength(5);
    expect(log.at(-1)).toBe('speechStopped');
  });
});

async function collect(iterable: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

describe('FakeTextToSpeech', () => {
  it('yields μ-law audio as long as the words, in chunks, quiet but not silent', async () => {
    const tts = new FakeTextToSpeech({ msPerWord: 330, chunkMs: 100 });
    const chunks = await collect(tts.synthesize('One two three.', new AbortController().signal));
    const audio = Buffer.concat(chunks);
    expect(tts.durationMs('One two three.')).toBe(990);
    expect(audio.length).toBe(7920);
    expect(chunks.map((c) => c.length)).toEqual([...Array(9).fill(800), 720]);
    expect(audio.every((b) => b === MULAW_SILENCE)).toBe(false);
    const level = mulawLevelDbfs(audio);
    expect(level).toBeGreaterThan(-40);
    expect(level).toBeLessThan(-25);
    // Chunks are slices of one precomputed tone: together they are the continuous tone, phase and all.
    expect(audio.equals(mulawTone(990, { hz: 220, dbfs: -30 }))).toBe(true);
  });

  it('waits firstByteMs before the first chunk and paces chunks by chunkIntervalMs', async () => {
    const tts = new FakeTextToSpeech({ msPerWord: 100, chunkMs: 100, firstByteMs: 40, chunkIntervalMs: 20 });
    const started = performance.now();
    const times: number[] = [];
    for await (const chunk of tts.synthesize('a b c', new AbortController().signal)) {
      expect(chunk.length).toBe(800);
      times.push(performance.now() - started);
    }
    expect(times).toHaveLength(3);
    expect(times[0]).toBeGreaterThanOrEqual(38);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(38);
  });

  it('stops when aborted: mid-stream and during the first-byte wait', async () => {
    const tts = new FakeTextToSpeech({ msPerWord: 1000, chunkMs: 100 });
    const controller = new AbortController();
    const chunks: Buffer[] = [];
    await expect(
      (async () => {
        for await (const chunk of tts.synthesize('a long phrase', controller.signal)) {
          chunks.push(chunk);
          if (chunks.length === 2) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toHaveLength(2);

    const slow = new FakeTextToSpeech({ firstByteMs: 10_000 });
    const early = new AbortController();
    const started = performance.now();
    const pending = collect(slow.synthesize('hello', early.signal));
    setTimeout(() => early.abort(), 10);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

/** A sink that records what a playout sends. */
function sink() {
  const sent: ({ media: number } | { mark: string } | 'clear')[] = [];
  return {
    sent,
    media: (payload: Buffer) => sent.push({ media: payload.length }),
    mark: (name: string) => sent.push({ mark: name }),
    clear: () => sent.push('clear'),
    marks: () => sent.filter((s): s is { mark: string } => typeof s === 'object' && 'mark' in s).map((s) => s.mark),
  };
}

describe('Playout over the fake TTS', () => {
  it('sends phrases in order as 400-byte media messages, each followed by its mark', async () => {
    const out = sink();
    const playout = new Playout(new FakeTextToSpeech({ msPerWord: 100, chunkMs: 70 }), out);
    playout.say('One two three.', false);
    playout.say('Four five.', true);
    expect(playout.speaking).toBe(true);
    await playout.allSent();
    expect(out.sent).toEqual([
      { media: 400 },
      { media: 400 },
      { media: 400 },
      { media: 400 },
      { media: 400 },
      { media: 400 },
      { mark: 'phrase-1' },
      { media: 400 },
      { media: 400 },
      { media: 400 },
      { media: 400 },
      { mark: 'phrase-2' },
    ]);
    expect(playout.speaking).toBe(true);
    const idle = playout.idle();
    playout.played('phrase-1');
    expect(playout.heard()).toBe('One two three.');
    playout.played('phrase-2');
    await idle;
    expect(playout.speaking).toBe(false);
    expect(playout.heard()).toBe('One two three. Four five.');
  });

  it('sends the first leadMs as fast as it can, then at real time', async () => {
    const out = sink();
    const playout = new Playout(new FakeTextToSpeech({ msPerWord: 100 }), out, { leadMs: 100 });
    const started = performance.now();
    playout.say('one two three four five', true); // 500 ms of audio
    await playout.allSent();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(330);
    expect(elapsed).toBeLessThan(10_000); // loose: a loaded machine only makes it slower
    // At most the lead is still queued at the carrier (a slow machine may have played it all already).
    expect(playout.remainingMs).toBeLessThanOrEqual(150);
  });

  it('clear: sends clear, drops what is queued, ignores the dropped marks’ echoes, reports what was heard', async () => {
    const out = sink();
    const playout = new Playout(new FakeTextToSpeech({ msPerWord: 50 }), out, { leadMs: 5_000 });
    playout.say('Heard in full.', false);
    playout.say('Cut off here.', false);
    playout.say('Never sent.', true);
    await playout.allSent();
    playout.played('phrase-1');
    expect(playout.clear()).toBe('Heard in full.');
    expect(out.sent.filter((s) => s === 'clear')).toHaveLength(1);
    expect(playout.speaking).toBe(false);
    playout.played('phrase-2'); // the carrier echoes marks a clear dropped
    playout.played('phrase-3');
    expect(playout.heard()).toBe('Heard in full.');
    // Nothing pending: a second clear sends nothing.
    playout.clear();
    expect(out.sent.filter((s) => s === 'clear')).toHaveLength(1);
    // The next phrase starts a new reply.
    playout.say('A new reply.', true);
    await playout.allSent();
    expect(out.marks().at(-1)).toBe('phrase-4');
    expect(playout.heard()).toBe('');
    playout.played('phrase-4');
    expect(playout.heard()).toBe('A new reply.');
  });

  it('clear during a slow synthesis aborts it; a failed synthesis skips only its phrase', async () => {
    const out = sink();
    const slow = new FakeTextToSpeech({ msPerWord: 50, firstByteMs: 10_000 });
    const playout = new Playout(slow, out);
    playout.say('Slow to start.', true);
    await sleep(10);
    expect(playout.speaking).toBe(true);
    playout.clear();
    expect(out.sent).toEqual(['clear']);
    await playout.allSent();

    const flaky: TextToSpeech = {
      name: 'flaky',
      synthesize(text, signal) {
        if (text.startsWith('Bad')) throw new Error('vendor down'); // even before returning a stream
        return new FakeTextToSpeech({ msPerWord: 50 }).synthesize(text, signal);
      },
    };
    const out2 = sink();
    const second = new Playout(flaky, out2);
    second.say('Bad phrase.', false);
    second.say('Good phrase.', true);
    await second.allSent();
    expect(out2.marks()).toEqual(['phrase-2']);
  });
});
