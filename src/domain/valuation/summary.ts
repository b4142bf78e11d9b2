import { numberToWords } from '../shared/number-words.ts';
/** Spoken summaries: short, rounded, number words for small counts. */

/** Small counts in words ("three comps"), larger ones as digits. */
export function numberWord(n: number): string {
  return Number.isInteger(n) && n >= 0 && n <= 20 ? numberToWords(n) : String(n);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Rounds a price for speech: nearest $5,000 under $1M, nearest $10,000 above. */
export function roundForSpeech(price: number): number {
  const step = price >= 1_000_000 ? 10_000 : price >= 100_000 ? 5_000 : 1_000;
  return Math.round(price / step) * step;
}

export function formatUsd(n: number): string {
  return `$${Math.round(n).toLocaleString('en-US')}`;
}

export function distancePhrase(miles: number): string {
  if (miles <= 0.25) return 'a quarter mile';
  if (miles <= 0.5) return 'half a mile';
  if (miles <= 0.75) return 'three quarters of a mile';
  if (miles <= 1) return 'a mile';
  return `${numberWord(Math.ceil(miles))} miles`;
}

export function periodPhrase(months: number): string {
  const m = Math.max(1, Math.ceil(months));
  if (m === 1) return 'the last month';
  if (m === 12) return 'the last year';
  if (m > 12) return `the last ${numberWord(Math.ceil(m / 12))} years`;
  return `the last ${numberWord(m)} months`;
}

export interface SummaryComp {
  distance_mi: number;
  price: number;
  ageMonths: number;
}

export function voiceSummary(shown: readonly SummaryComp[], estimate: number, limited: boolean): string {
  const est = formatUsd(roundForSpeech(estimate));
  if (shown.length === 0) return `This home is estimated at about ${est}.`;
  const maxD = Math.max(...shown.map((c) => c.distance_mi));
  const maxAge = Math.max(...shown.map((c) => c.ageMonths));
  const prices = shown.map((c) => roundForSpeech(c.price));
  const lo = Math.min(...prices);
  const hi = Math.max(...prices);
  const where = `within ${distancePhrase(maxD)}`;
  const when = `in ${periodPhrase(maxAge)}`;
  let text: string;
  if (shown.length === 1) {
    text = `One similar home ${where} sold for ${formatUsd(lo)} ${when}; this one is estimated at about ${est}.`;
  } else {
    const range = lo === hi ? `for about ${formatUsd(lo)}` : `between ${formatUsd(lo)} and ${formatUsd(hi)}`;
    text = `${capitalise(numberWord(shown.length))} similar homes ${where} sold ${range} ${when}; this one is estimated at about ${est}.`;
  }
  if (limited) text += ' There is limited data nearby, so treat this as a rough estimate.';
  return text;
}
