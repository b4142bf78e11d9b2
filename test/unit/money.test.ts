import fc from 'fast-check';
import { cardinalWords } from '../helpers/number-words.ts';
import { describe, expect, it } from 'vitest';
import { formatPrice, parsePrice } from '../../src/domain/shared/money.ts';

describe('parsePrice: numbers', () => {
  it.each([
    [850000, 850000],
    [0, 0],
    [1.5, 1.5],
    [1_200_000, 1_200_000],
  ])('%d → %d', (input, expected) => {
    expect(parsePrice(input)).toBe(expected);
  });

  it.each([-1, -0.01, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('%d → null', (input) => {
    expect(parsePrice(input)).toBeNull();
  });
});

describe('parsePrice: typed strings', () => {
  it.each([
    ['850000', 850000],
    ['$850,000', 850000],
    ['$850,000.00', 850000],
    ['850,000.50', 850000.5],
    ['$1,250,000', 1_250_000],
    ['1,000', 1000],
    ['0', 0],
    ['  850000  ', 850000],
    ['$ 850000', 850000],
    ['850k', 850000],
    ['850K', 850000],
    ['$850k', 850000],
    ['850 k', 850000],
    ['1.25k', 1250],
    ['850 thousand', 850000],
    ['1.2 million', 1_200_000],
    ['1.2 Million Dollars', 1_200_000],
    ['$1.2M', 1_200_000],
    ['1.5m', 1_500_000],
    ['2 mil', 2_000_000],
    ['2 mill', 2_000_000],
    ['1 billion', 1_000_000_000],
    ['2b', 2_000_000_000],
    ['850 grand', 850000],
    ['850,000 dollars', 850000],
    ['850000 USD', 850000],
    ['fifty bucks', 50],
    ['1 dollar', 1],
  ])('%s → %d', (input, expected) => {
    expect(parsePrice(input)).toBe(expected);
  });

  it('rounds to cents', () => {
    expect(parsePrice('850000.999')).toBe(850001);
    expect(parsePrice('19.994')).toBe(19.99);
  });
});

describe('parsePrice: spoken strings', () => {
  it.each([
    ['eight hundred fifty thousand', 850000],
    ['eight hundred and fifty thousand', 850000],
    ['eight fifty thousand', 850000],
    ['three fifty k', 350000],
    ['nine ninety nine thousand', 999000],
    ['one point two million', 1_200_000],
    ['one point two five million', 1_250_000],
    ['two point five m', 2_500_000],
    ['one million', 1_000_000],
    ['two million dollars', 2_000_000],
    ['a hundred thousand', 100000],
    ['a hundred and fifty thousand', 150000],
    ['a hundred grand', 100000],
    ['eight fifty grand', 850000],
    ['twelve thousand', 12000],
    ['one hundred twenty five thousand', 125000],
  ])('%s → %d', (input, expected) => {
    expect(parsePrice(input)).toBe(expected);
  });
});

describe('parsePrice: junk → null', () => {
  it.each([
    '',
    '   ',
    '$',
    'abc',
    'call me',
    '850 elm',
    'about 850k',
    '1 2',
    '850000 900000',
    '12,34',
    '1.2.3',
    '-5',
    'k',
    'million',
    'million 1',
    'dollars',
    'and',
  ])('%j → null', (input) => {
    expect(parsePrice(input)).toBeNull();
  });
});

describe('parsePrice: known gaps', () => {
  it('"a million" → 1000000', () => {
    expect(parsePrice('a million')).toBe(1_000_000);
  });

  it('"one million two hundred thousand" → 1200000', () => {
    expect(parsePrice('one million two hundred thousand')).toBe(1_200_000);
  });

  it('"1 million 200 thousand" → 1200000', () => {
    expect(parsePrice('1 million 200 thousand')).toBe(1_200_000);
  });

  it('"two million five hundred thousand" → 2500000', () => {
    expect(parsePrice('two million five hundred thousand')).toBe(2_500_000);
  });

  it('"half a million" → 500000', () => {
    expect(parsePrice('half a million')).toBe(500_000);
  });
});

describe('formatPrice', () => {
  it.each([
    [850000, '$850,000'],
    [0, '$0'],
    [999, '$999'],
    [1000, '$1,000'],
    [1_250_000, '$1,250,000'],
    [1e9, '$1,000,000,000'],
    [1234.56, '$1,235'],
    [999.5, '$1,000'],
    [0.4, '$0'],
  ])('%d → %s', (n, expected) => {
    expect(formatPrice(n)).toBe(expected);
  });

  it('formats negatives as -$5,000', () => {
    expect(formatPrice(-5000)).toBe('-$5,000');
  });
});

// ---- property-based ----

describe('parsePrice properties', () => {
  it('parsePrice(String(n)) === n for non-negative integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (n) => {
        expect(parsePrice(String(n))).toBe(n);
      }),
    );
  });

  it('parsePrice(n) === n for finite non-negative numbers', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (n) => {
        expect(parsePrice(n)).toBe(n);
      }),
    );
  });

  it('parsePrice(n) === null for negative numbers', () => {
    fc.assert(
      fc.property(fc.double({ max: -Number.MIN_VALUE, noNaN: true }), (n) => {
        expect(parsePrice(n)).toBeNull();
      }),
    );
  });

  it('round-trips formatPrice for integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (n) => {
        expect(parsePrice(formatPrice(n))).toBe(n);
      }),
    );
  });

  it('"<n>k" and "<n> thousand" are n * 1000', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (n) => {
        expect(parsePrice(`${n}k`)).toBe(n * 1000);
        expect(parsePrice(`$${n} thousand`)).toBe(n * 1000);
      }),
    );
  });

  it('"<d.dd> million" is the amount in dollars', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const text = `${whole}.${String(cents).padStart(2, '0')} million`;
        expect(parsePrice(text)).toBe(whole * 1_000_000 + cents * 10_000);
      }),
    );
  });

  it('spoken "<words> thousand" is n * 1000 for n in 1..999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), (n) => {
        expect(parsePrice(`${cardinalWords(n)} thousand`)).toBe(n * 1000);
      }),
    );
  });

  it('never throws and returns null or a finite non-negative number for any string', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const v = parsePrice(s);
        if (v !== null) {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
