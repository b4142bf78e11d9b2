import { extractPhone } from '../nlu/slots.ts';
import { findProperty, target } from './property.ts';
import { capitalize, cut, prepare, titleCase, toNumber } from './text.ts';
import { clarify, command, isClarify, type Rule } from './types.ts';

/** Where the words of a note start: after a colon, "that" or "saying", or after the property named. */
function splitNote(raw: string): { head: string; content: string } | null {
  const colon = /(?<!\d):|:(?!\d)|\s[-–—]+\s/.exec(raw);
  if (colon) return { head: raw.slice(0, colon.index), content: raw.slice(colon.index + colon[0].length) };
  const said = /^(.*?\bnote\b.*?)\s+(?:that|saying|says|reading)\s+(.+)$/is.exec(raw);
  if (said) return { head: said[1]!, content: said[2]! };
  const afterRef = /^(.*?\bnote\b.*?\b(?:property|listing)\s+(?:number\s+|#\s*)?(?:\d+|[a-z]+))[\s,.-]+(.+)$/is.exec(
    raw,
  );
  if (afterRef) return { head: afterRef[1]!, content: afterRef[2]! };
  const bare = /^(.*?\bnote\b)[\s,.-]+(?!(?:to|on|for|about|down)\b)(.+)$/is.exec(raw);
  if (bare) return { head: bare[1]!, content: bare[2]! };
  return null;
}

const addNote: Rule = {
  tool: 'add_note',
  when: /\b(?:add|make|put|leave|write|take|jot|log|create|save) (?:down )?(?:a |an |the |this |another )?(?:quick )?note\b|^note\b|\bnote (?:down )?that\b/,
  build(u, ctx) {
    const parts = splitNote(u.raw);
    const content = capitalize(
      (parts?.content ?? '')
        .trim()
        .replace(/^["'“‘]+|["'”’]+$/g, '')
        .trim(),
    );
    if (!parts || content.length === 0) return clarify('What should the note say?');
    const { ref } = findProperty(prepare(parts.head).text);
    const t = target(ref, ctx);
    if (t === null || isClarify(t)) return t;
    return command(
      'add_note',
      { ...t.args, content: content.slice(0, 20_000) },
      `Add a note to ${t.label}: "${content}"?`,
      t.id,
    );
  },
};

const listNotes: Rule = {
  tool: 'list_notes',
  when: /\b(?:read|what are|what's in|show|give|any|get|list|tell me|what do)\b.{0,25}\bnotes\b|\bnotes (?:on|for|about)\b/,
  build(u, ctx) {
    const { ref, rest } = findProperty(u.text);
    const t = target(ref, ctx);
    if (t === null || isClarify(t)) return t;
    const limit = toNumber(/\b(?:last|latest|recent) (\d{1,2})\b/.exec(rest)?.[1]);
    const args = limit !== null && limit >= 1 && limit <= 50 ? { ...t.args, limit } : t.args;
    return command('list_notes', args, `Reading the notes on ${t.label}.`, t.id);
  },
};

const ROLE_WORDS =
  'buyer|seller|lawyer|attorney|lender|mortgage broker|title company|contractor|inspector|appraiser|tenant|landlord|property manager|handyman|plumber|electrician|photographer|stager';
const NAME_THEN_ROLE = new RegExp(`\\badd (.+?),? as (?:the |a |an |our |their )?(${ROLE_WORDS})\\b`);
const ROLE_THEN_NAME = new RegExp(
  `\\badd (?:the |a |an |our |their )?(${ROLE_WORDS}),? (?:named |called )?(.+?)(?=,| to | on | for | at | phone | number |$)`,
);
const NOT_NAME = /\b(?:property|listing|it|this|that|to|on|for|the|a|an|number|phone|contact|note|\d+)\b/;

const addContact: Rule = {
  tool: 'add_contact',
  when: new RegExp(
    `\\badd\\b.{1,60}\\bas (?:the |a |an |our |their )?(?:${ROLE_WORDS})\\b|\\badd (?:the |a |an |our |their )?(?:${ROLE_WORDS}|(?:new )?contact)\\b`,
  ),
  build(u, ctx) {
    const m1 = NAME_THEN_ROLE.exec(u.words);
    const m2 = m1 ? null : ROLE_THEN_NAME.exec(u.words);
    if (!m1 && !m2) return clarify('Who should I add, and as what: buyer, seller, lender, inspector or another role?');
    const name = (m1 ? m1[1] : m2?.[2])?.trim() ?? '';
    const role = ((m1 ? m1[2] : m2?.[1]) ?? 'other').replace(/ /g, '_');
    const spokenRole = role.replace(/_/g, ' ');
    if (!name || name.split(' ').length > 4 || NOT_NAME.test(name)) return clarify(`What is the ${spokenRole}'s name?`);
    const phone = extractPhone(u.raw);
    const withoutPhone = cut(u.text, name).replace(/\+?\d[\d -]{6,}\d/g, ' ');
    const { ref } = findProperty(withoutPhone);
    const t = target(ref, ctx);
    if (t === null || isClarify(t)) return t;
    const args: Record<string, unknown> = { ...t.args, name: titleCase(name), role };
    if (phone) args.phone = phone;
    const tail = phone ? `, phone ${phone}` : '';
    return command('add_contact', args, `Add ${titleCase(name)} as the ${spokenRole} on ${t.label}${tail}?`, t.id);
  },
};

export const CRM_RULES: readonly Rule[] = [addNote, addContact, listNotes];
