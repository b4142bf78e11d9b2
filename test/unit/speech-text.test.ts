import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digitWords, houseNumberToWords, normalizeForSpeech, numberToWords } from '../../src/voice/speech-text.ts';
import { cardinalWords } from '../helpers/number-words.ts';
import { backToDigits } from './speech-readback.ts';

/** normalizeForSpeech: prices, addresses and phone numbers (dates and listings: speech-text-listings.test.ts). */

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
