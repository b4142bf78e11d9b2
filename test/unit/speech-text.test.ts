import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wordsToDigits } from '../../src/domain/properties/spoken-numbers.ts';
import {
  digitWords,
  houseNumberToWords,
  normalizeForSpeech,
  numberToWords,
  ordinalToWords,
  yearToWords,
} from '../../src/voice/speech-text.ts';
import { cardinalWords, chunkedWords, ordinalWords } from '../helpers/number-words.ts';

/** The oracle writes "forty one"; the product hyphenates "forty-one". */
const spaced = (words: string): string => words.replace(/-/g, ' ');
/** Words → digits with the repo's (independent) spoken-number parser. */
const backToDigits = (words: string): string[] => wordsToDigits(words.split(/[\s-]+/));

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

const say = normalizeForSpeech;

describe('normalizeForSpeech: prices', () => {
  it.each([
    ['$1,249,000', 'one million two hundred forty-nine thousand dollars'],
    ['$850K', 'eight hundred fifty thousand dollars'],
    ['$850k', 'eight hundred fifty thousand dollars'],
    ['$1.2M', 'one point two million dollars'],
    ['$1.25M', 'one point two five million dollars'],
    ['$1.50M', 'one point five million dollars'],
    ['$3 million', 'three million dollars'],
    ['$2,150/mo', 'two thousand one hundred fifty dollars a month'],
    ['$2,150 per month', 'two thousand one hundred fifty dollars a month'],
    ['$24,000/yr', 'twenty-four thousand dollars a year'],
    ['$250/sq ft', 'two hundred fifty dollars a square foot'],
    ['$19.99', 'nineteen dollars and ninety-nine cents'],
    ['$1.05', 'one dollar and five cents'],
    ['$0.50', 'fifty cents'],
    ['$1', 'one dollar'],
    ['$1,250,000.00', 'one million two hundred fifty thousand dollars'],
    ['$400K-$450K', 'four hundred thousand to four hundred fifty thousand dollars'],
    ['$400-450K', 'four hundred thousand to four hundred fifty thousand dollars'],
    ['$1.2M to $1.4M', 'one point two million to one point four million dollars'],
  ])('%s → %s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('keeps the sentence around the price', () => {
    expect(say('The asking price is $1,249,000.')).toBe(
      'The asking price is one million two hundred forty-nine thousand dollars.',
    );
    expect(say('Rent is $2,150/mo.')).toBe('Rent is two thousand one hundred fifty dollars a month.');
  });

  it('any whole-dollar price, with or without thousands separators, reads as the oracle says', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 99_999 }), fc.boolean(), (d, commas) => {
        const text = `$${commas ? d.toLocaleString('en-US') : d}`;
        return (
          say(`It is ${text}.`) ===
          `It is ${cardinalWords(d).replace(/(ty) (one|two|three|four|five|six|seven|eight|nine)\b/g, '$1-$2')} dollars.`
        );
      }),
    );
  });

  it('scaled prices: N.NK / N.NM read as the number, "point", the digits and the scale', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(['K', 'thousand'], ['M', 'million'], ['B', 'billion']),
        (whole, tenth, [suffix, scale]) =>
          say(`$${whole}.${tenth}${suffix}`) ===
          `${numberToWords(whole)} point ${digitWords(String(tenth))} ${scale} dollars`,
      ),
    );
  });
});

