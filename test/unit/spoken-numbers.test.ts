import fc from 'fast-check';
import { cardinalWords, chunkedWords, ordinalWords } from '../helpers/number-words.ts';
import { describe, expect, it } from 'vitest';
import { ordinalSuffix, wordsToDigits } from '../../src/domain/properties/spoken-numbers.ts';

/** Splits a phrase on spaces and runs wordsToDigits, so tests read like speech. */
const digits = (phrase: string, opts?: Parameters<typeof wordsToDigits>[1]): string[] =>
  wordsToDigits(phrase.split(' '), opts);

/** Independent English ordinal suffix oracle. */
function expectedSuffix(n: number): string {
  const m100 = n % 100;
  if (m100 >= 11 && m100 <= 13) return 'th';
  return ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
}

describe('ordinalSuffix', () => {
  it.each([
    [0, 'th'],
    [1, 'st'],
    [2, 'nd'],
    [3, 'rd'],
    [4, 'th'],
    [9, 'th'],
    [10, 'th'],
    [11, 'th'],
    [12, 'th'],
    [13, 'th'],
    [14, 'th'],
    [20, 'th'],
    [21, 'st'],
    [22, 'nd'],
    [23, 'rd'],
    [24, 'th'],
    [42, 'nd'],
    [99, 'th'],
    [100, 'th'],
    [101, 'st'],
    [102, 'nd'],
    [103, 'rd'],
    [111, 'th'],
    [112, 'th'],
    [113, 'th'],
    [121, 'st'],
    [122, 'nd'],
    [123, 'rd'],
    [1011, 'th'],
    [1001, 'st'],
  ])('%i → %s', (n, suffix) => {
    expect(ordinalSuffix(n)).toBe(suffix);
  });

  it('matches the English rule for every n in 0..100000', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (n) => {
        expect(ordinalSuffix(n)).toBe(expectedSuffix(n));
      }),
    );
  });
});

describe('wordsToDigits: chunked house numbers', () => {
  it.each([
    ['one forty one', ['141']], // NOT 1401 (bug of the legacy system)
    ['twelve oh five', ['1205']],
    ['twenty twenty', ['2020']],
    ['one oh one', ['101']],
    ['nineteen oh one', ['1901']],
    ['twenty oh five', ['2005']],
    ['one ten', ['110']],
    ['one twenty', ['120']],
    ['two twenty one', ['221']],
    ['nine ninety nine', ['999']],
    ['one two three', ['123']],
    ['five', ['5']],
    ['zero', ['0']],
    ['forty', ['40']],
    ['fourty one', ['41']], // common misspelling from transcription
  ])('%s → %j', (phrase, expected) => {
    expect(digits(phrase)).toEqual(expected);
  });

  it('never reads "one forty one" as 1401', () => {
    expect(digits('one forty one')).not.toEqual(['1401']);
  });
});

describe('wordsToDigits: cardinal numbers with scale words', () => {
  it.each([
    ['one hundred forty one', ['141']],
    ['twenty three hundred', ['2300']],
    ['one hundred', ['100']],
    ['hundred', ['100']],
    ['fifteen hundred', ['1500']],
    ['one hundred five', ['105']],
    ['one hundred and five', ['105']],
    ['one hundred and forty one', ['141']],
    ['nineteen hundred and five', ['1905']],
    ['one thousand', ['1000']],
    ['two thousand twenty', ['2020']],
    ['two thousand and five', ['2005']],
    ['one thousand two hundred', ['1200']],
    ['one thousand two hundred thirty four', ['1234']],
    ['ten thousand', ['10000']],
    ['eight fifty thousand', ['850000']],
    ['one hundred forty one thousand', ['141000']],
  ])('%s → %j', (phrase, expected) => {
    expect(digits(phrase)).toEqual(expected);
  });

  it('does not absorb "and" outside a scaled number', () => {
    expect(digits('one and two')).toEqual(['1', 'and', '2']);
    expect(digits('forty one and elm')).toEqual(['41', 'and', 'elm']);
  });

  it('does not absorb "and" when no number word follows', () => {
    expect(digits('one hundred and elm')).toEqual(['100', 'and', 'elm']);
    expect(digits('one hundred and')).toEqual(['100', 'and']);
  });
});

describe('wordsToDigits: "oh" / "o"', () => {
  it('keeps "oh" / "o" as words at the start of a phrase', () => {
    expect(digits('oh')).toEqual(['oh']);
    expect(digits('o')).toEqual(['o']);
    expect(digits('oh five')).toEqual(['oh', '5']);
    expect(digits('oh one forty one elm street')).toEqual(['oh', '141', 'elm', 'street']);
  });

  it('keeps "oh" as a word right after a non-number word', () => {
    expect(digits('elm oh')).toEqual(['elm', 'oh']);
    expect(digits('street oh five')).toEqual(['street', 'oh', '5']);
  });

  it('reads "oh" / "o" as zero inside a run', () => {
    expect(digits('twelve o five')).toEqual(['1205']);
    expect(digits('four oh one')).toEqual(['401']);
    expect(digits('one oh oh one')).toEqual(['1001']);
  });

  it('"zero" at the start is a digit', () => {
    expect(digits('zero five')).toEqual(['05']);
  });
});

