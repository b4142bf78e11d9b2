import { describe, expect, it } from 'vitest';
import { mulawLevelDbfs } from '../../src/voice/audio/signal.ts';
import { FakeSpeechToText } from '../../src/voice/fakes/fake-stt.ts';
import { callerSpeech, resample } from '../helpers/caller-speech.ts';

describe('offline caller speech (espeak-ng → 8 kHz μ-law)', () => {
  it('speaks a sentence as μ-law of a plausible length and level', async () => {
    const audio = await callerSpeech('Hi, I am calling about one forty one Elm Street.');
    const seconds = audio.length / 8000;
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(6);
    expect(mulawLevelDbfs(audio)).toBeGreaterThan(-35);
  });

  it('resampling keeps a tone in band and removes one above the new Nyquist', () => {
    const tone = (hz: number) =>
      Int16Array.from({ length: 22050 }, (_, i) => Math.round(10_000 * Math.sin((2 * Math.PI * hz * i) / 22050)));
    const rms = (x: Int16Array) => Math.sqrt(x.slice(100, -100).reduce((s, v) => s + v * v, 0) / (x.length - 200));
    expect(rms(resample(tone(1000), 22050, 8000))).toBeGreaterThan(6000);
    expect(rms(resample(tone(6000), 22050, 8000))).toBeLessThan(1500);
  });

  it('the fake speech-to-text finds one utterance in real speech followed by silence', async () => {
    const audio = Buffer.concat([await callerSpeech('Can I see it tomorrow at three?'), Buffer.alloc(8000, 0xff)]);
    const stt = new FakeSpeechToText({ script: ['can I see it tomorrow at three'] });
    const stream = stt.open({ callSid: 'CAspeech', sampleRate: 8000, encoding: 'mulaw' });
    const finals: string[] = [];
    let starts = 0;
    stream.on('speechStarted', () => starts++);
    stream.on('final', (text: string) => finals.push(text));
    for (let at = 0; at < audio.length; at += 160) stream.push(audio.subarray(at, at + 160));
    await new Promise((r) => setTimeout(r, 20));
    stream.close();
    expect(finals).toEqual(['can I see it tomorrow at three']);
    expect(starts).toBe(1);
  });
});
