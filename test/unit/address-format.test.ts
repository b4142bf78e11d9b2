import { describe, expect, it } from 'vitest';
import {
  addressKey,
  formatAddressTokens,
  isGenericToken,
  spokenToAddress,
} from '../../src/domain/properties/address.ts';

/** Address keys for matching, display formatting, spoken addresses written out, and generic tokens. */

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
