import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { spokenToAddress, tokenizeAddress } from '../../domain/properties/address.ts';
import { wordsToDigits } from '../../domain/properties/spoken-numbers.ts';
import { parsePrice } from '../../domain/shared/money.ts';
import { DIGIT_WORDS, normalizeUtterance, smallNumber } from './text.ts';
import type { BudgetRange, PropertyRef, Timeline } from './types.ts';
import { lookup } from '../../domain/shared/lookup.ts';

// ---------------------------------------------------------------- phone

/** Finds a US phone number said as digits or digit words ("five one two, five five five …"). */
export function extractPhone(utterance: string): string | null {
  const words = normalizeUtterance(utterance).replace(/[-.]/g, ' ').replace(/\+1\b/g, ' 1 ').split(' ').filter(Boolean);
  let best = '';
  let run = '';
  let multiplier = 1;
  const flush = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (const w of words) {
    if (w === 'double' || w === 'triple') {
      multiplier = w === 'double' ? 2 : 3;
      continue;
    }
    const d = /^\+?\d+$/.test(w) ? w.replace('+', '') : (DIGIT_WORDS[w] ?? (w === 'hundred' && run ? '00' : null));
    if (d !== null) {
      run += d.repeat(multiplier);
      multiplier = 1;
    } else if (!['is', 'area', 'code', 'and', 'then', 'uh', 'um', 'dash', 'at'].includes(w) || !run) flush();
  }
  flush();
  if (best.length < 10 || best.length > 11) return null;
  const parsed = parsePhoneNumberFromString(best, 'US');
  if (!parsed || !parsed.isPossible() || parsed.countryCallingCode !== '1') return null;
  return parsed.number;
}

// ---------------------------------------------------------------- name

const NOT_NAMES = new Set(
  (
    'a an the just still calling call looking interested wondering trying here about from with on at in for and ' +
    'i im me my we you your it its this that there thinking going gonna not sure ready pre approved buying selling ' +
    'renting moving hoping phoning ringing following good fine great ok okay sorry the agent realtor your an ' +
    'yes no yeah nope hi hello hey available free open curious also actually really so very well glad happy sure ' +
    'to be being having had has was is are were will would should could can may might one two three four five ' +
    'working currently already first new after before reaching returning responding regarding ' +
    'back later tomorrow today tonight soon when if asap anytime pre-approved preapproved approved qualified'
  ).split(' '),
);

