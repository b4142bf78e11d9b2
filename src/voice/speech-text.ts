import { digitWords, numberToWords, ONES, under100 } from '../domain/shared/number-words.ts';

export { digitWords, numberToWords };
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
 * Rules run in a fixed order, each turning its matches into words so later rules do not see them again:
 * MLS numbers, phone numbers, prices, percentages, areas, bed/bath, dates, times, addresses (with unit, state and
 * ZIP), room dimensions, ordinals, then any number left. American usage: no "and" in cardinals, hyphenated
 * twenty-one…ninety-nine, M/D dates.
 */

// ---- numbers ----

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
function decimalWords(intPart: string, fraction: string | undefined): string {
  const whole = numberToWords(Number(intPart.replace(/,/g, '') || '0'));
  return fraction ? `${whole} point ${digitWords(fraction)}` : whole;
}

/** Years as said: 1998 → "nineteen ninety-eight", 2005 → "two thousand five", 2025 → "twenty twenty-five". */
export function yearToWords(year: number): string {
  if (year < 1000 || year > 9999) return numberToWords(year);
  const head = Math.floor(year / 100);
  const rest = year % 100;
  if (year % 1000 < 10 && head % 10 === 0) return numberToWords(year);
  if (rest === 0) return `${under100(head)} hundred`;
  return `${under100(head)} ${rest < 10 ? `oh ${ONES[rest]}` : under100(rest)}`;
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
  if (n < 10_000) {
    if (n % 1000 === 0) return numberToWords(n);
    const head = Math.floor(n / 100);
    const rest = n % 100;
    if (rest === 0) return `${under100(head)} hundred`;
    return `${under100(head)} ${rest < 10 ? `oh ${ONES[rest]}` : under100(rest)}`;
  }
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
function unitWords(unit: string): string {
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

// ---- tables ----

const WEEKDAYS: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  tues: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  thur: 'Thursday',
  thurs: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const MONTHS: Record<string, string> = {
  jan: 'January',
  feb: 'February',
  mar: 'March',
  apr: 'April',
  may: 'May',
  jun: 'June',
  jul: 'July',
  aug: 'August',
  sep: 'September',
  sept: 'September',
  oct: 'October',
  nov: 'November',
  dec: 'December',
};
const MONTH_NAMES = Object.values(MONTHS).filter((m, i, all) => all.indexOf(m) === i);
const DIRECTIONS: Record<string, string> = {
  n: 'North',
  s: 'South',
  e: 'East',
  w: 'West',
  ne: 'Northeast',
  nw: 'Northwest',
  se: 'Southeast',
  sw: 'Southwest',
};
const STREET_TYPES: Record<string, string> = {
  st: 'Street',
  str: 'Street',
  ave: 'Avenue',
  av: 'Avenue',
  blvd: 'Boulevard',
  dr: 'Drive',
  ln: 'Lane',
  rd: 'Road',
  ct: 'Court',
  pl: 'Place',
  pkwy: 'Parkway',
  hwy: 'Highway',
  cir: 'Circle',
  ter: 'Terrace',
  trl: 'Trail',
  cv: 'Cove',
  sq: 'Square',
  xing: 'Crossing',
  fwy: 'Freeway',
  expy: 'Expressway',
};
const STREET_WORDS = [
  'Street',
  'Avenue',
  'Boulevard',
  'Drive',
  'Lane',
  'Road',
  'Court',
  'Place',
  'Parkway',
  'Highway',
  'Circle',
  'Terrace',
  'Trail',
  'Way',
  'Loop',
  'Cove',
  'Square',
  'Crossing',
  'Run',
  'Pass',
  'Path',
  'Row',
  'Walk',
  'Bend',
];
const UNIT_LABELS: Record<string, string> = {
  '#': 'unit',
  apt: 'apartment',
  apartment: 'apartment',
  unit: 'unit',
  ste: 'suite',
  suite: 'suite',
  bldg: 'building',
  building: 'building',
};
const STATES: Record<string, string> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'D C',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
};
const PER: Record<string, string> = {
  mo: 'a month',
  month: 'a month',
  yr: 'a year',
  year: 'a year',
  wk: 'a week',
  week: 'a week',
  night: 'a night',
  day: 'a day',
  hr: 'an hour',
  hour: 'an hour',
  sf: 'a square foot',
  sqft: 'a square foot',
  'sq ft': 'a square foot',
  ft: 'a square foot',
};

// ---- pieces of patterns ----

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
  const m = Number(minutes);
  return `${h} ${m < 10 ? `oh ${ONES[m]}` : under100(m)}`;
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

type Rule = [RegExp, (...groups: string[]) => string];

const RULES: Rule[] = [
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
      String.raw`\b(?:(Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun|${Object.values(WEEKDAYS).join('|')})\.?(,?)\s+)?` +
        String.raw`(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|${MONTH_NAMES.join('|')})\.?\s+` +
        String.raw`([1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?:(,?)\s+((?:19|20)\d{2}))?(?![\d:])`,
      'g',
    ),
    (_m, day, comma, month, date, yearComma, year) => {
      const weekday = day ? `${WEEKDAYS[day.toLowerCase()] ?? day}${comma ? ',' : ''} ` : '';
      const monthName = MONTHS[month!.toLowerCase().slice(0, month!.toLowerCase() === 'sept' ? 4 : 3)] ?? month;
      const yearPart = year ? `${yearComma ? ',' : ''} ${yearToWords(Number(year))}` : '';
      return `${weekday}${monthName} ${ordinalToWords(Number(date))}${yearPart}`;
    },
  ],
  // Month and year: "Dec 2025" → "December twenty twenty-five".
  [
    new RegExp(
      String.raw`\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|${MONTH_NAMES.join('|')})\.?,?\s+((?:19|20)\d{2})\b`,
      'g',
    ),
    (_m, month, year) =>
      `${MONTHS[month!.toLowerCase().slice(0, month!.toLowerCase() === 'sept' ? 4 : 3)] ?? month} ${yearToWords(Number(year))}`,
  ],
  // Numeric dates with a year: "11/26/2025", "11/26/25".
  [
    /(?<![\w/])(1[0-2]|0?[1-9])\/(3[01]|[12]\d|0?[1-9])\/(\d{4}|\d{2})(?![\w/])/g,
    (_m, month, date, year) =>
      `${MONTH_NAMES[Number(month) - 1]} ${ordinalToWords(Number(date))}, ${yearToWords(year!.length === 2 ? 2000 + Number(year) : Number(year))}`,
  ],
  // A weekday abbreviation before a time: "Sat 10am", "Thu, 3 PM", "Fri at 5".
  [
    /\b(Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?(?=,?\s+(?:at\s+)?\d)/g,
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
        String.raw`(?:(N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?` +
        String.raw`((?:\d{1,3}(?:st|nd|rd|th)|[A-Z][A-Za-z'’-]*)(?:\s+[A-Z][A-Za-z'’-]*){0,3})\s+` +
        String.raw`(St|Str|Ave|Av|Blvd|Dr|Ln|Rd|Ct|Pl|Pkwy|Hwy|Cir|Ter|Trl|Cv|Sq|Xing|Fwy|Expy|${STREET_WORDS.join('|')})\b` +
        // An abbreviation's period, unless it ends the sentence.
        String.raw`(?:\.(?=\s*(?:[,#a-z]|(?:N|S|E|W|NE|NW|SE|SW|Apt|Apartment|Unit|Ste|Suite|Bldg|Building)\b)))?` +
        String.raw`(?:\s+(N|S|E|W|NE|NW|SE|SW)\b(?:\.(?=\s*[,#a-z]))?)?` +
        String.raw`(?:\s*,?\s*(?:(#)\s*|\b(Apt|Apartment|Unit|Ste|Suite|Bldg|Building)\b\.?\s*#?\s*)([A-Za-z]?\d{1,5}[A-Za-z]?|[A-Za-z])\b)?`,
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
    /\b(Apt|Apartment|Unit|Ste|Suite|Bldg|Building)\b\.?\s*#?\s*([A-Za-z]?\d{1,5}[A-Za-z]?)\b/g,
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

/** Text as it should be spoken (see the module comment). Text with nothing to normalise comes back unchanged. */
export function normalizeForSpeech(text: string): string {
  let out = text;
  for (const [pattern, replace] of RULES) {
    // The callback gets (match, ...groups, offset, whole text); unmatched groups are undefined.
    out = out.replace(pattern, (...args: unknown[]) => replace(...(args.slice(0, -2) as string[])));
  }
  return out.replace(/[ \t]{2,}/g, ' ').replace(/ +([,.;:!?])/g, '$1');
}
