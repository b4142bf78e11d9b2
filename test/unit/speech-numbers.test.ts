import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  digitWords,
  houseNumberToWords,
  numberToWords,
  ordinalToWords,
  yearToWords,
} from '../../src/voice/speech-text.ts';
import { cardinalWords, chunkedWords, ordinalWords } from '../helpers/number-words.ts';
import { backToDigits, spaced } from './speech-readback.ts';

/** How numbers are said: cardinals, ordinals, years, house numbers and digits, against the oracle. */

describe('numberToWords', () => {
  it.each([
    [0, 'zero'],
    [7, 'seven'],
    [15, 'fifteen'],
    [21, 'twenty-one'],
    [100, 'one hundred'],
    [101, 'one hundred one'],
    [1_000, 'one thousand'],
    [1_850, 'one thousand eight hundred fifty'],
    [1_249_000, 'one million two hundred forty-nine thousand'],
    [1_000_000_000, 'one billion'],
    [2_000_000_017, 'two billion seventeen'],
    [-42, 'minus forty-two'],
  ])('%d → %s', (n, words) => expect(numberToWords(n)).toBe(words));

  it('agrees with the oracle below 100,000', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999 }), (n) => spaced(numberToWords(n)) === cardinalWords(n)));
  });

  it('reads back to the same number with the spoken-number parser', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), (n) => {
        expect(backToDigits(numberToWords(n))).toEqual([String(n)]);
      }),
    );
  });

  it('composes millions and billions from the oracle’s groups', () => {
    const upTo999999 = (n: number): string => {
      const th = Math.floor(n / 1000);
      const rest = n % 1000;
      return [th ? `${cardinalWords(th)} thousand` : '', rest ? cardinalWords(rest) : ''].filter(Boolean).join(' ');
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 0, max: 999_999 }),
        (billions, millions, rest) => {
          const n = billions * 1e9 + millions * 1e6 + rest;
          const expected = [
            billions ? `${cardinalWords(billions)} billion` : '',
            `${cardinalWords(millions)} million`,
            upTo999999(rest),
          ]
            .filter(Boolean)
            .join(' ');
          return spaced(numberToWords(n)) === expected;
        },
      ),
    );
  });

  it('refuses what is not a safe integer', () => {
    expect(() => numberToWords(1.5)).toThrow(RangeError);
  });
});

describe('ordinals, years, house numbers, digits', () => {
  it('ordinals agree with the oracle', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99 }), (n) => spaced(ordinalToWords(n)) === ordinalWords(n)));
    expect(ordinalToWords(100)).toBe('one hundredth');
    expect(ordinalToWords(112)).toBe('one hundred twelfth');
    expect(ordinalToWords(26)).toBe('twenty-sixth');
  });

  it.each([
    [1998, 'nineteen ninety-eight'],
    [1900, 'nineteen hundred'],
    [1905, 'nineteen oh five'],
    [2000, 'two thousand'],
    [2005, 'two thousand five'],
    [2010, 'twenty ten'],
    [2025, 'twenty twenty-five'],
  ])('year %d → %s', (y, words) => expect(yearToWords(y)).toBe(words));

  it.each([
    [7, 'seven'],
    [15, 'fifteen'],
    [141, 'one forty-one'],
    [105, 'one oh five'],
    [200, 'two hundred'],
    [2300, 'twenty-three hundred'],
    [1205, 'twelve oh five'],
    [4521, 'forty-five twenty-one'],
    [3000, 'three thousand'],
    [12345, 'twelve three forty-five'],
    [10050, 'ten oh fifty'],
    [123456, 'one two three four five six'],
  ])('house number %d → %s', (n, words) => expect(houseNumberToWords(n)).toBe(words));

  it('house numbers agree with the oracle’s chunked reading (round thousands are "N thousand")', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999 }), (n) => {
        const expected = n < 100 ? cardinalWords(n) : n % 1000 === 0 ? cardinalWords(n) : chunkedWords(n);
        return spaced(houseNumberToWords(n)) === expected;
      }),
    );
  });

  it('house numbers read back to the same number with the spoken-number parser', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999 }), (n) => {
        expect(backToDigits(houseNumberToWords(n))).toEqual([String(n)]);
      }),
    );
  });

  it('digits one by one', () => {
    expect(digitWords('0100')).toBe('zero one zero zero');
  });
});
