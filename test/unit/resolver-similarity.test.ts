import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { similarity } from '../../src/domain/properties/resolver.ts';

describe('similarity', () => {
  it.each([
    ['', '', 1],
    ['abc', 'abc', 1],
    ['141 elm st', '141 elm st', 1],
    ['', 'abc', 0],
    ['abc', '', 0],
    ['abc', 'xyz', 0],
    ['A', 'a', 0], // case-sensitive: callers must normalise
    ['abc', 'abd', 1 - 1 / 3],
    ['kitten', 'sitting', 1 - 3 / 7],
    ['elm', 'elms', 0.75],
    ['main', 'maine', 0.8],
    ['pennsylvania', 'pensylvania', 1 - 1 / 12],
    ['oak', 'oka', 1 - 2 / 3],
  ])('similarity(%j, %j) = %d', (a, b, expected) => {
    expect(similarity(a, b)).toBeCloseTo(expected, 12);
  });

  it('normalises by the longer string', () => {
    expect(similarity('a', 'aaaa')).toBe(0.25);
    expect(similarity('aaaa', 'a')).toBe(0.25);
  });

  it('one substitution in a 4-5 letter word reaches the 0.75 resolver cut-off; a transposition does not', () => {
    expect(similarity('maple', 'mapel')).toBe(0.6);
    expect(similarity('cedar', 'ceder')).toBe(0.8);
    expect(similarity('park', 'parc')).toBe(0.75);
  });

  const arbStr = fc.string({ maxLength: 20 });

  it('is within [0, 1]', () => {
    fc.assert(
      fc.property(arbStr, arbStr, (a, b) => {
        const s = similarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(arbStr, arbStr, (a, b) => {
        expect(similarity(a, b)).toBe(similarity(b, a));
      }),
    );
  });

  it('is 1 exactly for identical strings', () => {
    fc.assert(
      fc.property(arbStr, (a) => {
        expect(similarity(a, a)).toBe(1);
      }),
    );
  });

  it('is below 1 for different strings', () => {
    fc.assert(
      fc.property(arbStr, arbStr, (a, b) => {
        fc.pre(a !== b);
        expect(similarity(a, b)).toBeLessThan(1);
      }),
    );
  });

  it('is 0 against the empty string for any non-empty string', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (a) => {
        expect(similarity(a, '')).toBe(0);
      }),
    );
  });

  it('appending one character to an n-char string gives n / (n + 1)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 1 }), (a, c) => {
        const n = a.length;
        expect(similarity(a, a + c)).toBeCloseTo(n / (n + 1), 12);
      }),
    );
  });
});
