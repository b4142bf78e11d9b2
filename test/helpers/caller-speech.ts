import ESpeakNg from 'espeak-ng';
import { encodeMulaw, MULAW_SAMPLE_RATE } from '../../src/voice/audio/mulaw.ts';

/**
 * Real (synthetic) caller speech for tests and demos, offline: espeak-ng (WASM) speaks the text to a
 * 22.05 kHz WAV, which is low-passed and resampled to 8 kHz and μ-law encoded — the bytes Twilio sends.
 */
export async function callerSpeech(text: string, voice = 'en-us'): Promise<Buffer> {
  const espeak = await ESpeakNg({
    arguments: ['-w', 'speech.wav', '-v', voice, text],
    print: () => {},
    printErr: () => {},
  });
  const { samples, rate } = readWav(espeak.FS.readFile('speech.wav'));
  return encodeMulaw(resample(samples, rate, MULAW_SAMPLE_RATE));
}

/** 16-bit mono PCM of a RIFF/WAVE file. */
export function readWav(wav: Uint8Array): { samples: Int16Array; rate: number } {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const tag = (at: number): string => String.fromCharCode(...wav.subarray(at, at + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file');
  let rate = 0;
  for (let at = 12; at + 8 <= wav.length;) {
    const size = view.getUint32(at + 4, true);
    if (tag(at) === 'fmt ') rate = view.getUint32(at + 12, true);
    if (tag(at) === 'data') {
      const data = wav.slice(at + 8, at + 8 + size);
      return { samples: new Int16Array(data.buffer, data.byteOffset, Math.floor(data.length / 2)), rate };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('WAV without a data chunk');
}

/** Band-limited resampling: windowed-sinc interpolation with the cut-off at the lower Nyquist. */
export function resample(input: Int16Array, from: number, to: number): Int16Array {
  const ratio = from / to;
  const cutoff = Math.min(1, to / from) * 0.9;
  const half = 16;
  const out = new Int16Array(Math.floor(input.length / ratio));
  for (let i = 0; i < out.length; i++) {
    const center = i * ratio;
    const first = Math.max(0, Math.ceil(center - half * ratio));
    const last = Math.min(input.length - 1, Math.floor(center + half * ratio));
    let acc = 0;
    let norm = 0;
    for (let j = first; j <= last; j++) {
      const x = (j - center) * cutoff;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * (j - center)) / (half * ratio + 1));
      const w = sinc * window;
      acc += input[j]! * w;
      norm += w;
    }
    out[i] = Math.max(-32768, Math.min(32767, Math.round(norm ? acc / norm : 0)));
  }
  return out;
}
