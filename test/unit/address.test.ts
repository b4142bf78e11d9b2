import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressKey,
  formatAddressTokens,
  isGenericToken,
  spokenToAddress,
  tokenizeAddress,
} from '../../src/domain/properties/address.ts';

const tokens = (text: string, opts?: Parameters<typeof tokenizeAddress>[1]): string[] =>
  tokenizeAddress(text, opts).tokens;

describe('tokenizeAddress: basics', () => {
  it('canonicalises a plain written address', () => {
    expect(tokenizeAddress('141 Elm Street')).toMatchObject({
      tokens: ['141', 'elm', 'st'],
      houseNumber: '141',
      unit: null,
    });
  });

  it.each([
    ['141 Elm Street', ['141', 'elm', 'st']],
    ['141 Elm St.', ['141', 'elm', 'st']],
    ['141 elm str', ['141', 'elm', 'st']],
    ['9 Oak Avenue', ['9', 'oak', 'ave']],
    ['9 Oak Av', ['9', 'oak', 'ave']],
    ['9 Oak Boulevard', ['9', 'oak', 'blvd']],
    ['9 Oak Drive', ['9', 'oak', 'dr']],
    ['9 Oak Road', ['9', 'oak', 'rd']],
    ['9 Oak Lane', ['9', 'oak', 'ln']],
    ['9 Oak Court', ['9', 'oak', 'ct']],
    ['9 Oak Place', ['9', 'oak', 'pl']],
    ['9 Oak Terrace', ['9', 'oak', 'ter']],
    ['9 Oak Circle', ['9', 'oak', 'cir']],
    ['9 Oak Parkway', ['9', 'oak', 'pkwy']],
    ['9 Oak Highway', ['9', 'oak', 'hwy']],
    ['9 Oak Square', ['9', 'oak', 'sq']],
    ['9 Oak Trail', ['9', 'oak', 'trl']],
    ['9 Oak Alley', ['9', 'oak', 'aly']],
    ['9 Oak Crescent', ['9', 'oak', 'cres']],
    ['9 Oak Expressway', ['9', 'oak', 'expy']],
    ['9 Oak Freeway', ['9', 'oak', 'fwy']],
    ['9 Oak Plaza', ['9', 'oak', 'plz']],
    ['9 Oak Way', ['9', 'oak', 'way']],
  ])('%s → %j', (text, expected) => {
    expect(tokens(text)).toEqual(expected);
  });

  it('ignores punctuation and extra whitespace', () => {
    expect(tokens('  141   Elm   Street ,  ')).toEqual(['141', 'elm', 'st']);
    expect(tokens('141 "Elm" (Street);')).toEqual(['141', 'elm', 'st']);
  });

  it('handles empty input', () => {
    expect(tokenizeAddress('')).toMatchObject({ tokens: [], houseNumber: null, unit: null });
    expect(tokenizeAddress('   ')).toMatchObject({ tokens: [], houseNumber: null, unit: null });
  });

  it('houseNumber is null when the address does not start with a number', () => {
    expect(tokenizeAddress('Elm Street').houseNumber).toBeNull();
    expect(tokenizeAddress('Elm Street').tokens).toEqual(['elm', 'st']);
  });

  it('a lone suffix word is not abbreviated (needs a position > 0)', () => {
    expect(tokens('street')).toEqual(['street']);
  });

  it('converts number words in written addresses too', () => {
    expect(tokenizeAddress('One Forty One Elm Street')).toMatchObject({
      tokens: ['141', 'elm', 'st'],
      houseNumber: '141',
      unit: null,
    });
    expect(tokens('100 Fifth Avenue')).toEqual(['100', '5th', 'ave']);
    expect(tokens('100 5th Avenue')).toEqual(['100', '5th', 'ave']);
  });

  it('reads hyphenated number words ("forty-one", "forty-second")', () => {
    expect(tokens('one forty-one elm street')).toEqual(['141', 'elm', 'st']);
    expect(tokens('200 west forty-second street')).toEqual(['200', 'w', '42nd', 'st']);
  });

  it('keeps hyphens that touch a digit', () => {
    expect(tokens('12-14 Elm Street')).toEqual(['12-14', 'elm', 'st']);
    expect(tokenizeAddress('12-14 Elm Street').houseNumber).toBeNull();
  });
});

