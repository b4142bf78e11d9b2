import { wordsToDigits } from '../properties/spoken-numbers.ts';
import { lookup } from './lookup.ts';

const MULTIPLIERS = lookup<number>({
  k: 1e3,
  thousand: 1e3,
  grand: 1e3,
  m: 1e6,
  mil: 1e6,
  mill: 1e6,
  million: 1e6,
  b: 1e9,
  billion: 1e9,
});

/**
 * Reads a price as typed or spoken: 850000, "$850,000", "850k", "850 thousand",
 * "1.2 million", "eight hundred fifty thousand". Returns null when it is not a price.
 */
export function parsePrice(input: number | string): number | null {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : null;
  const text = input
    .toLowerCase()
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/[$,]/g, ' ')
    .replace(/\b(?:dollars?|bucks|usd)\b/g, ' ')
    .replace(/(\d)([a-z])/g, '$1 $2')
    .trim();
  if (!text) return null;
  const words = text.split(/\s+/);
  // Multipliers are read here, not by the number-word parser ("850 thousand", "1.2 million").
  const numberWords = wordsToDigits(
    words.map((w, i) => (w in MULTIPLIERS && (w !== 'thousand' || /^\d/.test(words[i - 1] ?? '')) ? `@${w}` : w)),
  );
  const tokens: string[] = [];
  for (const t of numberWords) {
    const prev = tokens[tokens.length - 1];
    const prev2 = tokens[tokens.length - 2];
    if (/^\d+$/.test(t) && prev === 'point' && prev2 !== undefined && /^\d+$/.test(prev2)) {
      tokens.splice(-2, 2, `${prev2}.${t}`);
    } else tokens.push(t.startsWith('@') ? t.slice(1) : t);
  }
  // Groups add up: "1 million 200 thousand", "two million five hundred thousand".
  let total = 0;
  let current: number | null = null;
  let grouped = false;
  let pendingOne = false;
  for (const t of tokens) {
    if (/^\d+(\.\d+)?$/.test(t) || t === 'half') {
      if (current !== null) {
        if (!grouped) return null;
        total += current;
      }
      current = t === 'half' ? 0.5 : Number(t);
      grouped = false;
    } else if (t in MULTIPLIERS) {
      if (current === null && !pendingOne) return null;
      current = (current ?? 1) * MULTIPLIERS[t]!;
      grouped = true;
      pendingOne = false;
    } else if (t === 'a' || t === 'an') {
      if (current === null) pendingOne = true;
    } else if (t !== 'and') return null;
  }
  if (current === null) return null;
  const value = total + current;
  if (!Number.isFinite(value)) return null;
  return Math.round(value * 100) / 100;
}

/** "$850,000" */
export function formatPrice(n: number): string {
  const abs = Math.abs(n).toLocaleString('en-US', { maximumFractionDigits: 0 });
  return n < 0 ? `-$${abs}` : `$${abs}`;
}
