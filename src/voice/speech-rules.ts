import { digitWords, numberToWords, ONES } from '../domain/shared/number-words.ts';
import {
  decimalWords,
  houseNumberToWords,
  ordinalToWords,
  pairWords,
  unitWords,
  yearToWords,
} from './speech-numbers.ts';
import {
  DIRECTION_ABBREVIATIONS,
  DIRECTIONS,
  MONTH_ABBREVIATIONS,
  MONTH_NAMES,
  monthName,
  PER,
  STATES,
  STREET_TYPES,
  STREET_WORDS,
  UNIT_DESIGNATORS,
  UNIT_LABELS,
  WEEKDAY_ABBREVIATIONS,
  WEEKDAYS,
} from './speech-vocabulary.ts';

/**
 * The speech normaliser's rules, in the order they run: each turns its matches into words so later rules do not
 * see them again (MLS numbers, phone numbers, prices, percentages, areas, bed/bath, dates, times, addresses with
 * unit, state and ZIP, room dimensions, ordinals, then any number left), and the readings they use.
 */

/** An amount: 1,249,000 · 1249000 · 1.2 (captures: integer part, decimals). */
const AMOUNT = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?`;
/** A dollar amount with an optional scale (K/M/B or words). */
const PRICE = String.raw`\$\s?${AMOUNT}(?:\s?([KkMmBb])\b|\s(thousand|million|billion)\b)?`;
const PER_UNIT = String.raw`\s?(?:/|\bper\s|\ba\s)\s?(mo|month|yr|year|wk|week|night|day|hr|hour|sq\.?\s?ft|sqft|sf|ft)\b`;
/** am/pm: "PM", "pm", "p.m." (a plain "pm." keeps its period: it ends the sentence). */
const MERIDIEM = String.raw`([AaPp])(?:\.\s?[Mm]\.|\s?[Mm])(?![A-Za-z])`;

const SCALE_WORDS: Record<string, string> = { k: 'thousand', m: 'million', b: 'billion' };

interface Price {
  /** Words of the amount without "dollars". */
  amount: string;
  /** The full reading. */
  spoken: string;
  scaled: boolean;
}

function readPrice(intPart: string, fraction: string | undefined, scale: string | undefined): Price {
  const scaleWord = scale ? (SCALE_WORDS[scale.toLowerCase()] ?? scale.toLowerCase()) : null;
  if (scaleWord) {
    const amount = `${decimalWords(intPart, fraction?.replace(/0+$/, '') || undefined)} ${scaleWord}`;
    return { amount, spoken: `${amount} dollars`, scaled: true };
  }
  const dollars = Number(intPart.replace(/,/g, ''));
  const cents = fraction ? Math.round(Number(`0.${fraction}`) * 100) : 0;
  const dollarWords = `${numberToWords(dollars)} ${dollars === 1 ? 'dollar' : 'dollars'}`;
  const centWords = `${numberToWords(cents)} ${cents === 1 ? 'cent' : 'cents'}`;
  const spoken = cents === 0 ? dollarWords : dollars === 0 ? centWords : `${dollarWords} and ${centWords}`;
  return { amount: numberToWords(dollars), spoken, scaled: false };
}

function perWords(unit: string): string {
  const key = unit.toLowerCase().replace(/\./g, '').replace(/\s+/g, ' ').trim();
  return PER[key] ?? PER[key.replace(' ', '')] ?? `per ${unit}`;
}

function timeWords(hour: string, minutes: string | undefined): string {
  const h = numberToWords(Number(hour));
  if (!minutes || minutes === '00') return h;
  return `${h} ${pairWords(Number(minutes))}`;
}

function capitalize(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function meridiem(letter: string): string {
  return letter.toUpperCase() === 'A' ? 'AM' : 'PM';
}

function phoneGroup(digits: string): string {
  return digits === '800' ? 'eight hundred' : digitWords(digits);
}

function bathWords(count: string): string {
  const [whole, half] = count.split('.');
  const n = Number(whole);
  if (half === '5') return n === 0 ? 'a half' : `${numberToWords(n)} and a half`;
  return half ? decimalWords(whole!, half) : numberToWords(n);
}

// ---- rules, in order ----

/** A pattern and what its matches become: the callback gets the match and its groups (undefined when unmatched). */
export type Rule = [RegExp, (...groups: string[]) => string];

export const RULES: Rule[] = [
  // MLS numbers, character by character: "MLS# 5012345" → "MLS number five zero one two three four five".
  [
    /\bMLS\s*(?:#|No\.?|number)?\s*:?\s*([A-Z]{0,3}\d{4,10})\b/g,
    (_m, id) => `MLS number ${[...id!].map((c) => (/\d/.test(c) ? ONES[Number(c)] : c)).join(' ')}`,
  ],
  // US phone numbers, with or without +1: "(512) 555-0100" → "five one two, five five five, zero one zero zero".
  [
    /(?<![\w+$.,])(\+?1[\s.-]?)?(?:\((\d{3})\)|(\d{3}))[\s.-]?(\d{3})[\s.-]?(\d{4})(?![\w%])/g,
    (_m, country, a1, a2, mid, last) => {
      const area = a1 ?? a2!;
      // Toll-free numbers are said with their 1: "one eight hundred"; otherwise the country code is dropped.
      const lead = area === '800' && country ? 'one ' : '';
      return `${lead}${phoneGroup(area)}, ${digitWords(mid!)}, ${digitWords(last!)}`;
    },
  ],
  // Price ranges: "$400K-$450K", "$400-450K".
  [
    new RegExp(
      String.raw`${PRICE}\s?(?:-|–|—|to)\s?\$?${AMOUNT}(?:\s?([KkMmBb])\b|\s(thousand|million|billion)\b)?`,
      'g',
    ),
    (_m, i1, f1, s1, w1, i2, f2, s2, w2) => {
      const scale2 = s2 ?? w2;
      const scale1 = s1 ?? w1 ?? (scale2 && Number(i1!.replace(/,/g, '')) < 1000 ? scale2 : undefined);
      const a = readPrice(i1!, f1, scale1);
      const b = readPrice(i2!, f2, scale2);
      const shared = a.scaled ? b.scaled : !b.scaled && !f1 && !f2;
      return shared ? `${a.amount} to ${b.spoken}` : `${a.spoken} to ${b.spoken}`;
    },
  ],
  // Prices: "$1,249,000", "$850K", "$1.2M", "$19.99", "$2,150/mo", "$250 per sq ft".
  [
    new RegExp(`${PRICE}(?:${PER_UNIT})?`, 'g'),
    (_m, i, f, s, w, per) => `${readPrice(i!, f, s ?? w).spoken}${per ? ` ${perWords(per)}` : ''}`,
  ],
  // Percentages: "6.5%", "-2%".
  [
    /(?<![\w.])([-−])?(\d+)(?:\.(\d+))?\s?%/g,
    (_m, minus, i, f) => `${minus ? 'minus ' : ''}${decimalWords(i!, f)} percent`,
  ],
  // Areas: "1,850 sq ft", "2,400 SF", "0.25 acres".
  [
    /(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(?:sq\.?\s?ft\.?|sqft|sf|ft²|square\s+feet)(?![\w])/gi,
    (_m, i, f) => `${decimalWords(i!, f)} ${i === '1' && !f ? 'square foot' : 'square feet'}`,
  ],
  [
    /(?<![\w.])(\d+)(?:\.(\d+))?\s?(?:ac|acres?)\b/g,
    (_m, i, f) => `${decimalWords(i!, f)} ${i === '1' && !f ? 'acre' : 'acres'}`,
  ],
  // Bed/bath shorthand: "3bd/2ba", "4 BR / 2.5 BA", then on their own: "3 bd", "2.5 ba".
  [
    /\b(\d+)\s?(?:bd|bds|br|bed|beds|bdrm|bdrms)\s?[/,|]\s?(\d+(?:\.5)?)\s?(?:ba|bth|bths|bath|baths)\b/gi,
    (_m, beds, baths) => `${numberToWords(Number(beds))} bed, ${bathWords(baths!)} bath`,
  ],
  [
    /\b(\d+)\s?(?:bd|bds|br|bdrm|bdrms)\b/gi,
    (_m, beds) => `${numberToWords(Number(beds))} ${beds === '1' ? 'bedroom' : 'bedrooms'}`,
  ],
  [
    /\b(\d+(?:\.5)?)\s?(?:ba|bth|bths)\b/gi,
    (_m, baths) => `${bathWords(baths!)} ${baths === '1' ? 'bathroom' : 'bathrooms'}`,
  ],
  [/\b(\d+)\.5\s?(baths?|bathrooms?)\b/gi, (_m, n, word) => `${bathWords(`${n}.5`)} ${word}`],
  // Dates: "[Wed, ]Nov 26[th][, 2025]" and full month names.
  [
    new RegExp(
      String.raw`\b(?:(${WEEKDAY_ABBREVIATIONS}|${Object.values(WEEKDAYS).join('|')})\.?(,?)\s+)?` +
        String.raw`(${MONTH_ABBREVIATIONS}|${MONTH_NAMES.join('|')})\.?\s+` +
        String.raw`([1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?:(,?)\s+((?:19|20)\d{2}))?(?![\d:])`,
      'g',
    ),
    (_m, day, comma, month, date, yearComma, year) => {
      const weekday = day ? `${WEEKDAYS[day.toLowerCase()] ?? day}${comma ? ',' : ''} ` : '';
      const yearPart = year ? `${yearComma ? ',' : ''} ${yearToWords(Number(year))}` : '';
      return `${weekday}${monthName(month!)} ${ordinalToWords(Number(date))}${yearPart}`;
    },
  ],
  // Month and year: "Dec 2025" → "December twenty twenty-five".
  [
    new RegExp(String.raw`\b(${MONTH_ABBREVIATIONS}|${MONTH_NAMES.join('|')})\.?,?\s+((?:19|20)\d{2})\b`, 'g'),
    (_m, month, year) => `${monthName(month!)} ${yearToWords(Number(year))}`,
  ],
  // Numeric dates with a year: "11/26/2025", "11/26/25".
  [
    /(?<![\w/])(1[0-2]|0?[1-9])\/(3[01]|[12]\d|0?[1-9])\/(\d{4}|\d{2})(?![\w/])/g,
    (_m, month, date, year) =>
      `${MONTH_NAMES[Number(month) - 1]} ${ordinalToWords(Number(date))}, ${yearToWords(year!.length === 2 ? 2000 + Number(year) : Number(year))}`,
  ],
  // A weekday abbreviation before a time: "Sat 10am", "Thu, 3 PM", "Fri at 5".
  [
    new RegExp(String.raw`\b(${WEEKDAY_ABBREVIATIONS})\.?(?=,?\s+(?:at\s+)?\d)`, 'g'),
    (_m, day) => WEEKDAYS[day!.toLowerCase()]!,
  ],
  // Time ranges: "3-5 PM", "3:00–4:30 pm", "10 AM - 2 PM".
  [
    new RegExp(
      String.raw`(?<![\d:.])(1[0-2]|0?[1-9])(?::([0-5]\d))?(?:\s?${MERIDIEM})?\s?(?:-|–|—|to)\s?(1[0-2]|0?[1-9])(?::([0-5]\d))?\s?${MERIDIEM}`,
      'g',
    ),
    (_m, h1, m1, ap1, h2, m2, ap2) =>
      `${timeWords(h1!, m1)}${ap1 ? ` ${meridiem(ap1)}` : ''} to ${timeWords(h2!, m2)} ${meridiem(ap2!)}`,
  ],
  // Times: "3:00 PM" → "three PM", "10:05am" → "ten oh five AM", "at 3:30" → "at three thirty".
  [
    new RegExp(String.raw`(?<![\d:.])(1[0-2]|0?[1-9])(?::([0-5]\d))?\s?${MERIDIEM}`, 'g'),
    (_m, h, m, ap) => `${timeWords(h!, m)} ${meridiem(ap!)}`,
  ],
  [
    /(?<![\d:.$])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])/g,
    (_m, h, m) => (m === '00' ? `${numberToWords(Number(h))} o'clock` : timeWords(h!, m)),
  ],
  // Addresses: house number, direction, street name, street type, direction, unit.
  [
    new RegExp(
      String.raw`(?<![\w#$.,])(\d{1,6})([A-Za-z])?\s+` +
        String.raw`(?:(${DIRECTION_ABBREVIATIONS}|North|South|East|West)\.?\s+)?` +
        String.raw`((?:\d{1,3}(?:st|nd|rd|th)|[A-Z][A-Za-z'’-]*)(?:\s+[A-Z][A-Za-z'’-]*){0,3})\s+` +
        String.raw`(St|Str|Ave|Av|Blvd|Dr|Ln|Rd|Ct|Pl|Pkwy|Hwy|Cir|Ter|Trl|Cv|Sq|Xing|Fwy|Expy|${STREET_WORDS.join('|')})\b` +
        // An abbreviation's period, unless it ends the sentence.
        String.raw`(?:\.(?=\s*(?:[,#a-z]|(?:${DIRECTION_ABBREVIATIONS}|${UNIT_DESIGNATORS})\b)))?` +
        String.raw`(?:\s+(${DIRECTION_ABBREVIATIONS})\b(?:\.(?=\s*[,#a-z]))?)?` +
        String.raw`(?:\s*,?\s*(?:(#)\s*|\b(${UNIT_DESIGNATORS})\b\.?\s*#?\s*)([A-Za-z]?\d{1,5}[A-Za-z]?|[A-Za-z])\b)?`,
      'g',
    ),
    (_m, num, letter, pre, name, type, post, hash, label, unit) => {
      const parts = [`${houseNumberToWords(Number(num))}${letter ? ` ${letter.toUpperCase()}` : ''}`];
      if (pre) parts.push(DIRECTIONS[pre.toLowerCase()] ?? pre);
      parts.push(
        name!
          .split(/\s+/)
          .map((w) => {
            const ord = /^(\d+)(?:st|nd|rd|th)$/.exec(w);
            return ord ? capitalize(ordinalToWords(Number(ord[1]))) : w;
          })
          .join(' '),
      );
      parts.push(STREET_TYPES[type!.toLowerCase()] ?? type!);
      if (post) parts.push(DIRECTIONS[post.toLowerCase()]!);
      const street = parts.join(' ');
      if (!unit) return street;
      return `${street}, ${UNIT_LABELS[(hash ?? label!).toLowerCase()]} ${unitWords(unit)}`;
    },
  ],
  // A unit on its own: "Unit 305" → "unit three oh five", "Apt. 2C" → "apartment two C".
  [
    new RegExp(String.raw`\b(${UNIT_DESIGNATORS})\b\.?\s*#?\s*([A-Za-z]?\d{1,5}[A-Za-z]?)\b`, 'g'),
    (_m, label, unit) =>
      `${label!.toLowerCase() === 'unit' ? label : UNIT_LABELS[label!.toLowerCase()]} ${unitWords(unit!)}`,
  ],
  // State and ZIP: "TX 78701" → "Texas, seven eight seven zero one".
  [
    new RegExp(String.raw`\b(${Object.keys(STATES).join('|')}),?\s+(\d{5})(?:-(\d{4}))?\b`, 'g'),
    (_m, state, zip, plus4) => `${STATES[state!]}, ${digitWords(zip!)}${plus4 ? `, ${digitWords(plus4)}` : ''}`,
  ],
  // Room dimensions: "12x14" → "twelve by fourteen".
  [
    /(?<![\w.])(\d{1,3})(?:'|\s?ft)?\s?[x×]\s?(\d{1,3})(?:'|\s?ft\b)?(?![\w])/g,
    (_m, a, b) => `${numberToWords(Number(a))} by ${numberToWords(Number(b))}`,
  ],
  // "#12" outside an address → "number twelve".
  [/#\s?(?=\d)/g, () => 'number '],
  // Ordinals: "1st", "42nd".
  [/\b(\d{1,9})(?:st|nd|rd|th)\b/g, (_m, n) => ordinalToWords(Number(n))],
  // Ranges of plain numbers: "3-5 days" → "three to five days".
  [
    /(?<![\w.,-])(\d{1,3}(?:,\d{3})*|\d+)\s?[-–]\s?(\d{1,3}(?:,\d{3})*|\d+)(?![\w.,-])/g,
    (_m, a, b) => `${numberToWords(Number(a!.replace(/,/g, '')))} to ${numberToWords(Number(b!.replace(/,/g, '')))}`,
  ],
  // Whatever number is left: years as years, other numbers as cardinals ("2.5" → "two point five").
  [
    /(?<![\w.])([-−](?=\d))?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])/g,
    (_m, minus, i, f) => {
      const plain = !minus && !f && !i!.includes(',') && i!.length === 4 && /^(19|20)\d\d$/.test(i!);
      if (plain) return yearToWords(Number(i));
      if (!f && !i!.includes(',') && i!.length > 1 && i!.startsWith('0')) return digitWords(i!);
      const digits = i!.replace(/,/g, '');
      const words = digits.length > 15 ? digitWords(digits) : decimalWords(i!, f);
      return `${minus ? 'minus ' : ''}${words}`;
    },
  ],
  // A few symbols and abbreviations.
  [/\s&\s/g, () => ' and '],
  [/\bw\/(?=\s|\w)/gi, () => 'with '],
  [/\bapprox\.?(?=\s)/gi, () => 'approximately'],
];