describe('tokenizeAddress: suffix words inside the street name', () => {
  it('keeps a suffix word that is not in last position ("Court Street")', () => {
    expect(tokens('12 Court Street')).toEqual(['12', 'court', 'st']);
    expect(tokens('5 Park Avenue')).toEqual(['5', 'park', 'ave']);
    expect(tokens('5 Parkway Drive')).toEqual(['5', 'parkway', 'dr']);
    expect(tokens('10 Way Road')).toEqual(['10', 'way', 'rd']);
  });

  it('keeps "St" meaning Saint', () => {
    expect(tokens('100 St James Place')).toEqual(['100', 'st', 'james', 'pl']);
  });
});

describe('tokenizeAddress: directions', () => {
  it('abbreviates a direction right after the house number', () => {
    expect(tokens('200 West 42nd Street')).toEqual(['200', 'w', '42nd', 'st']);
    expect(tokens('200 W 42nd St')).toEqual(['200', 'w', '42nd', 'st']);
    expect(tokens('5 Northeast Main Street')).toEqual(['5', 'ne', 'main', 'st']);
  });

  it('abbreviates a trailing direction and the suffix before it', () => {
    expect(tokens('1600 Pennsylvania Avenue Northwest')).toEqual(['1600', 'pennsylvania', 'ave', 'nw']);
    expect(tokens('100 Main Street South')).toEqual(['100', 'main', 'st', 's']);
    expect(tokens('141 Elm St N')).toEqual(['141', 'elm', 'st', 'n']);
  });

  it('leaves a direction word in the middle of the street name alone', () => {
    expect(tokens('5 Old North Road')).toEqual(['5', 'old', 'north', 'rd']);
  });

  it('abbreviates the suffix before an already-abbreviated trailing direction ("141 Elm Street N")', () => {
    expect(tokens('141 Elm Street N')).toEqual(['141', 'elm', 'st', 'n']);
  });

  it('abbreviates "Avenue" in "1600 Pennsylvania Avenue NW"', () => {
    expect(tokens('1600 Pennsylvania Avenue NW')).toEqual(['1600', 'pennsylvania', 'ave', 'nw']);
  });
});

describe('tokenizeAddress: units', () => {
  it.each([
    ['141 Elm St #4B', '4b'],
    ['141 Elm St # 4B', '4b'],
    ['141 Elm St#4B', '4b'],
    ['141 Elm Street, Apt. 4B', '4b'],
    ['141 Elm Street Apartment 4 B', '4b'],
    ['141 Elm St Apt#4', '4'],
    ['141 Elm St Suite 200', '200'],
    ['141 Elm St Ste 200', '200'],
    ['141 Elm St Unit C', 'c'],
    ['141 Elm St Number 7', '7'],
    ['141 Elm St No. 7', '7'],
  ])('%s → unit %s', (text, unit) => {
    const t = tokenizeAddress(text);
    expect(t.unit).toBe(unit);
    expect(t.houseNumber).toBe('141');
    expect(t.tokens).toEqual(['141', 'elm', 'st', '#', unit]);
  });

  it('keeps a unit designator without an id as a street word', () => {
    expect(tokenizeAddress('141 Elm St Apt')).toMatchObject({
      tokens: ['141', 'elm', 'st', 'apt'],
      houseNumber: '141',
      unit: null,
    });
  });

  it('does not treat a leading unit word as a unit', () => {
    expect(tokenizeAddress('# 5').unit).toBeNull();
  });

  it('reads spoken unit numbers', () => {
    expect(tokenizeAddress('141 elm street apartment four oh one').unit).toBe('401');
    expect(tokenizeAddress('141 elm street suite two hundred').unit).toBe('200');
  });

  it('"141 Elm Street Apt 12-A" keeps unit 12a like "141 Elm St Apt 12A"', () => {
    expect(tokenizeAddress('141 Elm Street Apt 12-A')).toMatchObject({
      tokens: ['141', 'elm', 'st', '#', '12a'],
      houseNumber: '141',
      unit: '12a',
    });
  });
});

