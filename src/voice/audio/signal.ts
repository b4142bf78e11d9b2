import { encodeMulaw, mulawBytesFor, mulawEnergy, MULAW_SAMPLE_RATE } from './mulaw.ts';

/** Root-mean-square level of μ-law audio, in dBFS (full scale = 32768); −Infinity for digital silence. */
export function mulawLevelDbfs(bytes: Uint8Array): number {
  if (!bytes.length) return -Infinity;
  const rms = Math.sqrt(mulawEnergy(bytes) / bytes.length);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms / 32_768);
}

export interface ToneOptions {
  /** Frequency in Hz. */
  hz: number;
  /** Peak level in dBFS (0 = full scale). */
  dbfs: number;
  /** Sample offset, so consecutive pieces of one tone join without a click. */
  offset?: number;
}

/** `ms` milliseconds of a sine tone as 8 kHz μ-law. */
export function mulawTone(ms: number, { hz, dbfs, offset = 0 }: ToneOptions): Buffer {
  const amplitude = 32_767 * 10 ** (dbfs / 20);
  const samples = new Float64Array(mulawBytesFor(ms));
  for (let i = 0; i < samples.length; i++) {
    samples[i] = amplitude * Math.sin((2 * Math.PI * hz * (offset + i)) / MULAW_SAMPLE_RATE);
  }
  return encodeMulaw(samples);
}
