import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import type { TextToSpeech } from '../../call-runtime/speech.port.ts';
import { mulawBytesFor } from '../audio/mulaw.ts';
import { mulawTone } from '../audio/signal.ts';

export interface FakeTtsOptions {
  /** Spoken length of one word (a phrase has at least one). Default 330 ms, the call settings' estimate. */
  msPerWord?: number;
  /** Wall-clock delay before the first chunk. Default 0. */
  firstByteMs?: number;
  /** Audio per yielded chunk. Default 100 ms (800 bytes). */
  chunkMs?: number;
  /** Wall-clock delay between chunks after the first. Default 0 (faster than real time, like a vendor). */
  chunkIntervalMs?: number;
  /** Level of the tone that stands for speech, dBFS peak. Default −30: quiet, but not silence. */
  levelDbfs?: number;
}

const TONE_HZ = 220;
/** Samples after which a 220 Hz tone at 8 kHz repeats exactly (11 periods). */
const TONE_CYCLE = 400;

/** One cycle of the tone per level, plus room for the longest chunk: chunks are slices, not synthesis. */
const toneCache = new Map<string, Buffer>();
function toneSlice(offset: number, bytes: number, dbfs: number): Buffer {
  const key = `${dbfs}`;
  let tone = toneCache.get(key);
  if (!tone || tone.length < TONE_CYCLE + bytes) {
    tone = mulawTone(((TONE_CYCLE + bytes) * 1000) / 8_000, { hz: TONE_HZ, dbfs });
    toneCache.set(key, tone);
  }
  const start = offset % TONE_CYCLE;
  return Buffer.from(tone.subarray(start, start + bytes));
}

/**
 * A text-to-speech stand-in: a quiet 220 Hz tone as 8 kHz μ-law, as long as the text would take to say
 * (words × msPerWord), streamed in chunks after a configurable first-byte latency. Aborting stops it
 * (the iterator throws the abort reason).
 */
export class FakeTextToSpeech implements TextToSpeech {
  readonly name = 'fake';
  /** Spoken length of one word; may be changed between phrases (a test wanting longer audio). */
  msPerWord: number;

  constructor(private readonly options: FakeTtsOptions = {}) {
    this.msPerWord = options.msPerWord ?? 330;
  }

  /** How long the fake takes to say `text`. */
  durationMs(text: string): number {
    return Math.max(1, text.split(/\s+/).filter(Boolean).length) * this.msPerWord;
  }

  async *synthesize(text: string, signal: AbortSignal): AsyncGenerator<Buffer> {
    const { firstByteMs = 0, chunkMs = 100, chunkIntervalMs = 0, levelDbfs = -30 } = this.options;
    signal.throwIfAborted();
    if (firstByteMs > 0) await sleep(firstByteMs, undefined, { signal });
    const total = mulawBytesFor(this.durationMs(text));
    const step = Math.max(1, mulawBytesFor(chunkMs));
    for (let offset = 0; offset < total; offset += step) {
      if (offset > 0) await (chunkIntervalMs > 0 ? sleep(chunkIntervalMs, undefined, { signal }) : setImmediate());
      signal.throwIfAborted();
      const bytes = Math.min(step, total - offset);
      yield toneSlice(offset, bytes, levelDbfs);
    }
  }
}
