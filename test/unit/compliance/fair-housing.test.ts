import { describe, expect, it } from 'vitest';
import { FAIR_HOUSING_PHRASES, findPhrases } from '../../../src/domain/compliance/fair-housing.ts';
import { containsPhrase, normalizeText } from '../../../src/domain/compliance/text.ts';

const found = (text: string) => findPhrases(text, FAIR_HOUSING_PHRASES).map((p) => p.phrase);

describe('fair housing phrase check', () => {
  it.each([
    ['NO CHILDREN under any circumstances', ['no children']],
    ['Adults-only community', ['adults only']],
    ['Perfect for singles or a young professional', ['perfect for singles']],
    ['A lovely Christian home on a quiet lane', ['christian home']],
    ['Located in an exclusive neighborhood', ['exclusive neighborhood']],
    ['English speakers only. No Section 8.', ['english speakers only', 'no section 8']],
    ['Sorry, no service animals or wheelchairs', ['no service animals']],
  ])('%s', (text, phrases) => {
    expect(found(text)).toEqual(phrases);
  });

  it('matches whole words only, case- and punctuation-insensitively', () => {
    expect(found('Casino children’s museum nearby; kids-friendly yard')).toEqual([]);
    expect(found('no-kids')).toEqual(['no kids']);
    expect(containsPhrase('The “Adults Only” pool', 'adults only')).toBe(true);
    expect(containsPhrase('adultsonly', 'adults only')).toBe(false);
    expect(containsPhrase('anything', '')).toBe(false);
  });

  it('normalises accents, apostrophes and punctuation', () => {
    expect(normalizeText("Seller's  Disclosure—Notice (Café)")).toBe('sellers disclosure notice cafe');
  });

  it('every phrase is already normalised, unique, and has a basis', () => {
    const phrases = FAIR_HOUSING_PHRASES.map((p) => p.phrase);
    expect(new Set(phrases).size).toBe(phrases.length);
    for (const p of FAIR_HOUSING_PHRASES) {
      expect(normalizeText(p.phrase)).toBe(p.phrase);
      expect(p.basis.length).toBeGreaterThan(3);
    }
    expect(FAIR_HOUSING_PHRASES.filter((p) => p.level === 'prohibited').length).toBeGreaterThan(20);
  });
});
