import { CONTRACT_TEMPLATES } from '../../domain/contracts/templates/registry.ts';
import type { ContractTemplateDef } from '../../domain/contracts/templates/template.types.ts';
import { findPlace } from './places.ts';
import { findProperty, perProperty, target } from './property.ts';
import { numbered } from './slots.ts';
import { cut, orList, titleCase } from './text.ts';
import { clarify, command, isClarify, type Rule } from './types.ts';

const DOCUMENT = '(?:contract|agreement|disclosure|addendum|form|statement|notice|report|paperwork|documents?)';
const GENERIC =
  /^(?:(?:all|the|required|missing|needed|necessary|remaining|other|standard|usual|draft|my|our|those|these|its) )*(?:contracts?|paperwork|documents?|forms?)$/;

const SIGNING =
  /\b(?:out )?(?:for (?:e ?)?(?:signing|signatures?)|to (?:be )?sign(?:ed)?|for e ?sign|to the signers)\b/;

const sendContract: Rule = {
  tool: 'send_contract',
  when: new RegExp(
    `\\bsend\\b.*${SIGNING.source}|\\bsend (?:out |over )?(?:the |a |an |our )?(?:[a-z'-]+ ){0,5}?${DOCUMENT}s?\\b`,
  ),
  build(u, ctx) {
    const id = numbered(u.text, 'contract');
    if (id.conflict) return clarify(`Which contract: ${orList(id.conflict.map((n) => `contract ${n}`))}?`);
    const said = new RegExp(
      `\\bsend (?:out |over )?(?:the |a |an |our |this |that )?((?:[a-z'-]+ ){0,5}?${DOCUMENT}s?)\\b`,
    ).exec(id.rest);
    const name = said && !GENERIC.test(said[1]!) ? said[1]! : undefined;
    const { ref } = findProperty(cut(id.rest, said?.[0]).replace(SIGNING, ' '));
    const t = target(ref, ctx);
    if (t === null) return null;
    if (isClarify(t)) return ref.kind === 'ids' ? t : clarify(`Which property is the ${name ?? 'contract'} for?`);
    const args: Record<string, unknown> = { ...t.args };
    if (id.value !== undefined) args.contract_id = id.value;
    if (name) args.contract_name = name;
    const what = name ? `the ${name}` : id.value !== undefined ? `contract ${id.value}` : 'the draft contract';
    return command('send_contract', args, `Send ${what} on ${t.label} for signing?`, t.id);
  },
};

const words = (s: string): string[] =>
  s
    .toLowerCase()
    .replace(/'s\b/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !['the', 'a', 'an', 'our', 'new', 'form', 'contract', 'document'].includes(w));

/** The templates whose name holds every word said ("lead paint disclosure" → Lead-Based Paint Disclosure). */
function templatesNamed(said: string, text: string): ContractTemplateDef[] {
  const { state: named, rest } = findPlace(said);
  const state = named ?? findPlace(text).state;
  const want = words(rest);
  if (want.length === 0) return [];
  const found = CONTRACT_TEMPLATES.filter((tpl) => {
    const have = words(tpl.name);
    return want.every((w) => have.some((h) => h.startsWith(w) || w.startsWith(h)));
  });
  const inState = state ? found.filter((tpl) => tpl.state === state) : [];
  return inState.length > 0 ? inState : found;
}

const attachContract: Rule = {
  tool: 'attach_contract',
  when: new RegExp(`\\b(?:attach|add)\\b.{0,60}\\b${DOCUMENT}s?\\b`),
  build(u, ctx) {
    const said = new RegExp(`\\b(?:attach|add) (?:the |a |an |our )?((?:[a-z'-]+ ){0,5}?${DOCUMENT}s?)\\b`).exec(
      u.words,
    );
    const { ref } = findProperty(cut(u.text, said?.[1]));
    const t = target(ref, ctx);
    if (t === null || isClarify(t)) return t;
    if (!said || GENERIC.test(said[1]!)) {
      return clarify(
        `Which contract should I attach to ${t.label}? Say "suggest contracts" to hear what it still needs.`,
      );
    }
    const args: Record<string, unknown> = { ...t.args };
    if (/\b(?:as )?optional\b/.test(u.text)) args.is_required = false;
    else if (/\bas (?:a )?required\b/.test(u.text)) args.is_required = true;
    const how = args.is_required === false ? ' as optional' : '';
    const templates = templatesNamed(said[1]!, u.text);
    if (templates.length > 1) {
      const names = templates.slice(0, 4).map((tpl) => `${tpl.name}${tpl.state ? ` (${tpl.state})` : ''}`);
      return clarify(`Which one: ${orList(names)}?`);
    }
    const tpl = templates[0];
    if (tpl) {
      args.template_key = tpl.key;
      return command('attach_contract', args, `Attach the ${tpl.name} to ${t.label}${how}?`, t.id);
    }
    const name = titleCase(said[1]!);
    args.name = name;
    return command('attach_contract', args, `Attach a contract named "${name}" to ${t.label}${how}?`, t.id);
  },
};

export const CONTRACT_RULES: readonly Rule[] = [
  perProperty(
    'contract_readiness',
    /\bready (?:to|for) clos(?:e|ing)\b|\bclosing readiness\b|\bcan (?:we|i) close\b|\bsigning status\b|\bwho (?:still )?(?:needs|has) to sign\b|\bwhat(?:'s| is) (?:left|missing|outstanding) (?:to|before) clos/,
    (p) => `Checking whether ${p} is ready to close.`,
  ),
  perProperty(
    'suggest_contracts',
    /\bsuggest(?:ed|ions?)? (?:\w+ )?contracts?\b|\b(?:which|what) (?:contracts|paperwork|documents) (?:do(?:es)?|should|would|will) .{0,40}\bneed\b|\bcontracts? suggestions?\b|\bwhat (?:contracts|paperwork|documents) (?:is|are) (?:missing|needed)\b/,
    (p) => `Checking which contracts ${p} still needs.`,
  ),
  sendContract,
  attachContract,
  perProperty(
    'list_contracts',
    /\b(?:what|which|list|show|read|tell me)\b.{0,30}\bcontracts\b|\bcontracts (?:on|for) /,
    (p) => `Reading the contracts on ${p}.`,
  ),
  perProperty(
    'check_compliance',
    /\bcomplian(?:ce|t)\b/,
    (p) => `Run a compliance check on ${p}?`,
    (rest) => (/\b(?:lease|rental|renting)\b/.test(rest) ? { transaction_type: 'lease' } : {}),
  ),
];
