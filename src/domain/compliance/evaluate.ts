import { SATISFYING_STATUSES } from '../contracts/templates/contract-status.ts';
import { fieldLabel, fieldValue, isUnknown } from './applicability.ts';
import type {
  ComplianceDocument,
  ComplianceInput,
  ComplianceReviewItem,
  ComplianceViolation,
  FieldValue,
} from './check.types.ts';
import { findPhrases } from './fair-housing.ts';
import type { ComplianceRule, DocumentRequirement, Severity, ThresholdOp } from './rule.types.ts';
import { containsPhrase } from './text.ts';

export type RuleOutcome =
  | { kind: 'pass' }
  /** Threshold rule whose trigger does not hold: the rule does not apply to this property. */
  | { kind: 'not_triggered' }
  | { kind: 'violation'; violation: ComplianceViolation; warning: boolean; spoken: string }
  | { kind: 'review'; item: ComplianceReviewItem };

const NON_BLOCKING: readonly Severity[] = ['low', 'info'];

export function compare(actual: number, op: ThresholdOp, value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
  }
}

const normKey = (k: string | null | undefined): string => (k ?? '').trim().toLowerCase();

/** Documents that are the required kind (by type_key, template key or name), whatever their status. */
export function matchingDocuments(
  documents: readonly ComplianceDocument[],
  req: DocumentRequirement,
): ComplianceDocument[] {
  return documents.filter((d) => {
    const key = normKey(d.type_key);
    if (key !== '' && (key === req.type_key || req.template_keys.includes(key))) return true;
    return req.names.some((n) => containsPhrase(d.name, n));
  });
}

/** Satisfied by a matching document that is in progress, pending signature or completed. */
export function documentSatisfied(documents: readonly ComplianceDocument[], req: DocumentRequirement): boolean {
  return matchingDocuments(documents, req).some((d) => SATISFYING_STATUSES.includes(d.status));
}

const money = (n: number): string => `$${Math.round(n).toLocaleString('en-US')}`;

function because(field: string, value: FieldValue): string {
  if (field === 'year_built') return `it was built in ${String(value)}`;
  if (field === 'price' && typeof value === 'number') return `the price is ${money(value)}`;
  return `the ${fieldLabel(field)} is ${String(value)}`;
}

function violation(
  rule: ComplianceRule,
  spoken: string,
  detail: { expected?: string; actual?: string; warning?: boolean } = {},
): RuleOutcome {
  const v: ComplianceViolation = {
    rule: rule.name,
    code: rule.code,
    version: rule.version,
    category: rule.category,
    citation: rule.citation,
    severity: rule.severity,
    description: rule.description,
    remediation: rule.remediation,
    disclosure: rule.disclosure,
  };
  if (detail.expected !== undefined) v.expected = detail.expected;
  if (detail.actual !== undefined) v.actual = detail.actual;
  return { kind: 'violation', violation: v, warning: detail.warning ?? NON_BLOCKING.includes(rule.severity), spoken };
}

export function review(rule: ComplianceRule, reason: string, question?: string): RuleOutcome {
  const item: ComplianceReviewItem = {
    rule: rule.name,
    code: rule.code,
    version: rule.version,
    category: rule.category,
    severity: rule.severity,
    reason,
  };
  if (question !== undefined) item.question = question;
  return { kind: 'review', item };
}

/** "year built unknown; lead paint disclosure may be required" */
export const unknownReason = (rule: ComplianceRule, fields: readonly string[]): string =>
  `${fields.map(fieldLabel).join(' and ')} unknown; ${rule.topic} may be required`;

const STATUS_PREFERENCE: readonly ComplianceDocument['status'][] = [
  'completed',
  'pending_signature',
  'in_progress',
  'sent',
  'draft',
  'expired',
  'cancelled',
  'archived',
];

const STATUS_WORDS: Partial<Record<ComplianceDocument['status'], string>> = {
  draft: 'is only a draft',
  sent: 'was sent but signing has not started',
};

