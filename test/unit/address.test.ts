import { describe, expect, it } from 'vitest';
import { tokenizeAddress } from '../../src/domain/properties/address.ts';

/** tokenizeAddress: written and spoken addresses as canonical tokens (the other helpers: address-format.test.ts). */

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
