import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForSpeech } from '../../src/voice/speech-text.ts';
import { ordinalWords } from '../helpers/number-words.ts';
import { spaced } from './speech-readback.ts';

/** normalizeForSpeech: dates and times, listing shorthand, and properties over generated text. */

const say = normalizeForSpeech;

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