function missingDocument(
  rule: ComplianceRule,
  req: DocumentRequirement,
  input: ComplianceInput,
  why: string | null,
): RuleOutcome {
  // Most advanced first (then by name), so the result does not depend on document order.
  const found = matchingDocuments(input.documents, req).sort(
    (a, b) => STATUS_PREFERENCE.indexOf(a.status) - STATUS_PREFERENCE.indexOf(b.status) || a.name.localeCompare(b.name),
  );
  const expected = `"${req.names[0] ?? req.type_key}" document in progress, pending signature or completed`;
  const first = found[0];
  if (first) {
    return violation(rule, `${rule.topic} ${STATUS_WORDS[first.status] ?? `was ${first.status}`}`, {
      expected,
      actual: found.map((d) => `"${d.name}" is ${d.status}`).join('; '),
    });
  }
  return violation(rule, why ? `${rule.topic} is required because ${why}` : `${rule.topic} is missing`, {
    expected,
    actual: 'not attached',
  });
}

/** Evaluate one applicable rule against the input. */
export function evaluateRule(rule: ComplianceRule, input: ComplianceInput): RuleOutcome {
  const p = input.property;
  switch (rule.rule_type) {
    case 'document': {
      if (documentSatisfied(input.documents, rule.document)) return { kind: 'pass' };
      const yearLimited = rule.min_year_built !== null || rule.max_year_built !== null;
      const why = yearLimited && p.year_built !== null ? because('year_built', p.year_built) : null;
      return missingDocument(rule, rule.document, input, why);
    }
    case 'threshold': {
      const v = fieldValue(p, rule.field);
      if (isUnknown(v) || typeof v !== 'number') return review(rule, unknownReason(rule, [rule.field]));
      if (!compare(v, rule.op, rule.value)) return { kind: 'not_triggered' };
      if (rule.document) {
        if (documentSatisfied(input.documents, rule.document)) return { kind: 'pass' };
        return missingDocument(rule, rule.document, input, because(rule.field, v));
      }
      return violation(rule, `${rule.topic} needs attention because ${because(rule.field, v)}`, {
        expected: `${rule.field} not ${rule.op} ${rule.value}`,
        actual: `${rule.field} = ${v}`,
      });
    }
    case 'required_field': {
      const v = fieldValue(p, rule.field);
      if (!isUnknown(v) && !(typeof v === 'string' && v.trim() === '')) return { kind: 'pass' };
      return violation(rule, `the ${fieldLabel(rule.field)} is missing`, {
        expected: `${rule.field} recorded`,
        actual: 'missing',
      });
    }
    case 'boolean': {
      const v = fieldValue(p, rule.field);
      if (isUnknown(v)) return review(rule, `${fieldLabel(rule.field)} unknown; ${rule.topic} must be confirmed`);
      if (v === rule.expected) return { kind: 'pass' };
      return violation(rule, `${rule.topic} is not confirmed`, {
        expected: `${rule.field} = ${rule.expected}`,
        actual: `${rule.field} = ${String(v)}`,
      });
    }
    case 'list_check': {
      const v = fieldValue(p, rule.field);
      if (rule.mode === 'allowed_values') {
        if (isUnknown(v)) return review(rule, unknownReason(rule, [rule.field]));
        if (rule.values.includes(String(v))) return { kind: 'pass' };
        return violation(rule, `${rule.topic} has a value that is not allowed`, {
          expected: `${rule.field} one of ${rule.values.join(', ')}`,
          actual: `${rule.field} = ${String(v)}`,
        });
      }
      if (typeof v !== 'string' || v.trim() === '') return { kind: 'pass' };
      const hits = findPhrases(v, rule.phrases);
      if (hits.length === 0) return { kind: 'pass' };
      const prohibited = hits.some((h) => h.level === 'prohibited');
      const worst = hits.find((h) => h.level === 'prohibited') ?? hits[0];
      return violation(rule, `${rule.topic} says "${worst?.phrase ?? ''}"`, {
        expected: `no discriminatory or preferential phrases in ${rule.field}`,
        actual: hits.map((h) => `"${h.phrase}" (${h.level}: ${h.basis})`).join('; '),
        warning: !prohibited || NON_BLOCKING.includes(rule.severity),
      });
    }
    case 'ai_review':
      return review(rule, `AI review unavailable; a person must check ${rule.topic}`, rule.review_prompt);
  }
}
