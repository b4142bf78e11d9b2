import { spokenToAddress } from '../../domain/properties/address.ts';
import { extractPropertyRef } from '../nlu/slots.ts';
import { cut, orList, titleCase, type Utterance } from './text.ts';
import { clarify, command, isClarify, type Clarify, type CommandContext, type Rule } from './types.ts';

/** How an utterance names a property. */
export type PropertyRef =
  | { kind: 'id'; id: number }
  | { kind: 'ids'; ids: number[] }
  /** Words the tools' resolver reads: an address ("123 Main St") or a street or name ("Elm St", "Brooklyn"). */
  | { kind: 'words'; property: string; label: string }
  /** "it", "this property", "that one": the property of the conversation. */
  | { kind: 'pointer' }
  | { kind: 'none' };

/** Per-property tool arguments with the words to read the property back. */
export interface Target {
  args: { property_id: number } | { property: string };
  label: string;
  id?: number;
}

const NOT_AFTER_ID =
  /^(?:\.\d| ?(?:k|m)\b| (?:beds?|bedrooms?|br|baths?|bathrooms?|ba|square|sq|sqft|thousand|grand|million|percent|days?|hours?|weeks?|months?|minutes?)\b)/;
const ID =
  /\b(?:property|properties|listing|listings|house|home|deal) (?:(?:number|no|id) )?#? ?(\d{1,6})\b((?:,? (?:and|or) (?:property |number |#)?\d{1,6}\b)*)/g;
const NUMBER = /(?:^|\s)(?:number|#) ?(\d{1,6})\b/g;
/** "offer number 3", "my number": a number that names something else. */
const OTHER_NUMBER =
  /\b(?:offers?|contracts?|campaigns?|tasks?|notifications?|phone|my|your|his|her|their|showings?)\s*$/;
const STREET =
  'street|st|avenue|ave|road|rd|drive|dr|lane|ln|court|ct|boulevard|blvd|way|place|pl|circle|cir|terrace|ter|parkway|pkwy|highway|hwy|trail|trl';
const NAMED = /\bthe ((?:[a-z']+ ){0,2}[a-z']+) (?:property|house|listing|place|home|deal)\b/;
const NOT_A_NAME = new Set(
  (
    'this that same other next last first whole entire new my our your right wrong current just only old one a an ' +
    'every each the of on at to for with and or in from price value status stage note notes offer contract campaign'
  ).split(' '),
);
const STREET_AFTER = new RegExp(`\\b(?:to|for|about|at|on|with|of) ((?:[a-z']+ ){0,2}?(?:${STREET}))\\b`);
const POINTER = /\b(?:it|this|that|(?:this|that|the) (?:property|listing|house|home|place|deal))\b/;

/** The property an utterance names, and the utterance without it. */
export function findProperty(text: string): { ref: PropertyRef; rest: string } {
  const ids: number[] = [];
  let rest = text;
  for (const m of text.matchAll(ID)) {
    if (NOT_AFTER_ID.test(text.slice(m.index + m[0].length))) continue;
    ids.push(Number(m[1]));
    for (const more of (m[2] ?? '').matchAll(/\d+/g)) ids.push(Number(more[0]));
    rest = cut(rest, m[0]);
  }
  for (const m of rest.matchAll(NUMBER)) {
    if (OTHER_NUMBER.test(rest.slice(0, m.index))) continue;
    if (NOT_AFTER_ID.test(rest.slice(m.index + m[0].length))) continue;
    ids.push(Number(m[1]));
  }
  for (const m of [...rest.matchAll(NUMBER)].reverse()) {
    if (!OTHER_NUMBER.test(rest.slice(0, m.index))) rest = cut(rest, m[0]);
  }
  const distinct = [...new Set(ids)];
  if (distinct.length === 1) return { ref: { kind: 'id', id: distinct[0]! }, rest };
  if (distinct.length > 1) return { ref: { kind: 'ids', ids: distinct }, rest };

  const said = extractPropertyRef(rest);
  if (said?.kind === 'index') return { ref: { kind: 'id', id: said.index }, rest: cut(rest, said.text) };
  // "at 835 or 840" is two amounts, not house 835 on "Or" street.
  if (said?.kind === 'address' && !/^\S+ (?:or|and|to|by|plus|of|per|a|an)\b/i.test(said.address)) {
    return { ref: { kind: 'words', property: said.address, label: said.address }, rest: cut(rest, said.text) };
  }
  if (said?.kind === 'street') {
    const label = `the ${said.street} property`;
    return { ref: { kind: 'words', property: said.street, label }, rest: cut(rest, said.text) };
  }
  const named = NAMED.exec(rest);
  if (named && !named[1]!.split(' ').some((w) => NOT_A_NAME.has(w))) {
    const words = named[1]!;
    const property = new RegExp(`\\b(?:${STREET})$`).test(words) ? spokenToAddress(words) : titleCase(words);
    return { ref: { kind: 'words', property, label: `the ${property} property` }, rest: cut(rest, named[0]) };
  }
  const street = STREET_AFTER.exec(rest);
  if (street && !NOT_A_NAME.has(street[1]!.split(' ')[0]!) && street[1]!.split(' ')[0] !== 'the') {
    const property = spokenToAddress(street[1]!);
    return { ref: { kind: 'words', property, label: `the ${property} property` }, rest: cut(rest, street[1]) };
  }
  const pointer = POINTER.exec(rest);
  if (pointer) return { ref: { kind: 'pointer' }, rest: cut(rest, pointer[0]) };
  return { ref: { kind: 'none' }, rest };
}

export const WHICH_PROPERTY = 'Which property do you mean?';

/**
 * The property a per-property command is about: the one named, else (for "it", or when none is named
 * and `fallback` is set) the property of the conversation, else a question. Null: none named, no fallback.
 */
export function target(ref: PropertyRef, ctx: CommandContext, fallback = true): Target | Clarify | null {
  switch (ref.kind) {
    case 'id':
      return { args: { property_id: ref.id }, label: `property ${ref.id}`, id: ref.id };
    case 'ids':
      return clarify(`Which property do you mean: ${orList(ref.ids.map((id) => `property ${id}`))}?`);
    case 'words':
      return { args: { property: ref.property }, label: ref.label };
    case 'pointer':
    case 'none':
      if (ref.kind === 'none' && !fallback) return null;
      if (ctx.lastPropertyId === null) return clarify(WHICH_PROPERTY);
      return {
        args: { property_id: ctx.lastPropertyId },
        label: `property ${ctx.lastPropertyId}`,
        id: ctx.lastPropertyId,
      };
  }
}

/**
 * A rule for a tool that takes only a property (heartbeat, score, comps …): the property named, else the
 * one of the conversation. `extra` adds arguments read from the rest of the utterance.
 */
export function perProperty(
  tool: string,
  when: RegExp,
  readBack: (label: string) => string,
  extra?: (rest: string, u: Utterance) => Record<string, unknown>,
): Rule {
  return {
    tool,
    when,
    build(u, ctx) {
      const { ref, rest } = findProperty(u.text);
      const t = target(ref, ctx);
      if (t === null || isClarify(t)) return t;
      return command(tool, { ...t.args, ...extra?.(rest, u) }, readBack(t.label), t.id);
    },
  };
}