describe('tokenizeAddress: letter after the house number', () => {
  it('"221 b baker street" → 221b', () => {
    expect(tokenizeAddress('221 b baker street')).toMatchObject({
      tokens: ['221b', 'baker', 'st'],
      houseNumber: '221b',
      unit: null,
    });
    expect(tokenizeAddress('221B Baker Street').houseNumber).toBe('221b');
  });

  it('does not merge a direction letter', () => {
    expect(tokens('200 w 42nd st')).toEqual(['200', 'w', '42nd', 'st']);
    expect(tokens('500 E Street')).toEqual(['500', 'e', 'st']);
  });

  it('"1500 K Street NW" keeps K as the street name', () => {
    expect(tokenizeAddress('1500 K Street NW')).toMatchObject({
      tokens: ['1500', 'k', 'st', 'nw'],
      houseNumber: '1500',
      unit: null,
    });
  });
});

describe('tokenizeAddress: spoken', () => {
  it('strips leading fillers when spoken', () => {
    expect(tokens('the house on one forty one elm street', { spoken: true })).toEqual(['141', 'elm', 'st']);
    expect(tokens('the property at one forty one elm street', { spoken: true })).toEqual(['141', 'elm', 'st']);
    expect(tokens('the one on one forty one elm street', { spoken: true })).toEqual(['141', 'elm', 'st']);
    expect(tokens('the listing located on elm street', { spoken: true })).toEqual(['elm', 'st']);
    expect(tokens('on one forty one elm street', { spoken: true })).toEqual(['141', 'elm', 'st']);
    expect(tokens('at one forty one elm street', { spoken: true })).toEqual(['141', 'elm', 'st']);
  });

  it('does not strip fillers when not spoken', () => {
    expect(tokens('the house on elm street')).toEqual(['the', 'house', 'on', 'elm', 'st']);
  });

  it('passes compoundOrdinals through', () => {
    expect(tokens('seven fifty fifth street', { spoken: true })).toEqual(['7', '55th', 'st']);
    expect(tokens('seven fifty fifth street', { spoken: true, compoundOrdinals: false })).toEqual(['750', '5th', 'st']);
  });
});

