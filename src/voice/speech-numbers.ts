import { digitWords, numberToWords, ONES, under100 } from '../domain/shared/number-words.ts';

/**
 * Numbers as they are said aloud (American usage), for the speech normaliser: ordinals, decimals, years, house
 * numbers and unit codes. Cardinals and digit-by-digit readings are the shared number words'. Pure.
 */

const ORDINAL_WORDS: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

/** 26 → "twenty-sixth", 1 → "first", 100 → "one hundredth". */
export function ordinalToWords(n: number): string {
  const words = numberToWords(n);
  const match = /([a-z]+)$/.exec(words)!;
  const last = match[1]!;
  const ordinal = ORDINAL_WORDS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return words.slice(0, match.index) + ordinal;
}

/** "1.25" → "one point two five"; the integer part as a cardinal, the decimals digit by digit. */
export function decimalWords(intPart: string, fraction: string | undefined): string {
  const whole = numberToWords(Number(intPart.replace(/,/g, '') || '0'));
  return fraction ? `${whole} point ${digitWords(fraction)}` : whole;
}

/** Two digits said after others (1..99): 5 → "oh five", 45 → "forty-five". */
export function pairWords(n: number): string {
  return n < 10 ? `oh ${ONES[n]}` : under100(n);
}

/** Three or four digits said in pairs: 1998 → "nineteen ninety-eight", 1905 → "nineteen oh five", 2300 → "twenty-three hundred". */
function pairedWords(n: number): string {
  const head = Math.floor(n / 100);
  const rest = n % 100;
  return rest === 0 ? `${under100(head)} hundred` : `${under100(head)} ${pairWords(rest)}`;
}

/** Years as said: 1998 → "nineteen ninety-eight", 2005 → "two thousand five", 2025 → "twenty twenty-five". */
export function yearToWords(year: number): string {
  if (year < 1000 || year > 9999) return numberToWords(year);
  if (year % 1000 < 10 && Math.floor(year / 100) % 10 === 0) return numberToWords(year);
  return pairedWords(year);
}

/**
 * House numbers the way people say them: 15 → "fifteen", 141 → "one forty-one", 105 → "one oh five",
 * 2300 → "twenty-three hundred", 1205 → "twelve oh five", 4521 → "forty-five twenty-one", 3000 → "three thousand",
 * 12345 → "twelve three forty-five", 20100 → "twenty thousand one hundred", 20345 → "two oh three forty-five";
 * six digits or more, digit by digit.
 */
export function houseNumberToWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`houseNumberToWords: ${n}`);
  if (n < 100) return numberToWords(n);
  if (n < 10_000) return n % 1000 === 0 ? numberToWords(n) : pairedWords(n);
  if (n < 100_000) {
    const head = Math.floor(n / 1000);
    const rest = n % 1000;
    // 20100 as "twenty one hundred" would be heard as 2100.
    if (rest % 100 === 0) return numberToWords(n);
    // 20101 as "twenty one oh one" would be heard as 2101: "two oh one oh one".
    if (head % 10 === 0 && head >= 20 && rest >= 100) return `${ONES[head / 10]} oh ${houseNumberToWords(rest)}`;
    const tail = rest >= 100 ? houseNumberToWords(rest) : rest >= 10 ? `oh ${under100(rest)}` : `oh oh ${ONES[rest]}`;
    return `${under100(head)} ${tail}`;
  }
  return digitWords(String(n));
}

/** Letters and digits of a code, each on its own: "4B" → "four B", "12" → "twelve", "305" → "three oh five". */
export function unitWords(unit: string): string {
  const parts = unit.match(/\d+|[A-Za-z]/g) ?? [];
  return parts
    .map((p) =>
      /^\d+$/.test(p)
        ? p.length > 1 && p.startsWith('0')
          ? digitWords(p)
          : houseNumberToWords(Number(p))
        : p.toUpperCase(),
    )
    .join(' ');
}