function titleCase(w: string): string {
  return w
    .split(/([-'])/)
    .map((p) => (p.length > 0 ? p.charAt(0).toUpperCase() + p.slice(1) : p))
    .join('');
}

/** "my name is Jane Doe", "this is Jane", "it's Bob Smith calling", "I'm Jane". */
export function extractName(utterance: string): string | null {
  const text = normalizeUtterance(utterance).replace(/\s-\s/g, ' ');
  const m =
    /\b(?:my name is|my name's|name is|name's|this is|it's|it is|i am|i'm|im|call me|you can call me|speaking with)\s+([a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,2})/.exec(
      text,
    );
  if (!m) return null;
  const words: string[] = [];
  for (const w of m[1]!.split(' ')) {
    if (NOT_NAMES.has(w) || w.length < 2) break;
    words.push(w);
  }
  if (words.length === 0) return null;
  // "this is about …" and "i'm interested …" fail above; a lone word after "it's" must be
  // followed by "calling"/"here" or end the utterance to count as a name.
  const explicit = /\b(?:name|call me)\b/.test(m[0]);
  if (!explicit && words.length === 1) {
    const after = text.slice(m.index + m[0].length - (m[1]!.length - words[0]!.length)).trim();
    if (after && !/^(?:calling|here|from|with|speaking|again|and|i|i'm)\b/.test(after)) return null;
  }
  return words.map(titleCase).join(' ');
}

// ---------------------------------------------------------------- money

const MULTIPLIER_WORDS = new Set(['k', 'thousand', 'grand', 'm', 'mil', 'mill', 'million']);
const NUMBER_WORDS = new Set([
  ...Object.keys(DIGIT_WORDS).filter((w) => w !== 'o'),
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'sixty',
  'seventy',
  'eighty',
  'ninety',
  'hundred',
  'half',
  'point',
]);

export interface MoneySpan {
  value: number;
  start: number;
  end: number;
  /** Said with $, dollars or a multiplier — clearly an amount of money. */
  marked: boolean;
  multiplier: number;
}

function moneyWords(utterance: string): string[] {
  return normalizeUtterance(utterance)
    .replace(/\$\s*/g, '$ ')
    .replace(/(\d)(k|m|mil)\b/g, '$1 $2')
    .replace(/(\d)-(\d)/g, '$1 to $2')
    .split(' ')
    .filter(Boolean);
}

/** Amounts of money in order of appearance, with word positions. */
export function extractMoneySpans(utterance: string): MoneySpan[] {
  const words = moneyWords(utterance);
  const spans: MoneySpan[] = [];
  let i = 0;
  while (i < words.length) {
    const startsRun = (w: string, next: string | undefined): boolean =>
      /^\d+(\.\d+)?$/.test(w) ||
      (NUMBER_WORDS.has(w) && w !== 'point') ||
      ((w === 'a' || w === 'half') && next !== undefined && MULTIPLIER_WORDS.has(next));
    const dollarSign = words[i] === '$';
    const first = dollarSign ? i + 1 : i;
    if (first >= words.length || !startsRun(words[first]!, words[first + 1])) {
      i++;
      continue;
    }
    let j = first;
    const run: string[] = [];
    let multiplier = 1;
    while (j < words.length) {
      const w = words[j]!;
      const prev = run[run.length - 1];
      if (/^\d+(\.\d+)?$/.test(w) || NUMBER_WORDS.has(w) || (w === 'a' && (run.length === 0 || prev === 'half')))
        run.push(w);
      else if (MULTIPLIER_WORDS.has(w) && prev !== undefined && !MULTIPLIER_WORDS.has(prev)) {
        run.push(w);
        multiplier = Math.max(multiplier, w.startsWith('m') ? 1e6 : 1e3);
      } else if (w === 'and' && prev === 'hundred') run.push(w);
      else break;
      j++;
    }
    while (run.length > 0 && ['and', 'point', 'a'].includes(run[run.length - 1]!)) {
      run.pop();
      j--;
    }
    const after = words[j];
    const dollars = after !== undefined && /^(?:dollars?|bucks)$/.test(after);
    const value = run.length > 0 ? parsePrice(run.join(' ')) : null;
    if (value !== null) {
      spans.push({
        value,
        start: i,
        end: dollars ? j + 1 : j,
        marked: dollarSign || dollars || multiplier > 1,
        multiplier,
      });
    }
    i = Math.max(j, i + 1);
  }
  return spans;
}

/** A single amount of money: "850 thousand", "$1.2 million", "eight hundred fifty k". */
export function extractMoney(utterance: string): number | null {
  const spans = extractMoneySpans(utterance);
  const marked = spans.find((s) => s.marked);
  if (marked) return marked.value;
  const big = spans.find((s) => s.value >= 10000);
  return big ? big.value : null;
}

/** "between 400 and 500 thousand", "400 to 500k", "up to 1.2 million", "at least 300k". */
export function extractBudget(utterance: string): BudgetRange | null {
  const words = moneyWords(utterance);
  const spans = extractMoneySpans(utterance);
  for (let k = 0; k + 1 < spans.length; k++) {
    const a = spans[k]!;
    const b = spans[k + 1]!;
    const joiner = words.slice(a.end, b.start).join(' ');
    if (!/^(?:and|to|or|through|-)$/.test(joiner)) continue;
    if (joiner === 'and' && words[a.start - 1] !== 'between' && words[a.start - 2] !== 'between') continue;
    let lo = a.value;
    const hi = b.value;
    if (!a.marked && b.multiplier > 1 && lo * b.multiplier <= hi * 1.0001 * 10) lo *= b.multiplier;
    if (lo > hi) continue;
    if (!b.marked && hi < 10000) continue;
    return { min: lo, max: hi };
  }
  const text = words.join(' ');
  const single = extractMoney(utterance);
  if (single === null) return null;
  if (
    /\b(?:up to|under|below|less than|no more than|max|maximum|at most|tops|cap|ceiling|can't go over|cannot go over)\b/.test(
      text,
    )
  )
    return { min: null, max: single };
  if (/\b(?:at least|over|above|more than|minimum|starting at|from)\b/.test(text)) return { min: single, max: null };
  if (/\b(?:budget|afford|spend|looking to spend|price range|range|around|about)\b/.test(text))
    return { min: null, max: single };
  return null;
}

// ---------------------------------------------------------------- timeline

const UNIT_MONTHS = lookup<number>({ day: 1 / 30, week: 12 / 52, month: 1, year: 12 });

/** "in the next 3 months", "within six months", "asap", "next spring", "just looking". */
export function extractTimeline(utterance: string): Timeline | null {
  const text = normalizeUtterance(utterance);
  let m = /\b(asap|as soon as possible|right away|right now|immediately|urgently|this week|right away)\b/.exec(text);
  if (m) return { text: m[0], months: 0, urgency: 'immediate' };
  m =
    /\b(?:in|within|over|during|inside of|sometime in) (?:the )?(?:next |coming |following )?(?:(?:a (?=couple|few))?(a|an|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty|couple|few)(?: of)? (?:(?:to|or|-) (\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen) )?)?(day|week|month|year)s?\b/.exec(
      text,
    );
  if (m) {
    const n = smallNumber(m[2] ?? m[1] ?? 'one') ?? 1;
    const months = Math.round(n * UNIT_MONTHS[m[3]!]! * 10) / 10;
    return { text: m[0], months, urgency: months <= 3 ? 'soon' : 'later' };
  }
  m = /\b(?:next|this|by) (spring|summer|fall|autumn|winter|year)\b|\bend of (?:the )?year\b/.exec(text);
  if (m) return { text: m[0], months: null, urgency: m[1] === 'year' || !m[1] ? 'later' : 'soon' };
  m =
    /\b(just (?:looking|browsing)|not sure|no rush|no hurry|not in a hurry|don't know yet|undecided|no timeline)\b/.exec(
      text,
    );
  if (m) return { text: m[0], months: null, urgency: 'undecided' };
  return null;
}

// ---------------------------------------------------------------- property reference

const STREET_SUFFIX =
  'street|st|avenue|ave|road|rd|drive|dr|lane|ln|court|ct|boulevard|blvd|way|place|pl|circle|cir|terrace|ter|parkway|pkwy|highway|hwy|trail|trl|square|sq|loop|row|crescent|alley';
const STOP =
  "tomorrow|today|tonight|at|for|and|is|still|please|this|next|on|in|that|which|it|the|a|with|to|around|about|listed|i|we|you|how|what|does|do|can|could|would|available|sold|yes|no|morning|afternoon|evening|bedrooms?|bed|beds|baths?|bathrooms?|square|sq|sqft|feet|foot|acres?|k|thousand|million|dollars|am|pm|o'?clock|monday|tuesday|wednesday|thursday|friday|saturday|sunday|percent|minutes|hours|days|weeks|months|years|people|kids|times?";
const STREET_WORD = `(?!(?:${STOP})\\b)[a-z][a-z']*`;

/** "the one on elm street", "one forty one elm", "141 Elm St apt 4b", "property five". */
export function extractPropertyRef(utterance: string): PropertyRef | null {
  const text = normalizeUtterance(utterance);
  let m =
    /\b(?:property|listing|home|house) (?:number |no |#)?(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b(?! (?:bed|bath|br|ba|car|story|stories|acre|square|sq))/.exec(
      text,
    );
  if (m) {
    const index = Number(wordsToDigits([m[1]!])[0]);
    if (Number.isInteger(index) && index > 0 && index < 1000) return { kind: 'index', text: m[0], index };
  }
  // Digitise number words so "one forty one elm" and "141 elm" look alike. Keep "the one on".
  const pointed = text.replace(/\bthe one (on|at|over on)\b/g, 'the house $1');
  const words = pointed.split(' ');
  const digitised = wordsToDigits(words).join(' ');
  const address = new RegExp(
    String.raw`\b(\d+[a-z]?)\s+((?:(?:north|south|east|west|n|s|e|w)\s+)?(?:\d+(?:st|nd|rd|th)|${STREET_WORD})(?:\s+${STREET_WORD}){0,2}?)(?:\s+(${STREET_SUFFIX}))?(?:\s+(?:apartment|apt|unit|suite|ste|#)\s*([a-z0-9]+))?(?=\s|$)`,
  );
  for (const mm of digitised.matchAll(new RegExp(address.source, 'g'))) {
    const [span, house, street, suffix] = mm;
    if (!house || !street) continue;
    // Needs a suffix, an ordinal street or a caller pointer ("about 141 elm") to read as an address.
    const before = digitised.slice(0, mm.index);
    const pointer =
      /^\s*$|\b(?:about|on|at|for|see|seeing|view|viewing|tour|is|in|the|house|listing|property|place)\s*$/.test(
        before,
      );
    if (!suffix && !/^\d+(st|nd|rd|th)$/.test(street) && !pointer) continue;
    if (/^(?:am|pm)$/.test(street)) continue;
    const t = tokenizeAddress(span, { spoken: true });
    return { kind: 'address', text: span, address: spokenToAddress(span), houseNumber: t.houseNumber ?? house };
  }
  m = new RegExp(
    String.raw`\b(?:on|off(?: of)?)\s+((?:${STREET_WORD}\s+){0,2}?(?:${STREET_SUFFIX}))\b|\b(?:house|place|home|property|listing|condo|townhouse) (?:on|at|over on) (${STREET_WORD}(?:\s+${STREET_WORD})?(?:\s+(?:${STREET_SUFFIX}))?)\b`,
  ).exec(pointed);
  if (m) {
    const spoken = (m[1] ?? m[2])!;
    if (/^(?:the|a)\s/.test(spoken)) return null;
    return { kind: 'street', text: spoken, street: spokenToAddress(spoken) };
  }
  return null;
}

// ---------------------------------------------------------------- yes / no

const YES =
  /^(?:yes|yeah|yep|yup|ya|yah|sure|sure thing|correct|right|that's right|that is right|absolutely|definitely|of course|okay|ok|sounds good|that works|perfect|please do|yes please|affirmative|uh huh|mm hmm|certainly|exactly|i do|we are|i am|it is|that'd be great|that would be great)\b/;
const NO =
  /^(?:no|nope|nah|not really|no thanks|no thank you|negative|i don't|i do not|we don't|we're not|i'm not|not yet|not at all|never mind|nevermind|that's wrong|wrong|incorrect)\b/;

/** true for "yes / yeah / sure …", false for "no / nope / not really …", otherwise null. */
export function extractYesNo(utterance: string): boolean | null {
  const text = normalizeUtterance(utterance).replace(/^(?:uh|um|er|well|oh|so)\s+/, '');
  if (NO.test(text)) return false;
  if (YES.test(text)) return true;
  return null;
}