describe('normalizeForSpeech: addresses', () => {
  it.each([
    ['123 N Elm St #4B', 'one twenty-three North Elm Street, unit four B'],
    ['141 Oak Ave', 'one forty-one Oak Avenue'],
    ['2300 W 5th St Apt 12', 'twenty-three hundred West Fifth Street, apartment twelve'],
    ['15 Maple Dr', 'fifteen Maple Drive'],
    ['42 W 42nd St', 'forty-two West Forty-second Street'],
    ['100 N. Main St., Suite 200', 'one hundred North Main Street, suite two hundred'],
    ['1205 Congress Ave Unit 305', 'twelve oh five Congress Avenue, unit three oh five'],
    ['77 Sunset Blvd', 'seventy-seven Sunset Boulevard'],
    ['9 Quail Run Ln', 'nine Quail Run Lane'],
    ['500 Cedar Rd', 'five hundred Cedar Road'],
    ['8 Harbor Ct', 'eight Harbor Court'],
    ['123 North St', 'one twenty-three North Street'],
    ['1600 Pennsylvania Ave NW', 'sixteen hundred Pennsylvania Avenue Northwest'],
    ['12 Elm Street', 'twelve Elm Street'],
  ])('%s → %s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('keeps a sentence-ending period after the street type', () => {
    expect(say('Meet me at 500 Elm St. Call if late.')).toBe('Meet me at five hundred Elm Street. Call if late.');
  });

  it('state and ZIP', () => {
    expect(say('123 Elm St, Austin, TX 78701')).toBe(
      'one twenty-three Elm Street, Austin, Texas, seven eight seven zero one',
    );
    expect(say('Austin TX 78701-1234')).toBe('Austin Texas, seven eight seven zero one, one two three four');
  });

  it('units on their own', () => {
    expect(say('Unit 305 is available')).toBe('Unit three oh five is available');
    expect(say('Apt. 2C')).toBe('apartment two C');
  });

  it('any house number on a street leaves no digits and reads back to the number', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999 }),
        fc.constantFrom('', 'N ', 'S. ', 'SW '),
        fc.constantFrom('Elm', 'Oak Hollow', 'Martin Luther King Jr'),
        fc.constantFrom('St', 'Ave', 'Blvd', 'Dr', 'Ln', 'Rd', 'Ct'),
        (n, dir, name, type) => {
          const spoken = say(`${n} ${dir}${name} ${type}`);
          expect(spoken).not.toMatch(/\d/);
          expect(spoken.startsWith(houseNumberToWords(n))).toBe(true);
          expect(backToDigits(spoken.slice(0, houseNumberToWords(n).length))).toEqual([String(n)]);
        },
      ),
    );
  });
});

describe('normalizeForSpeech: phone numbers', () => {
  const expected = 'five one two, five five five, zero one zero zero';
  it.each([
    '+15125550100',
    '(512) 555-0100',
    '512-555-0100',
    '512.555.0100',
    '512 555 0100',
    '+1 512-555-0100',
    '1-512-555-0100',
    '5125550100',
  ])('%s', (text) => expect(say(text)).toBe(expected));

  it('in a sentence, and toll-free', () => {
    expect(say('Call me at (512) 555-0100.')).toBe(`Call me at ${expected}.`);
    expect(say('1-800-555-0199')).toBe('one eight hundred, five five five, zero one nine nine');
  });

  it('every format of every number reads the same, digit by digit', () => {
    const digit = fc.integer({ min: 0, max: 9 });
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.array(digit, { minLength: 9, maxLength: 9 }), (first, rest) => {
        const d = [first, ...rest].join('');
        fc.pre(!d.startsWith('800'));
        const [a, b, c] = [d.slice(0, 3), d.slice(3, 6), d.slice(6)];
        const want = `${digitWords(a)}, ${digitWords(b)}, ${digitWords(c)}`;
        for (const f of [`+1${d}`, `(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`]) expect(say(f)).toBe(want);
      }),
    );
  });
});

describe('normalizeForSpeech: dates and times', () => {
  it.each([
    ['Wed, Nov 26 at 3:00 PM', 'Wednesday, November twenty-sixth at three PM'],
    ['Nov 26', 'November twenty-sixth'],
    ['November 3rd', 'November third'],
    ['Sept. 1, 2026', 'September first, twenty twenty-six'],
    ['Thu Jan 1 2026', 'Thursday January first twenty twenty-six'],
    ['11/26/2025', 'November twenty-sixth, twenty twenty-five'],
    ['closing in Dec 2025', 'closing in December twenty twenty-five'],
    ['3/7/26', 'March seventh, twenty twenty-six'],
    ['3:30 PM', 'three thirty PM'],
    ['10:05am', 'ten oh five AM'],
    ['9 a.m.', 'nine AM'],
    ['at 3:00', "at three o'clock"],
    ['at 3:45', 'at three forty-five'],
    ['Sat 10am-2pm', 'Saturday ten AM to two PM'],
    ['3-5 PM', 'three to five PM'],
    ['10 AM - 2 PM', 'ten AM to two PM'],
    ['Fri at 5:30 pm', 'Friday at five thirty PM'],
  ])('%s → %s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('leaves weekday and month words alone outside dates', () => {
    expect(say('Sun, sand and a pool. I may call. Wed life.')).toBe('Sun, sand and a pool. I may call. Wed life.');
  });

  it('every month/day date reads as month and ordinal', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const full = [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 31 }), (m, d) => {
        const want = `${full[m]} ${spaced(ordinalWords(d))}`;
        return (
          spaced(say(`${months[m]} ${d}`)) === want && spaced(say(`${m + 1}/${d}/2030`)) === `${want}, twenty thirty`
        );
      }),
    );
  });
});