describe('wordsToDigits: ordinals', () => {
  it.each([
    ['first', ['1st']],
    ['second', ['2nd']],
    ['third', ['3rd']],
    ['fifth', ['5th']],
    ['tenth', ['10th']],
    ['eleventh', ['11th']],
    ['twelfth', ['12th']],
    ['thirteenth', ['13th']],
    ['twentieth', ['20th']],
    ['twenty first', ['21st']],
    ['twenty second', ['22nd']],
    ['twenty third', ['23rd']],
    ['forty second', ['42nd']],
    ['ninety ninth', ['99th']],
    ['hundredth', ['100th']],
    ['one hundredth', ['100th']],
    ['one hundred first', ['101st']],
    ['one hundred eleventh', ['111th']],
    ['one hundred twelfth', ['112th']],
  ])('%s → %j', (phrase, expected) => {
    expect(digits(phrase)).toEqual(expected);
  });

  it('splits a house number off a trailing ordinal street', () => {
    expect(digits('one forty second street')).toEqual(['1', '42nd', 'street']);
    expect(digits('five fifth avenue')).toEqual(['5', '5th', 'avenue']);
    expect(digits('eleven eleventh street')).toEqual(['11', '11th', 'street']);
    expect(digits('one twentieth street')).toEqual(['1', '20th', 'street']);
    expect(digits('twenty three hundred west forty second street')).toEqual(['2300', 'west', '42nd', 'street']);
    expect(digits('two hundred forty second street')).toEqual(['200', '42nd', 'street']);
  });

  it('compoundOrdinals (default true) reads "seven fifty fifth" as 7 55th', () => {
    expect(digits('seven fifty fifth')).toEqual(['7', '55th']);
    expect(digits('seven fifty fifth', { compoundOrdinals: true })).toEqual(['7', '55th']);
  });

  it('compoundOrdinals: false keeps the tens word with the house number', () => {
    expect(digits('seven fifty fifth', { compoundOrdinals: false })).toEqual(['750', '5th']);
    expect(digits('forty second', { compoundOrdinals: false })).toEqual(['40', '2nd']);
    // ordinals >= 10 are never compounded
    expect(digits('one twentieth', { compoundOrdinals: false })).toEqual(['1', '20th']);
  });

  it('an ordinal closes the run: the following number starts a new token', () => {
    expect(digits('fifth one')).toEqual(['5th', '1']);
    expect(digits('forty second street apartment four')).toEqual(['42nd', 'street', 'apartment', '4']);
  });

  it('"one hundred and first" → 101st', () => {
    expect(digits('one hundred and first')).toEqual(['101st']);
  });

  it('"one hundred and twenty fifth" → 125th', () => {
    expect(digits('one hundred and twenty fifth')).toEqual(['125th']);
  });
});

describe('wordsToDigits: mixed input', () => {
  it('leaves non-number words and digit tokens untouched', () => {
    expect(digits('141 elm street')).toEqual(['141', 'elm', 'street']);
    expect(digits('42nd street')).toEqual(['42nd', 'street']);
    expect(wordsToDigits([])).toEqual([]);
  });

  it('converts several runs in one phrase', () => {
    expect(digits('one forty one elm street apartment four b')).toEqual([
      '141',
      'elm',
      'street',
      'apartment',
      '4',
      'b',
    ]);
    expect(digits('twelve oh five main street suite two hundred')).toEqual(['1205', 'main', 'street', 'suite', '200']);
  });

  it('does not mutate its input', () => {
    const input = ['one', 'forty', 'one', 'elm'];
    const copy = [...input];
    wordsToDigits(input);
    expect(input).toEqual(copy);
  });
});

describe('wordsToDigits: properties', () => {
  it('reads every cardinal 1..9999 spoken with scale words', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.boolean(), (n, withAnd) => {
        expect(wordsToDigits(cardinalWords(n, withAnd).split(' '))).toEqual([String(n)]);
      }),
    );
  });

  it('reads every chunked house number 100..9999 ("one forty one", "twelve oh five")', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9999 }), (n) => {
        expect(wordsToDigits(chunkedWords(n).split(' '))).toEqual([String(n)]);
      }),
    );
  });

  it('reads every ordinal 1..99 with the right suffix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), (n) => {
        expect(wordsToDigits(ordinalWords(n).split(' '))).toEqual([`${n}${expectedSuffix(n)}`]);
      }),
    );
  });

  it('splits "<house> <ordinal> street" into house number and ordinal street', () => {
    fc.assert(
      fc.property(
        // house numbers whose spoken form does not end in a bare tens word or a scale word
        fc.integer({ min: 100, max: 9999 }).filter((h) => h % 10 !== 0),
        fc.integer({ min: 1, max: 99 }),
        (h, ord) => {
          const words = [...chunkedWords(h).split(' '), ...ordinalWords(ord).split(' '), 'street'];
          expect(wordsToDigits(words)).toEqual([String(h), `${ord}${expectedSuffix(ord)}`, 'street']);
        },
      ),
    );
  });

  it('returns non-number words unchanged', () => {
    const nonNumbers = fc.constantFrom(
      'elm',
      'street',
      'oh',
      'o',
      'and',
      'main',
      'west',
      'b',
      'apt',
      '#',
      '141',
      '42nd',
    );
    fc.assert(
      fc.property(fc.array(nonNumbers, { maxLength: 10 }), (words) => {
        // "oh"/"o" only become zero inside a run; a run never starts here, so everything is kept
        expect(wordsToDigits(words)).toEqual(words);
      }),
    );
  });
});
