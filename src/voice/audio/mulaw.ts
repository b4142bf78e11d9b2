/**
 * G.711 μ-law codec (8-bit companded ↔ 16-bit linear PCM), as Twilio Media Streams carry it: 8 kHz mono,
 * one byte per sample, no header. Encoding uses the classic bias-and-segment method with clipping at
 * ±32635; decoding is exact (a 256-entry table). 0xFF is digital silence.
 */

const BIAS = 0x84;
const CLIP = 32_635;

/** μ-law silence (linear 0). */
export const MULAW_SILENCE = 0xff;
/** Samples per second of telephone μ-law audio. */
export const MULAW_SAMPLE_RATE = 8_000;

function decodeByte(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

const DECODE_TABLE = Int16Array.from({ length: 256 }, (_, byte) => decodeByte(byte));

/** The square of each byte's linear sample, for energy sums without decoding. */
const SQUARE_TABLE = Float64Array.from(DECODE_TABLE, (s) => s * s);

/** Sum of the squared linear samples of μ-law bytes (no allocation: a per-frame level is cheap). */
export function mulawEnergy(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += SQUARE_TABLE[bytes[i]!]!;
  return sum;
}

/** One μ-law byte → one linear sample (−32124…32124). */
export function mulawToLinear(byte: number): number {
  return DECODE_TABLE[byte & 0xff]!;
}

/** One linear 16-bit sample → one μ-law byte. Values beyond ±32635 clip. */
export function linearToMulaw(sample: number): number {
  let s = Math.round(sample);
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** μ-law bytes → linear 16-bit PCM samples. */
export function decodeMulaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = DECODE_TABLE[bytes[i]!]!;
  return out;
}

/** Linear 16-bit PCM samples → μ-law bytes. */
export function encodeMulaw(samples: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToMulaw(samples[i]!);
  return out;
}

/** Milliseconds of audio in `bytes` μ-law bytes at 8 kHz. */
export function mulawDurationMs(bytes: number): number {
  return (bytes * 1000) / MULAW_SAMPLE_RATE;
}

/** μ-law bytes holding `ms` milliseconds of audio at 8 kHz. */
export function mulawBytesFor(ms: number): number {
  return Math.round((ms * MULAW_SAMPLE_RATE) / 1000);
}
