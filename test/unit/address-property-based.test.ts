import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressKey, formatAddressTokens, tokenizeAddress } from '../../src/domain/properties/address.ts';

/** Property-based checks of the address helpers over generated addresses (case, whitespace, suffix and unit forms). */

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
