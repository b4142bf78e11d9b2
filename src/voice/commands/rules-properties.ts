import type { PropertyStatus, PropertyType } from '../../domain/properties/property.enums.ts';
import { formatPrice } from '../../domain/shared/money.ts';
import { extractPropertyRef } from '../nlu/slots.ts';
import { findPlace } from './places.ts';
import { findProperty, perProperty, target } from './property.ts';
import {
  bathrooms,
  bedrooms,
  propertyType,
  squareFeet,
  stage,
  STAGE_QUESTION,
  stageLabel,
  yearBuilt,
  type Found,
} from './slots.ts';
import { amounts, cut, orList, plural, priceList } from './text.ts';
import { clarify, command, isClarify, type Clarify, type Rule } from './types.ts';

interface Features {
  bedrooms?: number;
  bathrooms?: number;
  square_feet?: number;
  year_built?: number;
  property_type?: PropertyType;
}

/** Beds, baths, square feet, year built and kind of property said in `text`; a question if one was said twice. */
function features(text: string, singularType: boolean): { values: Features; rest: string } | Clarify {
  const values: Features = {};
  let rest = text;
  const read = <T>(found: Found<T>, key: keyof Features, what: string): Clarify | null => {
    rest = found.rest;
    if (found.conflict) return clarify(`How many ${what}: ${orList(found.conflict.map(String))}?`);
    if (found.value !== undefined) (values as Record<string, unknown>)[key] = found.value;
    return null;
  };
  const problem =
    read(bedrooms(rest), 'bedrooms', 'bedrooms') ??
    read(bathrooms(rest), 'bathrooms', 'bathrooms') ??
    read(squareFeet(rest), 'square_feet', 'square feet') ??
    read(yearBuilt(rest), 'year_built', 'years');
  if (problem) return problem;
  const type = propertyType(rest, singularType);
  if (type.value) values.property_type = type.value;
  return { values, rest: type.rest };
}

function describeFeatures(f: Features): string {
  const parts: string[] = [];
  if (f.bedrooms !== undefined) parts.push(plural(f.bedrooms, 'bed'));
  if (f.bathrooms !== undefined) parts.push(plural(f.bathrooms, 'bath'));
  if (f.square_feet !== undefined) parts.push(`${f.square_feet.toLocaleString('en-US')} square feet`);
  if (f.year_built !== undefined) parts.push(`built in ${f.year_built}`);
  if (parts.length === 0) return '';
  return ` with ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]}`;
}

