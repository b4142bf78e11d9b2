import { describe, expect, it } from 'vitest';
import { CONTRACT_TEMPLATES } from '../../../src/domain/contracts/templates/registry.ts';
import { PROPERTY_TYPES } from '../../../src/domain/properties/property.enums.ts';
import { fingerprint, stableStringify } from '../../../src/domain/compliance/fingerprint.ts';
import {
  COMPLIANCE_RULES,
  findRule,
  RULE_SET_VERSION,
  ruleSetVersion,
} from '../../../src/domain/compliance/rule-set.ts';
import { ComplianceRuleSchema, type ComplianceRule } from '../../../src/domain/compliance/rule.types.ts';

/** The seed's 14 state rules (§2.9). */
const SEED_STATE_RULES = {
  NY: ['NY-LEAD-PAINT', 'NY-SMOKE-CO-DETECTORS', 'NY-PROPERTY-CONDITION-DISCLOSURE', 'NY-HIGH-VALUE-DOCUMENTATION'],
  CA: ['CA-NATURAL-HAZARD-DISCLOSURE', 'CA-EARTHQUAKE-RETROFIT', 'CA-WATER-CONSERVING-FIXTURES', 'CA-LEAD-PAINT'],
  FL: ['FL-RADON-DISCLOSURE', 'FL-PROPERTY-TAX-DISCLOSURE', 'FL-HOA-DISCLOSURE'],
  TX: ['TX-SELLERS-DISCLOSURE', 'TX-LEAD-PAINT', 'TX-FLOOD-ZONE-DISCLOSURE'],
};

const rule = (code: string): ComplianceRule => {
  const r = findRule(code);
  if (!r) throw new Error(`missing ${code}`);
  return r;
};

describe('seeded compliance rules', () => {
  it('all parse with the schema and have unique codes', () => {
    for (const r of COMPLIANCE_RULES) expect(ComplianceRuleSchema.safeParse(r).success, r.code).toBe(true);
    const codes = COMPLIANCE_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(COMPLIANCE_RULES).toHaveLength(22);
  });

  it('contain the 14 seed state rules with their types and severities', () => {
    for (const [state, codes] of Object.entries(SEED_STATE_RULES)) {
      for (const code of codes) expect(rule(code).jurisdiction).toEqual({ level: 'state', state, city: null });
    }
    expect(Object.values(SEED_STATE_RULES).flat()).toHaveLength(14);
    expect(rule('NY-LEAD-PAINT')).toMatchObject({
      rule_type: 'threshold',
      field: 'year_built',
      op: '<',
      value: 1978,
      severity: 'critical',
    });
    expect(rule('NY-HIGH-VALUE-DOCUMENTATION')).toMatchObject({ op: '>=', value: 5_000_000, severity: 'medium' });
    expect(rule('CA-EARTHQUAKE-RETROFIT')).toMatchObject({ op: '<', value: 1960, severity: 'high' });
    expect(rule('CA-NATURAL-HAZARD-DISCLOSURE')).toMatchObject({ rule_type: 'document', severity: 'critical' });
    expect(rule('FL-HOA-DISCLOSURE').property_types).toEqual(['condo', 'townhouse']);
    expect(rule('TX-SELLERS-DISCLOSURE')).toMatchObject({ rule_type: 'document', severity: 'critical' });
    for (const code of ['NY-SMOKE-CO-DETECTORS', 'CA-WATER-CONSERVING-FIXTURES', 'TX-FLOOD-ZONE-DISCLOSURE']) {
      expect(rule(code)).toMatchObject({ rule_type: 'ai_review', severity: 'high' });
    }
  });

  it('add the federal frameworks: lead paint, Fair Housing, RESPA, TILA/TRID, ECOA', () => {
    expect(rule('US-LEAD-PAINT')).toMatchObject({
      rule_type: 'document',
      severity: 'critical',
      max_year_built: 1977,
      property_types: ['house', 'apartment', 'condo', 'townhouse'],
    });
    expect(rule('US-LEAD-PAINT').citation).toContain('42 U.S.C. 4852d');
    expect(rule('US-FAIR-HOUSING-AD')).toMatchObject({ rule_type: 'list_check', field: 'description' });
    for (const code of ['US-RESPA', 'US-TILA-TRID', 'US-ECOA']) {
      expect(rule(code)).toMatchObject({ category: 'lending', rule_type: 'ai_review', financed_only: true });
    }
    expect(COMPLIANCE_RULES.filter((r) => r.jurisdiction.level === 'federal')).toHaveLength(5);
  });

  it('type filters use the lower-case property enum values', () => {
    for (const r of COMPLIANCE_RULES) {
      for (const t of r.property_types ?? []) expect(PROPERTY_TYPES).toContain(t);
    }
  });

  it('every template a rule accepts exists in the template registry', () => {
    const keys = new Set(CONTRACT_TEMPLATES.map((t) => t.key));
    for (const r of COMPLIANCE_RULES) {
      const req = r.rule_type === 'document' || r.rule_type === 'threshold' ? r.document : null;
      for (const k of req?.template_keys ?? []) expect(keys.has(k), `${r.code} → ${k}`).toBe(true);
    }
  });

  it('the schema refuses inconsistent rules', () => {
    const base = rule('TX-SELLERS-DISCLOSURE');
    expect(ComplianceRuleSchema.safeParse({ ...base, property_types: ['HOUSE'] }).success).toBe(false);
    expect(
      ComplianceRuleSchema.safeParse({ ...base, jurisdiction: { level: 'federal', state: 'TX', city: null } }).success,
    ).toBe(false);
    expect(ComplianceRuleSchema.safeParse({ ...base, min_price: 10, max_price: 5 }).success).toBe(false);
    expect(ComplianceRuleSchema.safeParse({ ...base, rule_type: 'threshold' }).success).toBe(false);
  });
});

describe('rule set version', () => {
  it('is stable for the same rules and changes when any rule changes', () => {
    expect(RULE_SET_VERSION).toMatch(/^crs-22-[0-9a-f]{8}$/);
    expect(ruleSetVersion([...COMPLIANCE_RULES])).toBe(RULE_SET_VERSION);
    const edited = COMPLIANCE_RULES.map((r) => (r.code === 'TX-LEAD-PAINT' ? { ...r, version: 2 } : r));
    expect(ruleSetVersion(edited)).not.toBe(RULE_SET_VERSION);
  });

  it('fingerprints ignore key order', () => {
    expect(stableStringify({ b: 1, a: [1, { d: undefined, c: null }] })).toBe('{"a":[1,{"c":null}],"b":1}');
    expect(fingerprint({ a: 1, b: 2 })).toBe(fingerprint({ b: 2, a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
  });
});
