import type { ContactRole } from '../../contacts/contact.entity.ts';
import { DEAL_TYPE_CONFIGS, type DealTypeConfig } from './deal-types.ts';
import {
  effectiveDealType,
  isAttached,
  matchTemplates,
  type AttachedContract,
  type MatchRequirement,
  type TemplateMatch,
} from './match.ts';
import type { ContractTemplateDef, TemplateMatchProperty } from './template.types.ts';
import type { DealType } from '../../properties/property.enums.ts';

export interface SuggestContext {
  contracts: readonly AttachedContract[];
  /** Roles of the contacts already on the property. */
  contact_roles: readonly ContactRole[];
}

export type Suggestion =
  | {
      kind: 'attach_template';
      template_key: string;
      name: string;
      requirement: MatchRequirement;
      priority: number;
      reason: string;
    }
  | { kind: 'add_contact'; role: ContactRole; reason: string };

const roleWords = (role: ContactRole): string => role.replace(/_/g, ' ');
const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** Suggestion order: missing required templates, unresolved (review) ones, missing contacts, then recommendations. */
const rank = (s: Suggestion): number =>
  s.kind === 'add_contact' ? 2 : s.requirement === 'required' ? 0 : s.requirement === 'review' ? 1 : 3;

function templateSuggestion(m: TemplateMatch, deal: DealTypeConfig): Suggestion {
  const inDeal = deal.contract_templates.includes(m.key) && m.template.authority !== 'deal_type';
  const why =
    m.requirement === 'required'
      ? `${m.reason}; it is not attached yet`
      : m.requirement === 'review'
        ? `${m.reason}; confirm the property facts before attaching`
        : m.reason;
  return {
    kind: 'attach_template',
    template_key: m.key,
    name: m.name,
    requirement: m.requirement,
    priority: m.priority,
    reason: inDeal ? `${why} (part of the ${deal.display_name} package)` : why,
  };
}

/**
 * Rule-based contract suggestions (the non-LLM tier-2 fallback), beyond what auto-attach did:
 * required templates still missing, templates that may apply once a fact is known, recommended ones
 * (contingency addenda, FL seller disclosure, deal-type extras), and contact roles the deal type or a
 * required template's signers need but the property lacks. Nothing already attached is suggested.
 */
export function suggestTemplates(
  templates: readonly ContractTemplateDef[],
  property: TemplateMatchProperty,
  context: SuggestContext,
  dealTypes: Readonly<Record<DealType, DealTypeConfig>> = DEAL_TYPE_CONFIGS,
): Suggestion[] {
  const deal = dealTypes[effectiveDealType(property.deal_type)];
  const matches = matchTemplates(templates, property);
  const open = matches.filter((m) => !isAttached(m, context.contracts));
  const suggestions: Suggestion[] = open.map((m) => templateSuggestion(m, deal));

  const have = new Set(context.contact_roles);
  const needed = new Map<ContactRole, string>();
  for (const role of deal.required_contact_roles) {
    needed.set(role, `${deal.display_name} deals need ${article(roleWords(role))} ${roleWords(role)} contact`);
  }
  for (const m of matches) {
    if (m.requirement !== 'required') continue;
    for (const role of m.template.required_signer_roles) {
      if (!needed.has(role))
        needed.set(role, `The ${m.name} needs ${article(roleWords(role))} ${roleWords(role)} to sign`);
    }
  }
  for (const [role, reason] of needed) {
    if (!have.has(role)) suggestions.push({ kind: 'add_contact', role, reason });
  }

  return suggestions
    .map((s, i) => ({ s, i }))
    .sort(
      (a, b) =>
        rank(a.s) - rank(b.s) ||
        (b.s.kind === 'attach_template' ? b.s.priority : 0) - (a.s.kind === 'attach_template' ? a.s.priority : 0) ||
        a.i - b.i,
    )
    .map(({ s }) => s);
}