export const createProperty: Rule = {
  tool: 'create_property',
  when: /^(?:create|add|make|enter|set up|put in|list) (?:a |an |new |a new )(?:(?!(?:to|for|on|at|of|note|contact|contract|offer|task|reminder)\b)[a-z0-9.-]+ ){0,3}?(?:property|listing|house|home|condo|townhouse|townhome|apartment|lot|land)\b|^(?:create|add|enter) (?:property|listing)(?: at| on| for|$)|^(?:a )?new (?:property|listing)\b|^(?:i|we) (?:have|got|'ve got) a new (?:property|listing)\b/,
  build(u) {
    const f = features(u.text, true);
    if (isClarify(f)) return f;
    const said = extractPropertyRef(f.rest);
    if (said?.kind !== 'address') {
      return clarify(
        said?.kind === 'street'
          ? `What is the house number on ${said.street}?`
          : 'What is the street address of the new property?',
      );
    }
    const address = said.address;
    const place = findPlace(cut(f.rest, said.text));
    const price = amounts(place.rest);
    if (price.kind === 'many') return clarify(`What is the price: ${priceList(price.values)}?`);
    if (price.kind === 'unclear') return clarify(`What is the price of ${address}?`);
    if (!place.city && !place.state) return clarify(`Which city and state is ${address} in?`);
    if (!place.state) return clarify(`Which state is ${place.city} in?`);
    if (!place.city) return clarify(`Which city is ${address} in?`);
    const args: Record<string, unknown> = { address, city: place.city, state: place.state, ...f.values };
    if (place.zip) args.zip_code = place.zip;
    if (price.kind === 'one') args.price = price.value;
    const kind = f.values.property_type && f.values.property_type !== 'house' ? f.values.property_type : 'property';
    const at = `${address}, ${place.city}, ${place.state}`;
    const forPrice = price.kind === 'one' ? ` for ${formatPrice(price.value)}` : '';
    return command('create_property', args, `Create a ${kind} at ${at}${forPrice}${describeFeatures(f.values)}?`);
  },
};

const PRICE_WORDS = /\bprice\b|\b(?:drop|lower|raise|reduce|cut|increase|bump)\b|^(?:re)?list\b/;

const updateProperty: Rule = {
  tool: 'update_property',
  when: /^(?:change|set|update|make|drop|lower|raise|reduce|cut|increase|bump|adjust|move|mark|put|advance|switch|correct|fix|edit)\b|\bprice (?:change|drop|reduction|cut|increase)\b|^(?:re)?list (?:it|this|that|property \d+|the .{1,30}?) (?:at|for) /,
  build(u, ctx) {
    const { ref, rest: afterRef } = findProperty(u.text);
    let st = stage(afterRef);
    // "mark it closed", "mark property 5 sold": no "as" needed after mark.
    if (!st.value && /^mark\b/.test(afterRef)) {
      const loose = stage(afterRef, true);
      if (loose.value !== 'new_property') st = loose;
    }
    const f = features(st.rest, true);
    if (isClarify(f)) return f;
    const changes: Record<string, unknown> = { ...f.values };
    if (st.value) changes.status = st.value;
    if (PRICE_WORDS.test(f.rest)) {
      const to = /\b(?:to|at) (.+)$/.exec(f.rest);
      if (!to && /\bby \$?\d/.test(f.rest)) return clarify('What should the new price be?');
      const price = amounts(to ? to[1]! : f.rest);
      if (price.kind === 'many') return clarify(`Which price: ${priceList(price.values)}?`);
      if (price.kind !== 'one') return clarify('What should the new price be?');
      changes.price = price.value;
    }
    if (Object.keys(changes).length === 0) return /\b(?:status|stage)\b/.test(f.rest) ? clarify(STAGE_QUESTION) : null;
    const t = target(ref, ctx);
    if (t === null || isClarify(t)) return t;
    const keys = Object.keys(changes);
    let readBack: string;
    if (keys.length === 1 && keys[0] === 'price')
      readBack = `Change the price of ${t.label} to ${formatPrice(changes.price as number)}?`;
    else if (keys.length === 1 && keys[0] === 'status')
      readBack = `Move ${t.label} to the ${stageLabel(changes.status as PropertyStatus)} stage?`;
    else {
      const parts = [
        changes.price !== undefined ? `price ${formatPrice(changes.price as number)}` : '',
        changes.status !== undefined ? `stage ${stageLabel(changes.status as PropertyStatus)}` : '',
        f.values.property_type ? `type ${f.values.property_type}` : '',
        describeFeatures(f.values).replace(/^ with /, ''),
      ].filter(Boolean);
      readBack = `Update ${t.label}: ${parts.join(', ')}?`;
    }
    return command('update_property', { ...t.args, ...changes }, readBack, t.id);
  },
};

const DELETE_FILLER =
  /\b(?:the|this|that|one|property|listing|from|my|our|the|system|list|listings|permanently|entirely|completely|please|altogether)\b/g;

const deleteProperty: Rule = {
  tool: 'delete_property',
  when: /^(?:delete|remove|erase|get rid of)\b/,
  build(u, ctx) {
    const { ref, rest } = findProperty(u.text);
    // Only a property is deleted: "remove the disclosure from property 5" names something else.
    const other = rest
      .replace(/^(?:delete|remove|erase|get rid of)\b/, '')
      .replace(DELETE_FILLER, ' ')
      .trim();
    if (other) return clarify('I can only delete properties by phone. Which property should I delete?');
    if (ref.kind === 'none') return clarify('Which property should I delete?');
    const t = target(ref, ctx);
    if (t === null || isClarify(t)) return t;
    return command(
      'delete_property',
      { ...t.args, confirm: true },
      `Delete ${t.label} with its notes and contacts? This cannot be undone.`,
      t.id,
    );
  },
};

const BOUND =
  /\b(under|below|less than|up to|max(?:imum)?|at most|no more than|cheaper than|over|above|more than|at least|min(?:imum)?|from|starting at) (\$?\d[\d.]*(?: ?(?:k|m|mil|million|grand))?)\b/g;
const BETWEEN =
  /\bbetween (\$?\d[\d.]*(?: ?(?:k|m|mil|million|grand))?) (?:and|to) (\$?\d[\d.]*(?: ?(?:k|m|mil|million|grand))?)\b/;

const listProperties: Rule = {
  tool: 'list_properties',
  when: /\b(?:show|list|find|give|get|read|pull up|tell|search)\b.{0,20}\b(?:properties|listings|homes|houses|condos|townhouses|townhomes|apartments|lots|land|commercial)\b|\b(?:what|which|how many|any) (?:properties|listings|homes|houses|condos|townhouses|apartments)\b|\bsearch (?:for )?(?:properties|listings)\b|\b(?:show|list|find) (?:me )?everything\b/,
  build(u) {
    const args: Record<string, unknown> = {};
    const said: string[] = [];
    let rest = u.text;
    const type = propertyType(rest);
    rest = type.rest;
    if (type.value) args.property_type = type.value;
    const st = stage(rest, true);
    if (st.value && (st.value !== 'new_property' || /\bnew (?:properties|listings)\b/.test(rest))) {
      args.status = st.value;
      rest = st.rest;
    }
    const beds = bedrooms(rest);
    if (beds.conflict) return clarify(`How many bedrooms: ${orList(beds.conflict.map(String))}?`);
    if (beds.value !== undefined) [args.bedrooms, rest] = [beds.value, beds.rest];
    const between = BETWEEN.exec(rest);
    const bounds: [string, string][] = between
      ? [
          ['from', between[1]!],
          ['under', between[2]!],
        ]
      : [...rest.matchAll(BOUND)].map((m) => [m[1]!, m[2]!]);
    for (const [word, amount] of bounds) {
      const price = amounts(amount);
      if (price.kind !== 'one') return clarify(`What price did you mean: ${amount}?`);
      const key = /^(?:under|below|less|up|max|at most|no more|cheaper)/.test(word) ? 'max_price' : 'min_price';
      if (args[key] !== undefined) return clarify('What price range do you mean?');
      args[key] = price.value;
    }
    // Spaces squeezed: "in austin under 500k" leaves "in austin  ", and the city must end the text or a bound.
    const place = findPlace(rest.replace(BOUND, ' ').replace(BETWEEN, ' ').replace(/\s+/g, ' ').trim());
    if (place.city) args.city = place.city;
    const street = extractPropertyRef(place.rest);
    if (street?.kind === 'street') args.query = street.street;
    const kind = type.value ? `${type.value === 'land' ? 'land' : `${type.value}s`}` : 'properties';
    if (args.bedrooms !== undefined) said.push(`with at least ${plural(args.bedrooms as number, 'bedroom')}`);
    if (args.status) said.push(`in the ${stageLabel(args.status as PropertyStatus)} stage`);
    const [lo, hi] = [args.min_price as number | undefined, args.max_price as number | undefined];
    if (lo !== undefined && hi !== undefined) said.push(`between ${formatPrice(lo)} and ${formatPrice(hi)}`);
    else if (lo !== undefined) said.push(`over ${formatPrice(lo)}`);
    else if (hi !== undefined) said.push(`under ${formatPrice(hi)}`);
    if (args.query) said.push(`on ${String(args.query)}`);
    if (args.city) said.push(`in ${String(args.city)}`);
    return command('list_properties', args, `Looking for ${[kind, ...said].join(' ')}.`);
  },
};

export const PROPERTY_RULES: readonly Rule[] = [
  updateProperty,
  deleteProperty,
  perProperty(
    'property_history',
    /\bwhat (?:have|has|did) (?:we|i|you|anyone)\b.{0,20}\bdone\b|\bhistory\b|\bactivity (?:on|for)\b|\bwhat(?:'s| has) happened (?:on|with|to)\b|\brecent activity\b/,
    (p) => `Reading what has been done on ${p}.`,
  ),
  perProperty(
    'property_heartbeat',
    /\bheartbeat\b|\bhow(?:'s| is| are)\b.{0,40}\b(?:doing|going|coming along|looking)\b|\bstatus (?:of|on|for)\b|\bwhere (?:is|are|do|does) .{0,30}\b(?:at|stand)\b|\bwhat stage\b|^how(?:'s| is) (?:property \d+|it|that|this)$|\bwhere are we (?:with|on|at)\b/,
    (p) => `Checking the heartbeat of ${p}.`,
  ),
  listProperties,
  perProperty(
    'get_property',
    /\btell me (?:more )?about\b|\bdescribe\b|\b(?:look|pull) up\b|\bdetails (?:on|for|of|about)\b|\b(?:info|information) (?:on|for|about)\b|\bwhat do (?:we|i) (?:have|know) (?:on|about)\b|^(?:show|give) me (?:property|listing|\d)|\bhow much is\b|\bwhat(?:'s| is) the (?:asking |list )?price\b|^(?:what about |and )?(?:property|listing) (?:number )?#?\d+$/,
    (p) => `Looking up ${p}.`,
  ),
];
