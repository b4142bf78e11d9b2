import type { PropertyStatus, PropertyType } from '../../domain/properties/property.enums.ts';
import { STAGE_LABELS } from '../../domain/properties/property.enums.ts';
import { smallNumber } from '../nlu/text.ts';
import { cut, toNumber } from './text.ts';
import { CAMPAIGN_PURPOSES } from '../../domain/campaigns/campaign.entity.ts';

/** A slot read from `text`, and `text` without it; `conflict` when it was said twice with different values. */
export interface Found<T> {
  value?: T;
  conflict?: T[];
  rest: string;
}

function collect<T>(text: string, re: RegExp, read: (m: RegExpMatchArray) => T | null): Found<T> {
  let rest = text;
  const values: T[] = [];
  for (const m of text.matchAll(new RegExp(re.source, 'g'))) {
    const v = read(m);
    if (v === null) continue;
    if (!values.includes(v)) values.push(v);
    rest = cut(rest, m[0]);
  }
  if (values.length > 1) return { conflict: values, rest };
  return values.length === 1 ? { value: values[0]!, rest } : { rest };
}

export const bedrooms = (text: string): Found<number> =>
  collect(text, /\b(\d{1,2})(?: |-)?(?:bed(?:room)?s?|br|bd|bdrms?)\b/, (m) => toNumber(m[1]));

export const bathrooms = (text: string): Found<number> =>
  collect(text, /\b(\d{1,2}(?:\.5)?)( and (?:a|1) half)?(?: |-)?(?:full )?(?:bath(?:room)?s?|ba)\b/, (m) => {
    const n = toNumber(m[1]);
    return n === null ? null : n + (m[2] ? 0.5 : 0);
  });

export const squareFeet = (text: string): Found<number> =>
  collect(text, /\b(\d{3,6})(?: |-)?(?:square (?:feet|foot|ft)|sq ?ft|sqft|square)\b/, (m) => toNumber(m[1]));

export const yearBuilt = (text: string): Found<number> => collect(text, /\bbuilt in (\d{4})\b/, (m) => toNumber(m[1]));

const TYPES: [RegExp, PropertyType][] = [
  [/\bcondo(?:minium)?s?\b/, 'condo'],
  [/\btown ?(?:house|home)s?\b/, 'townhouse'],
  [/\bapartments?\b/, 'apartment'],
  [/\b(?:land|lots?|vacant lots?|acreage)\b/, 'land'],
  [/\bcommercial\b/, 'commercial'],
  [/\b(?:single family(?: homes?| houses?)?|houses)\b/, 'house'],
];

/** The kind of property named ("condos", "a townhouse"); `house` also reads "a house" when `singular`. */
export function propertyType(text: string, singular = false): Found<PropertyType> {
  const table: [RegExp, PropertyType][] = singular ? [...TYPES, [/\b(?:a|the) house\b/, 'house']] : TYPES;
  for (const [re, type] of table) {
    const m = re.exec(text);
    if (m) return { value: type, rest: cut(text, m[0]) };
  }
  return { rest: text };
}

const STAGES: [RegExp, PropertyStatus][] = [
  [/\bnew(?: property| properties| listings?)?\b/, 'new_property'],
  [/\benriched\b/, 'enriched'],
  [/\bresearched\b/, 'researched'],
  [/\b(?:waiting (?:for|on) (?:the )?contracts?|under contract|pending|in escrow)\b/, 'waiting_for_contracts'],
  [/\b(?:complete|completed|closed|sold|done|finished)\b/, 'complete'],
];

/** A pipeline stage as said after "to", "as", "in" or "into" (or anywhere with `loose`). */
export function stage(text: string, loose = false): Found<PropertyStatus> {
  for (const [re, status] of STAGES) {
    const lead = loose ? '' : '(?:\\b(?:to|as|in|into) (?:the )?|(?=under contract\\b|in escrow\\b))';
    const m = new RegExp(`${lead}${re.source}(?: stage| status)?`).exec(text);
    if (m) return { value: status, rest: cut(text, m[0]) };
  }
  return { rest: text };
}

