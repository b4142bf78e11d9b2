import { RULES } from './speech-rules.ts';

export { digitWords, numberToWords } from '../domain/shared/number-words.ts';
export { houseNumberToWords, ordinalToWords, yearToWords } from './speech-numbers.ts';

/**
 * Text normalisation for speech: what the agent says goes to a TTS vendor as words, so that prices, addresses,
 * phone numbers, dates and listing shorthand are read the way an American real-estate agent says them, whatever
 * the vendor's own normaliser does (ElevenLabs turns its normaliser off at the lowest-latency setting). Pure.
 *
 *   "$1,249,000"            → "one million two hundred forty-nine thousand dollars"
 *   "$850K" · "$1.2M"       → "eight hundred fifty thousand dollars" · "one point two million dollars"
 *   "$2,150/mo"             → "two thousand one hundred fifty dollars a month"
 *   "123 N Elm St #4B"      → "one twenty-three North Elm Street, unit four B"
 *   "(512) 555-0100"        → "five one two, five five five, zero one zero zero"
 *   "Wed, Nov 26 at 3:00 PM"→ "Wednesday, November twenty-sixth at three PM"
 *   "6.5%" · "1,850 sq ft"  → "six point five percent" · "one thousand eight hundred fifty square feet"
 *   "3bd/2ba" · "2.5 ba"    → "three bed, two bath" · "two and a half bathrooms"
 *
 * Rules run in a fixed order, each turning its matches into words so later rules do not see them again
 * (speech-rules.ts; the words of abbreviations: speech-vocabulary.ts; how numbers are said: speech-numbers.ts).
 * American usage: no "and" in cardinals, hyphenated twenty-one…ninety-nine, M/D dates.
 */

/** Text as it should be spoken (see the module comment). Text with nothing to normalise comes back unchanged. */
export function normalizeForSpeech(text: string): string {
  let out = text;
  for (const [pattern, replace] of RULES) {
    // The callback gets (match, ...groups, offset, whole text); unmatched groups are undefined.
    out = out.replace(pattern, (...args: unknown[]) => replace(...(args.slice(0, -2) as string[])));
  }
  return out.replace(/[ \t]{2,}/g, ' ').replace(/ +([,.;:!?])/g, '$1');
}
