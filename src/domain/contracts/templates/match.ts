import { DISCLOSURE_TOPICS } from '../../compliance/disclosures.ts';
import type { DealType, PropertyType } from '../../properties/property.enums.ts';
import { VOIDED_STATUSES, type ContractStatus } from './contract-status.ts';
import { DEAL_TYPE_CONFIGS } from './deal-types.ts';
import type { ContractTemplateDef, TemplateMatchProperty, TemplateRequirement } from './template.types.ts';

/** `review`: the template may apply but a property fact it depends on is unknown (e.g. year built). */
export type MatchRequirement = TemplateRequirement | 'review';

export interface TemplateMatch {
  template: ContractTemplateDef;
  key: string;
  name: string;
  requirement: MatchRequirement;
  priority: number;
  /** The template's auto_attach, except that `review` matches are never auto-attached. */
  auto_attach: boolean;
  reason: string;
}

/** An attached contract, as matching and readiness see it. */
export interface AttachedContract {
  name: string;
  template_key?: string | null;
  status: ContractStatus;
}

const REQUIREMENT_RANK: Readonly<Record<MatchRequirement, number>> = { required: 0, recommended: 1, review: 2 };

const TYPE_PLURALS: Readonly<Record<PropertyType, string>> = {
  house: 'houses',
  apartment: 'apartments',
  condo: 'condos',
  townhouse: 'townhouses',
  land: 'land',
  commercial: 'commercial properties',
};

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The deal type used for matching: unknown is treated as traditional (the default deal type). */
export const effectiveDealType = (d: DealType | null): DealType => d ?? 'traditional';

/** Subject of a reason: "lead paint disclosure", or "the <name>". */
export const templateTopic = (t: ContractTemplateDef): string =>
  t.disclosure === 'lead_based_paint' ? DISCLOSURE_TOPICS.lead_based_paint : `the ${t.name}`;

function reasonFor(t: ContractTemplateDef, p: TemplateMatchProperty, unknown: readonly string[]): string {
  if (unknown.length) return `${unknown.join(' and ')} unknown; ${templateTopic(t)} may be required`;
  const required = t.requirement === 'required';
  let subject: string;
  let verb: string;
  switch (t.authority) {
    case 'state':
      subject = t.state ?? 'The state';
      verb = required ? 'requires' : 'recommends';
      break;
    case 'federal':
      subject = 'Federal law';
      verb = required ? 'requires' : 'recommends';
      break;
    case 'deal_type':
      subject = `${DEAL_TYPE_CONFIGS[effectiveDealType(p.deal_type)].display_name} deals`;
      verb = required ? 'require' : 'usually use';
      break;
    case 'best_practice':
      subject = 'Best practice';
      verb = 'recommends';
      break;
  }
  let text = `${subject} ${verb} the ${t.name}`;
  const typed = t.property_types !== null && p.property_type !== null;
  if (typed && p.property_type) text += ` for ${TYPE_PLURALS[p.property_type]}`;
  if (t.year_built_before !== null && p.year_built !== null) {
    text += `${typed ? '' : ' for homes'} built before ${t.year_built_before} (this one was built in ${p.year_built})`;
  }
  if (t.city) text += ` in ${t.city}`;
  return text;
}

/** Whether a template applies: null = no; otherwise the facts that are unknown (empty = applies). */
function unknownFacts(t: ContractTemplateDef, p: TemplateMatchProperty): string[] | null {
  const unknown: string[] = [];
  if (t.state !== null && (p.state === null || !same(p.state, t.state))) return null;
  if (t.city !== null && (p.city === null || !same(p.city, t.city))) return null;
  if (t.deal_types && !t.deal_types.includes(effectiveDealType(p.deal_type))) return null;
  if (t.property_types) {
    if (p.property_type === null) unknown.push('property type');
    else if (!t.property_types.includes(p.property_type)) return null;
  }
  if (t.min_price !== null || t.max_price !== null) {
    if (p.price === null) unknown.push('price');
    else if ((t.min_price !== null && p.price < t.min_price) || (t.max_price !== null && p.price > t.max_price))
      return null;
  }
  if (t.year_built_before !== null) {
    if (p.year_built === null) unknown.push('year built');
    else if (p.year_built >= t.year_built_before) return null;
  }
  return unknown;
}

/**
 * The templates that apply to a property, priority first (then required, recommended, review; then
 * name). State and city compare case-insensitively; a template another matched one supersedes is
 * dropped (TX's lead-paint addendum replaces the generic federal form).
 */
export function matchTemplates(
  templates: readonly ContractTemplateDef[],
  property: TemplateMatchProperty,
): TemplateMatch[] {
  const matches: TemplateMatch[] = [];
  for (const t of templates) {
    const unknown = unknownFacts(t, property);
    if (unknown === null) continue;
    const requirement: MatchRequirement = unknown.length ? 'review' : t.requirement;
    matches.push({
      template: t,
      key: t.key,
      name: t.name,
      requirement,
      priority: t.priority,
      auto_attach: requirement !== 'review' && t.auto_attach,
      reason: reasonFor(t, property, unknown),
    });
  }
  const superseded = new Set(matches.flatMap((m) => m.template.supersedes ?? []));
  return matches
    .filter((m) => !superseded.has(m.key))
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        REQUIREMENT_RANK[a.requirement] - REQUIREMENT_RANK[b.requirement] ||
        a.name.localeCompare(b.name),
    );
}

/** A live (not cancelled/archived) contract made from this template: same template key or same name. */
export function isAttached(
  match: Pick<TemplateMatch, 'key' | 'name'>,
  contracts: readonly AttachedContract[],
): boolean {
  return contracts.some(
    (c) =>
      !VOIDED_STATUSES.includes(c.status) &&
      ((c.template_key != null && c.template_key === match.key) || same(c.name, match.name)),
  );
}

/** Matches to create as DRAFT contracts now: auto-attach ones not already attached. */
export function templatesToAutoAttach(
  matches: readonly TemplateMatch[],
  contracts: readonly AttachedContract[],
): TemplateMatch[] {
  return matches.filter((m) => m.auto_attach && !isAttached(m, contracts));
}

/** Names of required matched templates with no live contract: the input `readiness` needs. */
export function missingRequiredTemplates(
  matches: readonly TemplateMatch[],
  contracts: readonly AttachedContract[],
): string[] {
  return matches.filter((m) => m.requirement === 'required' && !isAttached(m, contracts)).map((m) => m.name);
}
