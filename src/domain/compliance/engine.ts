import { applicability } from './applicability.ts';
import type {
  ComplianceCheckResult,
  ComplianceInput,
  ComplianceReviewItem,
  ComplianceViolation,
} from './check.types.ts';
import type { DisclosureKey } from './disclosures.ts';
import { evaluateRule, review, unknownReason } from './evaluate.ts';
import { ruleSetVersion } from './rule-set.ts';
import type { ComplianceRule, JurisdictionLevel, Severity } from './rule.types.ts';
import { complianceVoiceSummary, type SpokenProblem } from './voice.ts';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const LEVEL_RANK: Readonly<Record<JurisdictionLevel, number>> = { city: 0, state: 1, federal: 2 };

interface Found {
  violation: ComplianceViolation;
  spoken: string;
  rule: ComplianceRule;
  index: number;
}

const byImportance = (a: Found, b: Found): number =>
  SEVERITY_RANK[a.rule.severity] - SEVERITY_RANK[b.rule.severity] ||
  LEVEL_RANK[a.rule.jurisdiction.level] - LEVEL_RANK[b.rule.jurisdiction.level] ||
  a.index - b.index;

/** Reported when the property has no state: only federal rules could be checked. */
export const STATE_UNKNOWN_REVIEW: ComplianceReviewItem = {
  rule: 'State and city rules',
  code: 'INPUT-STATE-UNKNOWN',
  version: 1,
  category: null,
  severity: 'high',
  reason: 'state unknown; state and city disclosure rules were not checked',
};

/**
 * Check a property against a rule set (pure; same input ⇒ same result).
 * - Rules: active, federal or the property's state (city null or equal), type/price/year/transaction filters;
 *   a filter on an unknown fact ⇒ needs_review, never a silent skip.
 * - Failures: violations of critical/high/medium rules (fair-housing caution phrases and low/info rules are warnings).
 * - Status: failed if any failure; else needs_review if any warning or review item (every ai_review rule is
 *   one: there is no LLM here); else passed. `compliant` ⇔ no failure.
 */
export function checkCompliance(rules: readonly ComplianceRule[], input: ComplianceInput): ComplianceCheckResult {
  const failures: Found[] = [];
  const warnings: Found[] = [];
  const reviews: { item: ComplianceReviewItem; topic: string }[] = [];
  const passed: string[] = [];
  const disclosures = new Set<DisclosureKey>();
  let checked = 0;

  if (input.property.state === null || input.property.state.trim() === '')
    reviews.push({ item: STATE_UNKNOWN_REVIEW, topic: 'the state rules' });

  rules.forEach((rule, index) => {
    const app = applicability(rule, input);
    if (app.kind === 'skip') return;
    checked++;
    if (app.kind === 'unknown') {
      const question = rule.rule_type === 'ai_review' ? rule.review_prompt : undefined;
      const outcome = review(rule, unknownReason(rule, app.fields), question);
      if (outcome.kind === 'review') reviews.push({ item: outcome.item, topic: rule.topic });
      return;
    }
    const outcome = evaluateRule(rule, input);
    const note = (): void => {
      if (rule.disclosure) disclosures.add(rule.disclosure);
    };
    switch (outcome.kind) {
      case 'pass':
        note();
        passed.push(rule.code);
        break;
      case 'not_triggered':
        passed.push(rule.code);
        break;
      case 'violation':
        note();
        (outcome.warning ? warnings : failures).push({
          violation: outcome.violation,
          spoken: outcome.spoken,
          rule,
          index,
        });
        break;
      case 'review':
        if (rule.rule_type === 'ai_review') note();
        reviews.push({ item: outcome.item, topic: rule.topic });
        break;
    }
  });

  failures.sort(byImportance);
  warnings.sort(byImportance);
  reviews.sort((a, b) => SEVERITY_RANK[a.item.severity] - SEVERITY_RANK[b.item.severity]);

  const status = failures.length ? 'failed' : warnings.length || reviews.length ? 'needs_review' : 'passed';
  const problems: SpokenProblem[] = failures.map((f) => ({
    group: f.rule.disclosure ?? f.rule.code,
    phrase: f.spoken,
  }));

  return {
    property_id: input.property.id,
    compliant: failures.length === 0,
    status,
    violations: failures.map((f) => f.violation),
    warnings: warnings.map((f) => f.violation),
    needs_review: reviews.map((r) => r.item),
    required_disclosures: [...disclosures], // rule order (state rules first), as inserted
    checked_rules: checked,
    passed_rules: passed,
    rule_set_version: ruleSetVersion(rules),
    voice_summary: complianceVoiceSummary({
      property_id: input.property.id,
      problems,
      to_review: [...warnings.map((w) => w.spoken), ...reviews.map((r) => r.topic)],
      checked_rules: checked,
    }),
  };
}
