import { describe, expect, it } from 'vitest';
import {
  decodeMulaw,
  encodeMulaw,
  linearToMulaw,
  MULAW_SILENCE,
  mulawBytesFor,
  mulawDurationMs,
  mulawToLinear,
} from '../../src/voice/audio/mulaw.ts';
import { mulawLevelDbfs, mulawTone } from '../../src/voice/audio/signal.ts';

describe('G.711 μ-law', () => {
  it('decodes to the standard table values', () => {
    // Corners and a few entries of the G.711 μ-law expansion table.
    const known: [number, number][] = [
      [0x00, -32124],
      [0x0f, -16764],
      [0x10, -15996],
      [0x55, -716],
      [0x70, -120],
      [0x7e, -8],
      [0x7f, 0],
      [0x80, 32124],
      [0x8f, 16764],
      [0xd5, 716],
      [0xef, 132],
      [0xf0, 120],
      [0xfe, 8],
      [0xff, 0],
    ];
    for (const [byte, linear] of known) expect([byte, mulawToLinear(byte)]).toEqual([byte, linear]);
  });

  it('encodes known samples', () => {
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToMulaw(-1)).toBe(0x7f);
    expect(linearToMulaw(8)).toBe(0xfe);
    expect(linearToMulaw(-8)).toBe(0x7e);
    expect(linearToMulaw(120)).toBe(0xf0);
    expect(linearToMulaw(1000)).toBe(0xce);
    expect(linearToMulaw(-1000)).toBe(0x4e);
    expect(linearToMulaw(32767)).toBe(0x80);
    expect(linearToMulaw(-32768)).toBe(0x00);
    // Beyond the clip level everything is the loudest code.
    expect(linearToMulaw(40000)).toBe(0x80);
  });

  it('round-trips every code (0x7F, negative zero, comes back as 0xFF)', () => {
    for (let byte = 0; byte < 256; byte++) {
      expect(linearToMulaw(mulawToLinear(byte))).toBe(byte === 0x7f ? 0xff : byte);
    }
  });

  it('is sign-symmetric, monotonic, and quantizes within one step of its segment', () => {
    const wrong: string[] = [];
    let previous = -Infinity;
    for (let s = -32768; s <= 32767; s++) {
      const code = linearToMulaw(s);
      const decoded = mulawToLinear(code);
      const step = 8 << ((~code >> 4) & 0x07);
      if (s !== 0 && linearToMulaw(-s) !== (code ^ 0x80)) wrong.push(`${s}: not symmetric`);
      if (decoded < previous) wrong.push(`${s}: decodes below ${s - 1}`);
      if (Math.abs(Math.max(-32635, Math.min(32635, s)) - decoded) > step) wrong.push(`${s}: off by more than a step`);
      previous = decoded;
    }
    expect(wrong).toEqual([]);
  });

  it('converts buffers and durations (8 kHz, one byte a sample)', () => {
    const samples = Int16Array.from([0, 8, -8, 1000, -32768]);
    const bytes = encodeMulaw(samples);
    expect([...bytes]).toEqual([0xff, 0xfe, 0x7e, 0xce, 0x00]);
    expect([...decodeMulaw(bytes)]).toEqual([0, 8, -8, 988, -32124]);
    expect(mulawBytesFor(20)).toBe(160);
    expect(mulawDurationMs(400)).toBe(50);
  });

  it('measures levels: silence, a quiet tone, a loud tone', () => {
    expect(mulawLevelDbfs(Buffer.alloc(160, MULAW_SILENCE))).toBe(-Infinity);
    const quiet = mulawLevelDbfs(mulawTone(20, { hz: 220, dbfs: -30 }));
    const loud = mulawLevelDbfs(mulawTone(20, { hz: 300, dbfs: -12 }));
    // A sine's RMS is 3 dB under its peak.
    expect(quiet).toBeCloseTo(-33, 0);
    expect(loud).toBeCloseTo(-15, 0);
  });
});
