import { describe, expect, it } from 'vitest';
import type { TextToSpeech, TextToSpeechSession } from '../../src/call-runtime/speech.port.ts';
import { SpokenTextToSpeech } from '../../src/voice/spoken-tts.ts';

class Recorder implements TextToSpeech {
  readonly name = 'recorder';
  readonly said: string[] = [];
  closed = 0;
  async *synthesize(text: string): AsyncIterable<Buffer> {
    this.said.push(text);
    yield Buffer.alloc(160);
  }
  session(): TextToSpeechSession {
    return Object.assign(new Recorder(), { close: () => this.closed++, said: this.said });
  }
}

describe('SpokenTextToSpeech', () => {
  it('gives the vendor the words a person would say, per call session too', async () => {
    const inner = new Recorder();
    const tts = new SpokenTextToSpeech(inner);
    for await (const _ of tts.synthesize('It is listed at $1,249,000.', new AbortController().signal)) void _;
    const session = tts.session('CA1');
    for await (const _ of session.synthesize('Unit #4B', new AbortController().signal)) void _;
    session.close();
    expect(inner.said[0]).toBe('It is listed at one million two hundred forty-nine thousand dollars.');
    expect(inner.said[1]).toMatch(/unit four B/i);
    expect(inner.closed).toBe(1);
  });
});
