import { DateTime } from 'luxon';
import { wordsToDigits } from '../../domain/properties/spoken-numbers.ts';
import { formatPrice } from '../../domain/shared/money.ts';
import { extractMoneySpans } from '../nlu/slots.ts';
import { normalizeUtterance } from '../nlu/text.ts';

/** One utterance in the three forms the rules read. */
export interface Utterance {
  /** As heard, trimmed: note contents and names keep their case from here. */
  raw: string;
  /** Lower case, punctuation stripped, polite openers removed; number words kept ("call the one on elm"). */
  words: string;
  /** `words` with number words as digits: "property five" → "property 5", "eight fifty thousand" → "850000". */
  text: string;
}

const OPENERS =
  /^(?:(?:uh+|um+|erm?|hmm+|ok(?:ay)?|so|hey|alright|all right|well|and|now|also|yes|yeah|yep|sure|right|please|quickly|just|hi|hello)\s+|(?:can|could|would|will) you(?: please)?\s+|i (?:want|need|would like)(?: you)? to\s+|i'd like(?: you)? to\s+|i wanna\s+|let's\s+|let us\s+|go ahead and\s+)+/;
const CLOSERS = /(?:\s+(?:please|for me|thanks|thank you|real quick))+$/;
const NUMBER_WORD =
  '(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)';

/** Lower case, no punctuation; hyphens between words and colons outside clock times become spaces. */
export function plainWords(raw: string): string {
  return normalizeUtterance(raw)
    .replace(/(?<=[a-z])-(?=[a-z])/g, ' ')
    .replace(/(?<!\d):|:(?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const ONES =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';
const TENS = 'twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
/** A count said right before its unit ("three beds", "two and a half baths"), read apart from an amount before it. */
const COUNTED = new RegExp(
  `\\b((?:(?:${TENS}) )?(?:${ONES})|${TENS})(?= (?:and a half )?(?:beds?|bedrooms?|br|baths?|bathrooms?|days?|hours?|weeks?|months?|minutes?|years?)\\b)`,
  'g',
);

/**
 * Number words to digits. "850 thousand" and "18 hundred" first, so that they read as one amount, and
 * counts before their unit, so that "eight fifty thousand three beds" is 850000 and 3 beds.
 */
export function digitise(words: string): string {
  const scaled = words
    .replace(/\b(\d+(?:\.\d+)?) thousand\b/g, '$1k')
    .replace(/\b(\d+) hundred\b/g, (_, n: string) => String(Number(n) * 100))
    .replace(COUNTED, (said: string) => wordsToDigits(said.split(' ')).join(' '));
  return wordsToDigits(scaled.split(' ').filter(Boolean)).join(' ');
}

export function prepare(raw: string): Utterance {
  let words = plainWords(raw);
  for (let prev = ''; prev !== words;) {
    prev = words;
    words = words.replace(OPENERS, '').replace(CLOSERS, '');
  }
  // "one" as a pronoun is not a number: "that one", "the elm street one", "the one on elm".
  words = words
    .replace(/\bthe one (on|at|over on|in)\b/g, 'the property $1')
    .replace(/\b(this|that|which|the other|the same|the last|the first) one\b/g, '$1 property')
    .replace(new RegExp(`\\bthe ((?:(?!${NUMBER_WORD}\\b)[a-z']+ ){1,3})one\\b`, 'g'), 'the $1property');
  return { raw: raw.trim(), words, text: digitise(words) };
}

/** `text` without the first occurrence of `piece` (a space keeps its neighbours apart). */
export function cut(text: string, piece: string | undefined): string {
  if (!piece) return text;
  const at = text.indexOf(piece);
  return at < 0 ? text : `${text.slice(0, at)} ${text.slice(at + piece.length)}`.replace(/\s+/g, ' ');
}

export function toNumber(word: string | undefined): number | null {
  return word !== undefined && /^\d+(?:\.\d+)?$/.test(word) ? Number(word) : null;
}

export type Amount =
  | { kind: 'none' }
  | { kind: 'one'; value: number }
  | { kind: 'many'; values: number[] }
  /** A number too small to be a price with no "thousand" ("counter at 8"). */
  | { kind: 'unclear'; said: number };

/**
 * A price as a realtor says it: "$850k", "850 thousand", "eight fifty thousand", "1.2 million", and the
 * shorthand "counter at 835" (835 alone means $835,000). Under 100 with no multiplier it is unclear.
 */
export function dollars(value: number, multiplier = 1): number | null {
  if (multiplier > 1 || value >= 10_000) return value;
  if (value >= 100 && Number.isInteger(value)) return value * 1000;
  return null;
}

/** The amounts of money left in `rest` (other numbers must be cut out first). */
export function amounts(rest: string): Amount {
  const values: number[] = [];
  for (const span of extractMoneySpans(rest)) {
    const v = dollars(span.value, span.multiplier);
    if (v === null) return { kind: 'unclear', said: span.value };
    if (!values.includes(v)) values.push(v);
  }
  if (values.length === 0) return { kind: 'none' };
  return values.length === 1 ? { kind: 'one', value: values[0]! } : { kind: 'many', values };
}

/** "$799,000 or $800,000" */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function priceList(values: readonly number[]): string {
  return orList(values.map(formatPrice));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** 72 → "3 days", 5 → "5 hours". */
export function spokenHours(hours: number): string {
  return hours % 24 === 0 ? plural(hours / 24, 'day') : plural(hours, 'hour');
}

/** "a just-listed campaign", "an open house campaign". */
export function withArticle(s: string): string {
  return `${/^[aeiou]/i.test(s) ? 'an' : 'a'} ${s}`;
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function titleCase(s: string): string {
  return s.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** "tomorrow at 9:00 AM", "today at 3:30 PM", "on Friday, June 6 at 10:00 AM" (without "on" when `on` is false). */
export function spokenWhen(iso: string, now: Date, timeZone: string, on = true): string {
  const at = DateTime.fromISO(iso, { zone: timeZone });
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const days = Math.round(at.startOf('day').diff(today, 'days').days);
  const day = days === 0 ? 'today' : days === 1 ? 'tomorrow' : `${on ? 'on ' : ''}${at.toFormat('cccc, LLLL d')}`;
  return `${day} at ${at.toFormat('h:mm a')}`;
}

/** The words of `said` (lower case, from `Utterance.words`) as they were heard, with their case. */
export function asHeard(raw: string, said: string): string {
  const parts = said.split(' ').filter(Boolean);
  if (parts.length === 0) return said;
  const escaped = parts.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’]"));
  const m = new RegExp(`(?<![\\p{L}\\p{N}])${escaped.join('[\\s,.;:!?-]+')}(?![\\p{L}\\p{N}])`, 'iu').exec(raw);
  return m ? m[0] : said;
}
