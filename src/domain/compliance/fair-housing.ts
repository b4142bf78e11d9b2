import type { PhraseEntry } from './rule.types.ts';
import { containsPhrase } from './text.ts';

/**
 * Advertising phrases that state or suggest a preference, limitation or discrimination based on a
 * protected class (Fair Housing Act 42 U.S.C. 3604(c), 24 CFR 100.75; HUD's 1995 advertising
 * guidance). `prohibited` phrases exclude a protected class outright; `caution` phrases are commonly
 * read as a preference and need a human look (context can make them acceptable, e.g. qualified
 * 55+ housing under 42 U.S.C. 3607(b), or shared living space).
 */
export const FAIR_HOUSING_PHRASES: readonly PhraseEntry[] = [
  // familial status
  { phrase: 'no children', level: 'prohibited', basis: 'familial status' },
  { phrase: 'no kids', level: 'prohibited', basis: 'familial status' },
  { phrase: 'no infants', level: 'prohibited', basis: 'familial status' },
  { phrase: 'no teenagers', level: 'prohibited', basis: 'familial status' },
  { phrase: 'no families', level: 'prohibited', basis: 'familial status' },
  { phrase: 'adults only', level: 'prohibited', basis: 'familial status' },
  { phrase: 'adult only', level: 'prohibited', basis: 'familial status' },
  { phrase: 'child free', level: 'prohibited', basis: 'familial status' },
  { phrase: 'couples only', level: 'prohibited', basis: 'familial status' },
  { phrase: 'singles only', level: 'prohibited', basis: 'familial status' },
  { phrase: 'perfect for singles', level: 'caution', basis: 'familial status' },
  { phrase: 'ideal for singles', level: 'caution', basis: 'familial status' },
  { phrase: 'perfect for couples', level: 'caution', basis: 'familial status' },
  { phrase: 'ideal for couples', level: 'caution', basis: 'familial status' },
  { phrase: 'empty nesters', level: 'caution', basis: 'familial status' },
  { phrase: 'bachelor pad', level: 'caution', basis: 'familial status / sex' },
  { phrase: 'mature couple', level: 'caution', basis: 'familial status / age' },
  // religion
  { phrase: 'christian home', level: 'prohibited', basis: 'religion' },
  { phrase: 'christian family', level: 'prohibited', basis: 'religion' },
  { phrase: 'christians only', level: 'prohibited', basis: 'religion' },
  { phrase: 'no muslims', level: 'prohibited', basis: 'religion' },
  { phrase: 'no jews', level: 'prohibited', basis: 'religion' },
  // race, color, national origin
  { phrase: 'whites only', level: 'prohibited', basis: 'race' },
  { phrase: 'white only', level: 'prohibited', basis: 'race' },
  { phrase: 'white neighborhood', level: 'prohibited', basis: 'race' },
  { phrase: 'no immigrants', level: 'prohibited', basis: 'national origin' },
  { phrase: 'no foreigners', level: 'prohibited', basis: 'national origin' },
  { phrase: 'english speakers only', level: 'prohibited', basis: 'national origin' },
  { phrase: 'english only', level: 'prohibited', basis: 'national origin' },
  { phrase: 'exclusive neighborhood', level: 'caution', basis: 'race (coded preference)' },
  { phrase: 'exclusive community', level: 'caution', basis: 'race (coded preference)' },
  { phrase: 'restricted community', level: 'caution', basis: 'race (coded preference)' },
  { phrase: 'traditional neighborhood', level: 'caution', basis: 'race (coded preference)' },
  // sex
  { phrase: 'men only', level: 'caution', basis: 'sex (allowed only for shared living space)' },
  { phrase: 'women only', level: 'caution', basis: 'sex (allowed only for shared living space)' },
  // disability
  { phrase: 'no wheelchairs', level: 'prohibited', basis: 'disability' },
  { phrase: 'no disabled', level: 'prohibited', basis: 'disability' },
  { phrase: 'able bodied', level: 'prohibited', basis: 'disability' },
  { phrase: 'no service animals', level: 'prohibited', basis: 'disability' },
  { phrase: 'no emotional support animals', level: 'prohibited', basis: 'disability' },
  { phrase: 'no mentally ill', level: 'prohibited', basis: 'disability' },
  // age / source of income (state and local law)
  { phrase: 'seniors only', level: 'caution', basis: 'familial status (only qualified 55+ housing may say this)' },
  { phrase: 'no section 8', level: 'caution', basis: 'source of income (protected in many states and cities)' },
  { phrase: 'no vouchers', level: 'caution', basis: 'source of income (protected in many states and cities)' },
];

/** The listed phrases found in `text` (whole words, case-insensitive), in list order, each at most once. */
export function findPhrases(text: string, phrases: readonly PhraseEntry[]): PhraseEntry[] {
  return phrases.filter((p) => containsPhrase(text, p.phrase));
}
