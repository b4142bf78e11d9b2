/**
 * 24 kHz 16-bit PCM (OpenAI `pcm` speech) → 8 kHz μ-law (telephone audio): anti-alias FIR, 3:1 decimation,
 * μ-law encoding. Pure and synchronous; on a live call it runs in a worker thread (resampler-pool.ts).
 */
import { encodeMulaw } from './mulaw.ts';

/** Input rate of OpenAI `pcm` speech. */
export const PCM_INPUT_RATE = 24_000;
/** Decimation factor to telephone audio (8 kHz). */
export const DECIMATION = 3;

/**
 * The anti-aliasing low-pass filter: a linear-phase FIR (Kaiser-windowed sinc) for 24 kHz input, passband to
 * ~3.2 kHz, cut-off (−6 dB) at 3.6 kHz, stopband from 4 kHz (the 8 kHz output's Nyquist frequency) at ≥ 70 dB
 * down; unity gain at DC. 131 taps: 2.7 ms group delay, which the decimator compensates.
 */
export function designAntiAliasFilter(
  taps = 131,
  cutoffHz = 3_600,
  sampleRate = PCM_INPUT_RATE,
  beta = 6.76,
): Float64Array {
  if (taps % 2 === 0) throw new RangeError('designAntiAliasFilter: taps must be odd (linear phase, integer delay)');
  const h = new Float64Array(taps);
  const mid = (taps - 1) / 2;
  const fc = cutoffHz / sampleRate;
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    const m = n - mid;
    const sinc = m === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
    const r = m / mid;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    h[n] = sinc * window;
    sum += h[n]!;
  }
  for (let n = 0; n < taps; n++) h[n]! /= sum;
  return h;
}

/** Zeroth-order modified Bessel function of the first kind (series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

const SHARED_FILTER = designAntiAliasFilter();

/**
 * Streaming 24 kHz 16-bit LE mono PCM → 8 kHz μ-law. Output sample k is the filtered input around input sample 3k
 * (the filter's delay is compensated: no shift in time), so S input samples give exactly ceil(S / 3) output bytes
 * once `end()` has flushed the last ones. Chunks may split a sample between them (an odd byte is carried over).
 * Only every third filter output is computed (the others would be discarded): ~44 multiply-adds per input sample.
 */
export class Pcm24kToMulaw8k {
  private readonly h: Float64Array;
  private readonly delay: number;
  /** Input samples from absolute index `base` on (those still needed). */
  private buffer: Float64Array;
  private base: number;
  private length = 0;
  /** Next output sample index. */
  private k = 0;
  /** Input samples received. */
  private received = 0;
  private oddByte: number | null = null;
  private ended = false;

  constructor(filter: Float64Array = SHARED_FILTER) {
    this.h = filter;
    this.delay = (filter.length - 1) / 2;
    // The samples before the first are silence: the buffer starts `delay` zeros early.
    this.base = -this.delay;
    this.buffer = new Float64Array(Math.max(4_096, filter.length * 4));
    this.length = this.delay;
  }

  /** Converts the next PCM bytes; returns the μ-law bytes now complete (possibly none). */
  push(pcm: Uint8Array): Buffer {
    if (this.ended) throw new Error('Pcm24kToMulaw8k: push after end');
    let bytes = pcm;
    if (this.oddByte !== null && bytes.length > 0) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.oddByte;
      joined.set(bytes, 1);
      bytes = joined;
      this.oddByte = null;
    }
    const count = bytes.length >> 1;
    if (bytes.length & 1) this.oddByte = bytes[bytes.length - 1]!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
    this.reserve(count);
    for (let i = 0; i < count; i++) this.buffer[this.length + i] = view.getInt16(i * 2, true);
    this.length += count;
    this.received += count;
    return this.drain();
  }

  /** No more input: the remaining output (the last samples, filtered against silence after the end). */
  end(): Buffer {
    if (this.ended) return Buffer.alloc(0);
    this.ended = true;
    const total = Math.ceil(this.received / DECIMATION);
    // Silence after the end, as far as the last output's filter reaches.
    const needed = DECIMATION * (total - 1) + this.delay + 1 - (this.base + this.length);
    if (needed > 0) {
      this.reserve(needed);
      this.buffer.fill(0, this.length, this.length + needed);
      this.length += needed;
    }
    return this.drain(total);
  }

  private drain(limit = Infinity): Buffer {
    const h = this.h;
    const taps = h.length;
    const out: number[] = [];
    // Output k needs input 3k − delay … 3k + delay.
    while (this.k < limit && DECIMATION * this.k + this.delay < this.base + this.length) {
      const start = DECIMATION * this.k - this.delay - this.base;
      let acc = 0;
      for (let j = 0; j < taps; j++) acc += h[j]! * this.buffer[start + j]!;
      out.push(acc);
      this.k++;
    }
    // Drop what no later output needs.
    const keepFrom = DECIMATION * this.k - this.delay - this.base;
    if (keepFrom > 0) {
      this.buffer.copyWithin(0, keepFrom, this.length);
      this.length -= keepFrom;
      this.base += keepFrom;
    }
    return encodeMulaw(out);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Float64Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
