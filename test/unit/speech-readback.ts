import { wordsToDigits } from '../../src/domain/properties/spoken-numbers.ts';

/** Reading the product's spoken words back, to check them against the independent oracle and parser. */

/** The oracle writes "forty one"; the product hyphenates "forty-one". */
export const spaced = (words: string): string => words.replace(/-/g, ' ');
/** Words → digits with the repo's (independent) spoken-number parser. */
export const backToDigits = (words: string): string[] => wordsToDigits(words.split(/[\s-]+/));