export const stageLabel = (s: PropertyStatus): string => STAGE_LABELS[s];
export const STAGE_QUESTION = 'Which stage: new property, enriched, researched, waiting for contracts, or complete?';

const UNIT_HOURS: Record<string, number> = { hour: 1, day: 24, week: 168, month: 720 };

/** A count of hours or days; "a few" is no number. */
const COUNT = '\\d+(?:\\.\\d+)?|an?|a couple(?: of)?|couple(?: of)?';

function hoursOf(count: string | undefined, unit: string): number | null {
  const said = (count ?? 'a').replace(/^a (?=couple)/, '').replace(/ of$/, '');
  const n = smallNumber(said === 'an' ? 'a' : said);
  return n === null ? null : Math.round(n * UNIT_HOURS[unit]!);
}

/** "for 3 days", "for a week", "for a couple of hours", "3 days" → hours; "2 or 3 days" is a conflict. */
export function duration(text: string): Found<number> {
  const range = new RegExp(`\\b(${COUNT}) (?:or|to) (${COUNT}) (hour|day|week|month)s?\\b`).exec(text);
  if (range) {
    const values = [hoursOf(range[1], range[3]!), hoursOf(range[2], range[3]!)].filter((v) => v !== null);
    return { conflict: values, rest: cut(text, range[0]) };
  }
  return collect(
    text,
    new RegExp(
      `\\b(?:(?:for|another|by) (?:another |the next |a further )?(${COUNT})?|(\\d+(?:\\.\\d+)?)) ?(hour|day|week|month)s?\\b`,
    ),
    (m) => hoursOf(m[1] ?? m[2], m[3]!),
  );
}

/** "offer 12", "offer number twelve", "contract #3", "campaign 4". */
export function numbered(text: string, noun: 'offer' | 'contract' | 'campaign' | 'notification'): Found<number> {
  return collect(
    text,
    new RegExp(`\\b${noun}s? (?:(?:number|no|id) )?#? ?(\\d{1,5})\\b(?! ?(?:k|m|thousand|grand|million)\\b)`),
    (m) => toNumber(m[1]),
  );
}

export { CAMPAIGN_PURPOSES };
export type CampaignPurpose = (typeof CAMPAIGN_PURPOSES)[number];

const PURPOSES: [RegExp, CampaignPurpose][] = [
  [/\b(?:just listed|new listing|just listing)\b/, 'just_listed'],
  [/\b(?:just sold|sold)\b/, 'just_sold'],
  [/\bexpired(?: listings?)?(?: follow ?up)?\b/, 'expired_follow_up'],
  [/\b(?:fsbo|f s b o|for sale by owner)(?: follow ?up)?\b/, 'fsbo_follow_up'],
  [/\bopen house(?: rsvp| invitations?)?\b/, 'open_house_rsvp'],
  [/\b(?:past clients?|client check ?ins?|check ?in)\b/, 'past_client_check_in'],
  [/\b(?:property update|price (?:change|drop|update|reduction|cut))\b/, 'property_update'],
];

export function purpose(text: string): Found<CampaignPurpose> {
  for (const [re, p] of PURPOSES) {
    const m = re.exec(text);
    if (m) return { value: p, rest: cut(text, m[0]) };
  }
  return { rest: text };
}

export const PURPOSE_LABELS: Record<CampaignPurpose, string> = {
  just_listed: 'just-listed',
  just_sold: 'just-sold',
  expired_follow_up: 'expired-listing',
  fsbo_follow_up: 'for-sale-by-owner',
  open_house_rsvp: 'open house',
  past_client_check_in: 'past-client check-in',
  property_update: 'property update',
};

/** Purposes about one listing: the campaign needs to know which. */
export const PROPERTY_PURPOSES: ReadonlySet<CampaignPurpose> = new Set([
  'just_listed',
  'just_sold',
  'open_house_rsvp',
  'property_update',
]);