describe('addressKey', () => {
  it('matches the same address written differently', () => {
    expect(addressKey('141 Elm Street, Apt. 4B', 'Austin', 'tx')).toBe(addressKey('141 elm st #4b', 'austin', 'TX'));
    expect(addressKey('141 elm st #4b', 'austin', 'TX')).toBe('141 elm st # 4b|austin|tx');
  });

  it('all unit designators collapse to one key', () => {
    const keys = ['Apt 4B', 'Apartment 4B', 'Unit 4B', 'Suite 4B', 'Ste 4B', '#4B', 'No. 4B'].map((u) =>
      addressKey(`141 Elm St ${u}`, 'Austin', 'TX'),
    );
    expect(new Set(keys).size).toBe(1);
  });

  it('matches spoken and written forms of the same street', () => {
    expect(addressKey('one forty one elm street', 'Austin', 'TX')).toBe(addressKey('141 Elm St', 'Austin', 'TX'));
    expect(addressKey('200 West Forty-Second Street', 'New York', 'NY')).toBe(
      addressKey('200 W 42nd St', 'new york', 'ny'),
    );
    expect(addressKey('1600 Pennsylvania Avenue Northwest', 'Washington', 'DC')).toBe(
      addressKey('1600 pennsylvania ave nw', 'washington', 'dc'),
    );
  });

  it('normalises city punctuation/whitespace and state case/whitespace', () => {
    expect(addressKey('1 Main St', '  St. Louis ', ' mo ')).toBe('1 main st|st louis|mo');
    expect(addressKey('1 Main St', 'Winston-Salem', 'NC')).toBe('1 main st|winston salem|nc');
  });

  it('distinguishes different units, house numbers, cities and states', () => {
    const base = addressKey('141 Elm St Apt 4B', 'Austin', 'TX');
    expect(addressKey('141 Elm St Apt 4C', 'Austin', 'TX')).not.toBe(base);
    expect(addressKey('141 Elm St', 'Austin', 'TX')).not.toBe(base);
    expect(addressKey('143 Elm St Apt 4B', 'Austin', 'TX')).not.toBe(base);
    expect(addressKey('141 Elm St Apt 4B', 'Dallas', 'TX')).not.toBe(base);
    expect(addressKey('141 Elm St Apt 4B', 'Austin', 'MN')).not.toBe(base);
    expect(addressKey('141 Elm Ave Apt 4B', 'Austin', 'TX')).not.toBe(base);
  });

  it('"1600 Pennsylvania Avenue NW" has the same key as "1600 Pennsylvania Ave NW"', () => {
    expect(addressKey('1600 Pennsylvania Avenue NW', 'Washington', 'DC')).toBe(
      addressKey('1600 Pennsylvania Ave NW', 'Washington', 'DC'),
    );
  });

  it('"141 Elm Street Apt 12-A" has the same key as "141 Elm St Apt 12A"', () => {
    expect(addressKey('141 Elm Street Apt 12-A', 'Austin', 'TX')).toBe(
      addressKey('141 Elm St Apt 12A', 'Austin', 'TX'),
    );
  });
});

describe('formatAddressTokens', () => {
  it('formats canonical tokens for display', () => {
    expect(formatAddressTokens(['141', 'elm', 'st'])).toBe('141 Elm St');
    expect(formatAddressTokens(['200', 'w', '42nd', 'st', '#', '4b'])).toBe('200 W 42nd St Apt 4B');
    expect(formatAddressTokens(['1600', 'pennsylvania', 'ave', 'nw'])).toBe('1600 Pennsylvania Ave NW');
    expect(formatAddressTokens(['221b', 'baker', 'st'])).toBe('221b Baker St');
    expect(formatAddressTokens(['5', 'ne', 'main', 'blvd'])).toBe('5 NE Main Blvd');
    expect(formatAddressTokens(['9', 'oak', 'pkwy'])).toBe('9 Oak Pkwy');
  });

  it('uses the given unit label', () => {
    expect(formatAddressTokens(['141', 'elm', 'st', '#', '200'], 'Ste')).toBe('141 Elm St Ste 200');
    expect(formatAddressTokens(['141', 'elm', 'st', '#', 'c'], 'Unit')).toBe('141 Elm St Unit C');
  });

  it('drops a dangling "#" and anything after the unit id', () => {
    expect(formatAddressTokens(['141', 'elm', 'st', '#'])).toBe('141 Elm St');
    expect(formatAddressTokens(['141', 'elm', 'st', '#', '4b', 'extra'])).toBe('141 Elm St Apt 4B');
  });

  it('handles empty input', () => {
    expect(formatAddressTokens([])).toBe('');
  });

  it('lower-cases tokens that start with a digit and capitalises words', () => {
    expect(formatAddressTokens(['42ND', 'st'])).toBe('42nd St');
    expect(formatAddressTokens(['court', 'st'])).toBe('Court St');
  });
});