describe('normalizeForSpeech: listing shorthand', () => {
  it.each([
    ['6.5%', 'six point five percent'],
    ['3%', 'three percent'],
    ['-2.1%', 'minus two point one percent'],
    ['1,850 sq ft', 'one thousand eight hundred fifty square feet'],
    ['2,400 SF', 'two thousand four hundred square feet'],
    ['1,200 sqft', 'one thousand two hundred square feet'],
    ['950 Sq. Ft.', 'nine hundred fifty square feet'],
    ['0.25 acres', 'zero point two five acres'],
    ['1 acre', 'one acre'],
    ['3bd/2ba', 'three bed, two bath'],
    ['4 BR / 2.5 BA', 'four bed, two and a half bath'],
    ['3 bd', 'three bedrooms'],
    ['1 br', 'one bedroom'],
    ['2.5 ba', 'two and a half bathrooms'],
    ['2.5 baths', 'two and a half baths'],
    ['MLS# 5012345', 'MLS number five zero one two three four five'],
    ['Kitchen 12x14', 'Kitchen twelve by fourteen'],
    ['the 2nd floor', 'the second floor'],
    ['built in 1998', 'built in nineteen ninety-eight'],
    ['3-5 days', 'three to five days'],
    ['a 2-car garage', 'a two-car garage'],
    ['Pool & spa w/ view', 'Pool and spa with view'],
    ['approx. 40 minutes', 'approximately forty minutes'],
    ['lot #12', 'lot number twelve'],
  ])('%s → %s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('a whole listing blurb', () => {
    expect(
      say(
        'Just listed: 123 N Elm St #4B, a 3bd/2ba with 1,850 sq ft at $1,249,000. Open house Sat 10am-2pm. Call (512) 555-0100.',
      ),
    ).toBe(
      'Just listed: one twenty-three North Elm Street, unit four B, a three bed, two bath with one thousand eight hundred fifty square feet ' +
        'at one million two hundred forty-nine thousand dollars. Open house Saturday ten AM to two PM. ' +
        'Call five one two, five five five, zero one zero zero.',
    );
  });
});

describe('normalizeForSpeech: properties', () => {
  const word = fc.stringMatching(/^[a-z]{1,10}$/);

  it('text without numbers or symbols comes back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(word, fc.constantFrom(' ', ', ', '. ', '? ')), { maxLength: 12 }), (parts) => {
        const text = parts
          .map(([w, sep]) => w + sep)
          .join('')
          .trim();
        fc.pre(!/approx/.test(text));
        return say(text) === text;
      }),
    );
  });

  it('leaves no digits in generated real-estate sentences, and is idempotent', () => {
    const sentence = fc.oneof(
      fc.integer({ min: 1, max: 50_000_000 }).map((n) => `Priced at $${n.toLocaleString('en-US')}.`),
      fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('K', 'M')).map(([n, s]) => `About $${n}${s} now.`),
      fc.integer({ min: 1, max: 99_999 }).map((n) => `It is at ${n} W Lake Dr.`),
      fc
        .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom('AM', 'PM'))
        .map(([h, m, ap]) => `Come at ${h}:${String(m).padStart(2, '0')} ${ap}.`),
      fc
        .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 6 }))
        .map(([b, ba]) => `A ${b}bd/${ba}ba home.`),
      fc.integer({ min: 100, max: 99_999 }).map((n) => `${n.toLocaleString('en-US')} sq ft of space.`),
      fc
        .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9 }))
        .map(([a, b]) => `Rates near ${a}.${b}%.`),
    );
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 4 }), (parts) => {
        const spoken = say(parts.join(' '));
        expect(spoken).not.toMatch(/\d/);
        expect(say(spoken)).toBe(spoken);
      }),
    );
  });
});
