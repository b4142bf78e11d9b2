/**
 * Spoken numbers in addresses → digits.
 *
 * House numbers are usually said in chunks: "one forty one" is 1|41 → 141, "twelve oh five" is
 * 12|0|5 → 1205, "twenty twenty" → 2020. When a scale word is present the run is read as a
 * cardinal: "one hundred forty one" → 141, "twenty three hundred" → 2300.
 * Ordinals name streets: "forty second" → 42nd, "fifth" → 5th; a run that ends in an ordinal is
 * split so that "one forty second street" is house 1 on 42nd Street.
 */

const ONES = lookup<number>({
  zero: 0,
  oh: 0,
  o: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
});
import { lookup } from '../shared/lookup.ts';
const TEENS = lookup<number>({
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
});
const TENS = lookup<number>({
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
});
const SCALES = lookup<number>({ hundred: 100, thousand: 1000 });
const ORDINALS = lookup<number>({
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
  fortieth: 40,
  fiftieth: 50,
  sixtieth: 60,
  seventieth: 70,
  eightieth: 80,
  ninetieth: 90,
  hundredth: 100,
});

/** "oh"/"o" only count as zero inside a run that already started. */
const ZERO_ONLY_INSIDE = new Set(['oh', 'o']);

function isCardinalWord(w: string): boolean {
  return w in ONES || w in TEENS || w in TENS || w in SCALES;
}

export function ordinalSuffix(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return 'th';
  switch (n % 10) {
    case 1:
      return 'st';
    case 2:
      return 'nd';
    case 3:
      return 'rd';
    default:
      return 'th';
  }
}

/**
 * Cardinal reading with scales; the words between scales are read in chunks, so
 * "eight fifty thousand" is 850,000 and "one hundred forty one" is 141.
 */
function cardinalValue(words: string[]): number {
  let total = 0;
  let current = 0;
  let segment: string[] = [];
  const closeSegment = (): void => {
    if (segment.length > 0) current += Number(chunkedDigits(segment));
    segment = [];
  };
  for (const w of words) {
    if (w === 'hundred' || w === 'hundredth') {
      closeSegment();
      current = (current || 1) * 100;
    } else if (w === 'thousand') {
      closeSegment();
      total += (current || 1) * 1000;
      current = 0;
    } else if (w in ORDINALS) {
      closeSegment();
      current += ORDINALS[w]!;
    } else segment.push(w);
  }
  closeSegment();
  return total + current;
}

/** Chunked reading: each digit, teen or tens(+digit) is a group of digits written side by side. */
function chunkedDigits(words: string[]): string {
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (w in TENS && next !== undefined && next in ONES && ONES[next]! > 0 && !ZERO_ONLY_INSIDE.has(next)) {
      out += String(TENS[w]! + ONES[next]!);
      i++;
    } else {
      out += String(ONES[w] ?? TEENS[w] ?? TENS[w] ?? 0);
    }
  }
  return out;
}

export interface SpokenNumberOptions {
  /**
   * Read a tens word before an ordinal as part of it ("fifty fifth" → 55th). With false the tens
   * word stays with the house number ("seven fifty fifth" → 750 5th). Default true.
   */
  compoundOrdinals?: boolean;
}

function numberRunToTokens(words: string[], opts: SpokenNumberOptions): string[] {
  // "one hundred and twenty fifth": an "and" binds the whole run into one number.
  if (words.includes('and')) {
    const run = words.filter((w) => w !== 'and');
    const last = run[run.length - 1]!;
    const n = cardinalValue(run);
    return [last in ORDINALS ? `${n}${ordinalSuffix(n)}` : String(n)];
  }
  const run = words;
  const last = run[run.length - 1]!;
  const hasScale = run.some((w) => w in SCALES);
  if (last in ORDINALS) {
    const before = run[run.length - 2];
    // "one hundred first", "hundredth": the scale belongs to the ordinal.
    if (last === 'hundredth' || (before !== undefined && before in SCALES)) {
      const n = cardinalValue(run);
      return [`${n}${ordinalSuffix(n)}`];
    }
    // Split off the ordinal, with a directly preceding tens word when compounding ("forty second").
    const compound = opts.compoundOrdinals !== false && before !== undefined && before in TENS && ORDINALS[last]! < 10;
    const ordinalWords = compound ? run.slice(-2) : run.slice(-1);
    const houseWords = run.slice(0, run.length - ordinalWords.length);
    const n = cardinalValue(ordinalWords);
    const ordinal = `${n}${ordinalSuffix(n)}`;
    return houseWords.length > 0 ? [...numberRunToTokens(houseWords, opts), ordinal] : [ordinal];
  }
  if (hasScale) return [String(cardinalValue(run))];
  return [chunkedDigits(run)];
}

/**
 * Replaces runs of number words in a list of lower-case words with digit tokens.
 * "and" inside a scaled number ("one hundred and five") is absorbed.
 */
export function wordsToDigits(words: readonly string[], opts: SpokenNumberOptions = {}): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 0) out.push(...numberRunToTokens(run, opts));
    run = [];
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const inRun = run.length > 0;
    if (ZERO_ONLY_INSIDE.has(w) && !inRun) {
      out.push(w);
      continue;
    }
    const next = words[i + 1] ?? '';
    if (w === 'and' && inRun && run.some((r) => r in SCALES) && (isCardinalWord(next) || next in ORDINALS)) {
      run.push(w);
      continue;
    }
    if (isCardinalWord(w)) {
      run.push(w);
      continue;
    }
    if (w in ORDINALS) {
      run.push(w);
      flush();
      continue;
    }
    flush();
    out.push(w);
  }
  flush();
  return out;
}