describe('spokenToAddress', () => {
  it.each([
    ['one forty one elm street', '141 Elm St'],
    ['twelve oh five main street', '1205 Main St'],
    ['twenty twenty oak avenue', '2020 Oak Ave'],
    ['one hundred forty one elm street', '141 Elm St'],
    ['one hundred and five elm street', '105 Elm St'],
    ['twenty three hundred west forty second street apartment four b', '2300 W 42nd St Apt 4B'],
    ['1600 pennsylvania avenue northwest', '1600 Pennsylvania Ave NW'],
    ['one forty second street', '1 42nd St'],
    ['two twenty one b baker street', '221b Baker St'],
    ['221 b baker street', '221b Baker St'],
    ['one forty one court street', '141 Court St'],
    ['one forty-one elm street', '141 Elm St'],
    ['one forty one elm street suite two hundred', '141 Elm St Ste 200'],
    ['one forty one elm street unit c', '141 Elm St Unit C'],
    ['one forty one elm street apartment four oh one', '141 Elm St Apt 401'],
    ['one forty one elm street number five', '141 Elm St Unit 5'],
    ['the house on one forty one elm street', '141 Elm St'],
    ['One Forty One Elm Street', '141 Elm St'],
    ['one forty one elm street north', '141 Elm St N'],
  ])('%s → %s', (spoken, written) => {
    expect(spokenToAddress(spoken)).toBe(written);
  });

  it('keeps "oh" at the start of the phrase as a word, not a zero', () => {
    expect(spokenToAddress('oh five elm street')).toBe('Oh 5 Elm St');
  });

  it('labels the unit by its own designator ("...unit c" → Unit C)', () => {
    expect(spokenToAddress('the apartment at one forty one elm street unit c')).toBe('141 Elm St Unit C');
  });

  it('"#" is labelled Unit', () => {
    expect(spokenToAddress('141 Elm St #5')).toBe('141 Elm St Unit 5');
  });

  it('"number one forty one elm street" → 141 Elm St', () => {
    expect(spokenToAddress('number one forty one elm street')).toBe('141 Elm St');
  });
});

describe('isGenericToken', () => {
  it.each([
    'st',
    'ave',
    'blvd',
    'way',
    'n',
    'nw',
    'se',
    '#',
    'the',
    'property',
    'house',
    'one',
    'street',
    'avenue',
    'road',
    'and',
  ])('%s is generic', (t) => {
    expect(isGenericToken(t)).toBe(true);
  });

  it.each(['elm', '141', '42nd', '4b', 'pennsylvania', 'court', 'north', 'baker', ''])('%s is not generic', (t) => {
    expect(isGenericToken(t)).toBe(false);
  });
});

// ---- property-based ----

const NAMES = ['elm', 'main', 'oak', 'pennsylvania', 'baker', 'maple', 'court', 'park', 'cedar'];
const SUFFIX_FORMS: [string, string][] = [
  ['street', 'st'],
  ['st', 'st'],
  ['avenue', 'ave'],
  ['ave', 'ave'],
  ['boulevard', 'blvd'],
  ['drive', 'dr'],
  ['road', 'rd'],
  ['lane', 'ln'],
  ['court', 'ct'],
  ['place', 'pl'],
  ['parkway', 'pkwy'],
  ['way', 'way'],
];
const DIRECTION_WORDS: [string, string][] = [
  ['north', 'n'],
  ['south', 's'],
  ['east', 'e'],
  ['west', 'w'],
  ['northeast', 'ne'],
  ['northwest', 'nw'],
  ['southeast', 'se'],
  ['southwest', 'sw'],
];
const UNITS: [string, string][] = [
  ['apt 4b', '4b'],
  ['#12', '12'],
  ['suite 200', '200'],
  ['unit c', 'c'],
  ['apartment 7', '7'],
];

const arbAddress = fc.record({
  n: fc.integer({ min: 1, max: 9999 }),
  pre: fc.option(fc.constantFrom(...DIRECTION_WORDS), { nil: undefined }),
  name: fc.constantFrom(...NAMES),
  suffix: fc.constantFrom(...SUFFIX_FORMS),
  post: fc.option(fc.constantFrom(...DIRECTION_WORDS), { nil: undefined }),
  unit: fc.option(fc.constantFrom(...UNITS), { nil: undefined }),
});
type Arb = typeof arbAddress extends fc.Arbitrary<infer T> ? T : never;

