import { wordsToDigits, type SpokenNumberOptions } from './spoken-numbers.ts';
import { lookup } from '../shared/lookup.ts';

/** Street suffixes → USPS abbreviation (lower case). */
const SUFFIXES = lookup<string>({
  street: 'st',
  str: 'st',
  st: 'st',
  avenue: 'ave',
  av: 'ave',
  ave: 'ave',
  avn: 'ave',
  boulevard: 'blvd',
  blvd: 'blvd',
  boul: 'blvd',
  drive: 'dr',
  drv: 'dr',
  dr: 'dr',
  road: 'rd',
  rd: 'rd',
  lane: 'ln',
  ln: 'ln',
  court: 'ct',
  ct: 'ct',
  place: 'pl',
  pl: 'pl',
  terrace: 'ter',
  ter: 'ter',
  circle: 'cir',
  cir: 'cir',
  parkway: 'pkwy',
  pkwy: 'pkwy',
  pky: 'pkwy',
  highway: 'hwy',
  hwy: 'hwy',
  square: 'sq',
  sq: 'sq',
  trail: 'trl',
  trl: 'trl',
  alley: 'aly',
  aly: 'aly',
  crescent: 'cres',
  cres: 'cres',
  expressway: 'expy',
  expy: 'expy',
  freeway: 'fwy',
  fwy: 'fwy',
  plaza: 'plz',
  plz: 'plz',
  way: 'way',
  loop: 'loop',
  row: 'row',
  walk: 'walk',
  path: 'path',
});

const DIRECTIONS = lookup<string>({
  north: 'n',
  n: 'n',
  south: 's',
  s: 's',
  east: 'e',
  e: 'e',
  west: 'w',
  w: 'w',
  northeast: 'ne',
  ne: 'ne',
  northwest: 'nw',
  nw: 'nw',
  southeast: 'se',
  se: 'se',
  southwest: 'sw',
  sw: 'sw',
});

/** Unit designators → display form. All collapse to one key token. */
const UNIT_WORDS = lookup<string>({
  apartment: 'Apt',
  apt: 'Apt',
  unit: 'Unit',
  suite: 'Ste',
  ste: 'Ste',
  '#': 'Unit',
  number: 'Unit',
  no: 'Unit',
});

const SPOKEN_FILLERS = [
  /\b(?:the\s+)?(?:property|house|home|listing|place|one|condo|apartment|townhouse)\s+(?:on|at|over\s+on)\s+/g,
  /\b(?:the\s+)?(?:property|house|home|listing)\s+(?:located\s+)?(?:on|at)\b/g,
  /^\s*(?:on|at)\s+/,
  /^\s*(?:number|no\.?)\s+(?=\S)/,
];

export interface AddressTokens {
  /** Canonical lower-case tokens, numbers as digits, suffixes abbreviated, unit as '#'. */
  tokens: string[];
  houseNumber: string | null;
  unit: string | null;
  /** Display label of the unit designator that was used ("Apt", "Unit", "Ste"). */
  unitLabel: string | null;
}

function rawWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/#\s*/g, ' # ')
    .replace(/(\d)(st|nd|rd|th)\b/g, '$1$2')
    .replace(/[.,;:()"]/g, ' ')
    .replace(/(?<=[a-z])-(?=[a-z])/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Tokenises a written or spoken street address: number words become digits, suffixes,
 * directions and unit designators are canonicalised.
 */
export function tokenizeAddress(text: string, opts: { spoken?: boolean } & SpokenNumberOptions = {}): AddressTokens {
  let source = text.toLowerCase();
  if (opts.spoken) for (const filler of SPOKEN_FILLERS) source = source.replace(filler, ' ');
  const words = wordsToDigits(rawWords(source), opts);

  // Split off a unit: "apartment 4 b", "apt 4b", "# 12", "unit c", "apt 12-a".
  let street = words;
  let unit: string | null = null;
  let unitLabel: string | null = null;
  const unitAt = words.findIndex((w, i) => i > 0 && w in UNIT_WORDS);
  if (unitAt > 0) {
    const id = words
      .slice(unitAt + 1)
      .map((x) => x.replace(/-/g, ''))
      .filter((x) => /^[a-z]$|^\d+[a-z]?$|^[a-z]\d+$/.test(x))
      .join('');
    if (id) {
      unit = id;
      unitLabel = UNIT_WORDS[words[unitAt]!]!;
      street = words.slice(0, unitAt);
    }
  }

  // "221 b baker street" → 221b: a lone letter after the number that is neither a direction nor
  // the street name itself ("1500 K Street", where a suffix follows the letter).
  if (
    street.length > 3 &&
    /^\d+$/.test(street[0]!) &&
    /^[a-z]$/.test(street[1]!) &&
    !(street[1]! in DIRECTIONS) &&
    !(street[2]! in SUFFIXES)
  ) {
    street = [`${street[0]}${street[1]}`, ...street.slice(2)];
  }

  // Suffixes are canonical only in last position ("Court Street" keeps "court"); directions
  // only right after the house number or at the end ("200 West 42nd St", "Main St South").
  const last = street.length - 1;
  const tokens = street.map((w, i) => {
    if (i === last && i > 0 && w in SUFFIXES) return SUFFIXES[w]!;
    if ((i === 1 || i === last) && i > 0 && w in DIRECTIONS) return DIRECTIONS[w]!;
    return w;
  });
  // "141 Elm Street N": the suffix may sit before a trailing direction.
  if (last >= 2 && street[last]! in DIRECTIONS) {
    const w = street[last - 1]!;
    if (w in SUFFIXES) tokens[last - 1] = SUFFIXES[w]!;
  }
  const houseNumber = street[0] !== undefined && /^\d+[a-z]?$/.test(street[0]) ? street[0] : null;
  if (unit) tokens.push('#', unit);
  return { tokens, houseNumber, unit, unitLabel };
}

/** Canonical key for duplicate detection: street tokens + city + state. */
export function addressKey(address: string, city: string, state: string): string {
  const street = tokenizeAddress(address).tokens.join(' ');
  const cityKey = rawWords(city).join(' ');
  return `${street}|${cityKey}|${state.trim().toLowerCase()}`;
}

const DIRECTION_TOKENS = new Set(Object.values(DIRECTIONS));

const DISPLAY_SUFFIX = lookup<string>(
  Object.fromEntries(Object.values(SUFFIXES).map((abbr) => [abbr, abbr.charAt(0).toUpperCase() + abbr.slice(1)])),
);

/** Formats canonical tokens for display: "141 Elm St", "200 W 42nd St Apt 4B". */
export function formatAddressTokens(tokens: readonly string[], unitLabel = 'Apt'): string {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '#') {
      const id = tokens[i + 1];
      if (id) out.push(unitLabel, id.toUpperCase());
      break;
    }
    if (t in DISPLAY_SUFFIX) {
      out.push(DISPLAY_SUFFIX[t]!);
    } else if (t.length <= 2 && DIRECTION_TOKENS.has(t)) out.push(t.toUpperCase());
    else if (/^\d/.test(t)) out.push(t.toLowerCase());
    else out.push(t.charAt(0).toUpperCase() + t.slice(1));
  }
  return out.join(' ');
}

/** Turns a spoken address ("one forty one elm street") into a written one ("141 Elm St"). */
export function spokenToAddress(spoken: string): string {
  const t = tokenizeAddress(spoken, { spoken: true });
  return formatAddressTokens(t.tokens, t.unitLabel ?? 'Apt');
}

/** Tokens that carry no identifying information on their own. */
export function isGenericToken(token: string): boolean {
  return (
    Object.values(SUFFIXES).includes(token) || DIRECTION_TOKENS.has(token) || token === '#' || GENERIC_WORDS.has(token)
  );
}

const GENERIC_WORDS = new Set([
  'the',
  'a',
  'an',
  'on',
  'at',
  'in',
  'of',
  'and',
  'property',
  'house',
  'home',
  'listing',
  'place',
  'condo',
  'apartment',
  'townhouse',
  'one',
  'that',
  'this',
  'our',
  'my',
  'street',
  'avenue',
  'road',
]);
