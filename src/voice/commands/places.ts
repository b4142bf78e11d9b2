import { lookup } from '../../domain/shared/lookup.ts';
import { US_STATE_CODES } from '../../domain/shared/us-states.ts';
import { cut, titleCase } from './text.ts';

const STATE_NAMES = lookup<string>({
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  'd c': 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
  'puerto rico': 'PR',
});

/** Two-letter codes that are also everyday words are only read as states in their full names. */
const WORD_CODES = new Set([
  'in',
  'or',
  'me',
  'oh',
  'hi',
  'ok',
  'as',
  'de',
  'la',
  'id',
  'co',
  'ma',
  'pa',
  'al',
  'mo',
  'ne',
  'ct',
]);
const CODES = US_STATE_CODES.map((c) => c.toLowerCase()).filter((c) => !WORD_CODES.has(c));
const STATE_RE = new RegExp(
  `\\b(${Object.keys(STATE_NAMES)
    .sort((a, b) => b.length - a.length)
    .join('|')}|${CODES.join('|')})\\b(?! (?:street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd)\\b)(?: (\\d{5}))?`,
  'g',
);
/** Words that end a city name when read backwards from the state. */
const NOT_CITY = new Set(
  (
    'in at for on to of with and the a an is property listing house home condo townhouse apartment create add ' +
    'new make listed asking priced price under over st street ave avenue rd road dr drive ln lane ct court blvd way'
  ).split(' '),
);
const CITY_END =
  '(?= (?:under|over|below|above|between|with|for|that|priced|from|at|less|more|and|listed|asking)\\b|$)';
const IN_CITY = new RegExp(`\\bin ((?!the\\b)[a-z][a-z']*(?: [a-z][a-z']*){0,2}?)${CITY_END}`);

export interface Place {
  city?: string;
  state?: string;
  zip?: string;
  rest: string;
}

/** "in Miami Florida", "Austin, TX 78701", "in Miami": the city, the state and the zip said. */
export function findPlace(text: string): Place {
  let stateOnly: Place | null = null;
  for (const m of text.matchAll(STATE_RE)) {
    const before = text.slice(0, m.index).trimEnd();
    const words = before.split(' ').filter(Boolean);
    const city: string[] = [];
    while (city.length < 4 && words.length > 0 && !NOT_CITY.has(words[words.length - 1]!)) {
      const w = words.pop()!;
      if (/\d/.test(w)) break;
      city.unshift(w);
    }
    const said = m[1]!;
    const place: Place = { state: STATE_NAMES[said] ?? said.toUpperCase(), rest: cut(text, m[0]) };
    if (m[2]) place.zip = m[2];
    if (city.length > 0) {
      if (words[words.length - 1] === 'in') words.pop();
      place.city = titleCase(city.join(' '));
      place.rest = `${words.join(' ')} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim();
      return place;
    }
    stateOnly ??= place;
  }
  const rest = stateOnly?.rest ?? text;
  const inCity = IN_CITY.exec(rest);
  if (inCity && !STATE_NAMES[inCity[1]!])
    return { ...stateOnly, city: titleCase(inCity[1]!), rest: cut(rest, inCity[0]) };
  return stateOnly ?? { rest: text };
}