const render = (a: Arb): string =>
  [String(a.n), a.pre?.[0], a.name, a.suffix[0], a.post?.[0], a.unit?.[0]].filter(Boolean).join(' ');
const expectedTokens = (a: Arb): string[] => {
  const t = [String(a.n), a.pre?.[1], a.name, a.suffix[1], a.post?.[1]].filter((x): x is string => Boolean(x));
  return a.unit ? [...t, '#', a.unit[1]] : t;
};

/** Random case per character and random runs of whitespace between words. */
const arbMangle = fc.record({
  upper: fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
  spaces: fc.array(fc.constantFrom(' ', '  ', '\t', ' \t '), { minLength: 20, maxLength: 20 }),
  lead: fc.constantFrom('', ' ', '  ', '\t'),
  trail: fc.constantFrom('', ' ', '  ', '\t'),
});
type Mangle = typeof arbMangle extends fc.Arbitrary<infer T> ? T : never;
const mangle = (s: string, m: Mangle): string => {
  const cased = [...s].map((c, i) => (m.upper[i % m.upper.length] ? c.toUpperCase() : c.toLowerCase())).join('');
  let k = 0;
  return m.lead + cased.replace(/ /g, () => m.spaces[k++ % m.spaces.length]!) + m.trail;
};

describe('address properties', () => {
  it('keeps any house number 1..9999 written as digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.constantFrom(...NAMES),
        fc.constantFrom(...SUFFIX_FORMS),
        (n, name, [suffix]) => {
          const t = tokenizeAddress(`${n} ${name} ${suffix}`);
          expect(t.houseNumber).toBe(String(n));
          expect(t.tokens[0]).toBe(String(n));
        },
      ),
    );
  });

  it('canonicalises generated addresses (full or abbreviated words, directions, units)', () => {
    fc.assert(
      fc.property(arbAddress, (a) => {
        const t = tokenizeAddress(render(a));
        expect(t.tokens).toEqual(expectedTokens(a));
        expect(t.houseNumber).toBe(String(a.n));
        expect(t.unit).toBe(a.unit?.[1] ?? null);
      }),
    );
  });

  it('addressKey is unchanged by case and whitespace changes', () => {
    fc.assert(
      fc.property(
        arbAddress,
        fc.constantFrom('Austin', 'New York', 'St. Louis', 'Winston-Salem'),
        fc.constantFrom('TX', 'ny', 'Mo'),
        arbMangle,
        arbMangle,
        (a, city, state, m1, m2) => {
          const key = addressKey(render(a), city, state);
          expect(addressKey(mangle(render(a), m1), mangle(city, m2), mangle(state, m1))).toBe(key);
        },
      ),
    );
  });

  it('addressKey is idempotent: formatting the tokens and re-keying gives the same key', () => {
    fc.assert(
      fc.property(arbAddress, (a) => {
        const key = addressKey(render(a), 'Austin', 'TX');
        const display = formatAddressTokens(tokenizeAddress(render(a)).tokens);
        expect(addressKey(display, 'Austin', 'TX')).toBe(key);
        expect(tokenizeAddress(display).tokens).toEqual(tokenizeAddress(render(a)).tokens);
      }),
    );
  });

  it('full and abbreviated suffix words give the same key', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.constantFrom(...NAMES),
        fc.constantFrom(...SUFFIX_FORMS),
        (n, name, [full, abbr]) => {
          expect(addressKey(`${n} ${name} ${full}`, 'Austin', 'TX')).toBe(
            addressKey(`${n} ${name} ${abbr}`, 'Austin', 'TX'),
          );
        },
      ),
    );
  });
});
