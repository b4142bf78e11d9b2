import { fingerprint } from './fingerprint.ts';
import type { ComplianceRule } from './rule.types.ts';
import { CA_RULES } from './rules.ca.ts';
import { FEDERAL_RULES } from './rules.federal.ts';
import { FL_RULES } from './rules.fl.ts';
import { NY_RULES } from './rules.ny.ts';
import { TX_RULES } from './rules.tx.ts';

/** The seeded rules: state rules (NY, CA, FL, TX) first, then federal. Order is the tie-break for sorting. */
export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  ...NY_RULES,
  ...CA_RULES,
  ...FL_RULES,
  ...TX_RULES,
  ...FEDERAL_RULES,
];

const versions = new WeakMap<readonly ComplianceRule[], string>();

/**
 * Version of a rule set: `crs-<count>-<fnv1a of the canonical JSON>`. Any edit to any rule (text,
 * filter, version) changes it, so a stored check records exactly which rules it ran.
 */
export function ruleSetVersion(rules: readonly ComplianceRule[]): string {
  let v = versions.get(rules);
  if (v === undefined) {
    v = `crs-${rules.length}-${fingerprint(rules)}`;
    versions.set(rules, v);
  }
  return v;
}

export const RULE_SET_VERSION: string = ruleSetVersion(COMPLIANCE_RULES);

/** Look a seeded rule up by code. */
export function findRule(
  code: string,
  rules: readonly ComplianceRule[] = COMPLIANCE_RULES,
): ComplianceRule | undefined {
  return rules.find((r) => r.code === code);
}
