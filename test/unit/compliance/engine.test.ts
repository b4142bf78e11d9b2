import { describe, expect, it } from 'vitest';
import { checkCompliance, STATE_UNKNOWN_REVIEW } from '../../../src/domain/compliance/engine.ts';
import { COMPLIANCE_RULES, RULE_SET_VERSION } from '../../../src/domain/compliance/rule-set.ts';
import type { ComplianceRule } from '../../../src/domain/compliance/rule.types.ts';
import { doc, input, TX_COMPLETE_DOCS } from './helpers.ts';

const check = (...args: Parameters<typeof input>) => checkCompliance(COMPLIANCE_RULES, input(...args));
const codes = (items: readonly { code: string }[]) => items.map((i) => i.code);

describe('checkCompliance: Texas house built in 1962', () => {
  it('fails with no documents: seller disclosure, federal and TX lead paint, IABS', () => {
    const r = check();
    expect(r.status).toBe('failed');
    expect(r.compliant).toBe(false);
    expect(codes(r.violations)).toEqual(['TX-SELLERS-DISCLOSURE', 'TX-LEAD-PAINT', 'US-LEAD-PAINT', 'TX-IABS']);
    expect(r.violations[0]).toMatchObject({
      rule: "TX Seller's Disclosure Notice",
      severity: 'critical',
      version: 1,
      citation: 'Tex. Prop. Code § 5.008',
      actual: 'not attached',
    });
    expect(r.violations.find((v) => v.code === 'TX-LEAD-PAINT')?.expected).toContain('lead based paint');
    expect(r.required_disclosures).toEqual([
      'seller_disclosure',
      'lead_based_paint',
      'flood_zone',
      'agency_disclosure',
    ]);
    expect(r.rule_set_version).toBe(RULE_SET_VERSION);
    expect(r.property_id).toBe(12);
  });

  it('speaks the problems once per disclosure', () => {
    expect(check().voice_summary).toBe(
      "Property 12 has 3 compliance problems: the Texas seller's disclosure notice is missing, lead paint disclosure is required because it was built in 1962, and the Texas information about brokerage services notice is missing. 4 more items need a human review.",
    );
  });

  it('with the documents attached only ai_review rules remain (needs_review)', () => {
    const r = check({}, TX_COMPLETE_DOCS);
    expect(r.violations).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.compliant).toBe(true);
    expect(r.status).toBe('needs_review');
    const reviewed = r.needs_review.map((i) => i.code);
    expect(reviewed.sort()).toEqual(['TX-FLOOD-ZONE-DISCLOSURE', 'US-ECOA', 'US-RESPA', 'US-TILA-TRID']);
    const aiCodes = new Set(COMPLIANCE_RULES.filter((x) => x.rule_type === 'ai_review').map((x) => x.code));
    expect(reviewed.every((c) => aiCodes.has(c))).toBe(true);
    expect(r.needs_review.every((i) => (i.question ?? '').length > 20)).toBe(true);
    expect(r.voice_summary).toMatch(/^Property 12 has no compliance failures, but 4 items need a human review: /);
  });

  it('a cash deal drops the lending reviews; checked_rules counts the applicable rules', () => {
    const r = check({ financing_type: 'cash' }, TX_COMPLETE_DOCS);
    expect(codes(r.needs_review)).toEqual(['TX-FLOOD-ZONE-DISCLOSURE']);
    expect(r.checked_rules).toBe(6); // 4 TX rules + US lead paint + fair housing
    expect(r.passed_rules).toEqual([
      'TX-SELLERS-DISCLOSURE',
      'TX-LEAD-PAINT',
      'TX-IABS',
      'US-LEAD-PAINT',
      'US-FAIR-HOUSING-AD',
    ]);
  });

  it('a draft or cancelled document does not satisfy a rule and says why', () => {
    const r = check({ financing_type: 'cash' }, [
      doc("Seller's Disclosure Notice", 'draft'),
      doc('Lead paint disclosure', 'cancelled'),
    ]);
    const sellers = r.violations.find((v) => v.code === 'TX-SELLERS-DISCLOSURE');
    expect(sellers?.actual).toBe(`"Seller's Disclosure Notice" is draft`);
    expect(r.violations.find((v) => v.code === 'US-LEAD-PAINT')?.actual).toBe('"Lead paint disclosure" is cancelled');
    expect(r.voice_summary).toContain("the Texas seller's disclosure notice is only a draft");
  });

  it('a document matches by type_key or template key whatever its name', () => {
    const r = check({ financing_type: 'cash' }, [
      doc('TREC OP-H', 'completed', 'seller_disclosure'),
      doc('Addendum 56', 'completed', 'tx_lead_based_paint_addendum'),
      doc('IABS 1-0', 'completed'),
    ]);
    expect(r.violations).toEqual([]);
  });
});

describe('checkCompliance: lead paint and year built', () => {
  it('a 1985 house needs no lead paint disclosure (the WP example is wrong)', () => {
    const r = check({ year_built: 1985 });
    expect(codes(r.violations)).not.toContain('US-LEAD-PAINT');
    expect(codes(r.violations)).not.toContain('TX-LEAD-PAINT');
    expect(r.required_disclosures).not.toContain('lead_based_paint');
    expect(r.passed_rules).toContain('TX-LEAD-PAINT'); // checked, not triggered
  });

  it('1977 is covered and 1978 is not (year_built < 1978)', () => {
    expect(codes(check({ year_built: 1977 }).violations)).toContain('US-LEAD-PAINT');
    expect(codes(check({ year_built: 1978 }).violations)).not.toContain('US-LEAD-PAINT');
  });

  it('unknown year built is flagged for review, not skipped', () => {
    const r = check({ year_built: null }, [doc("Seller's Disclosure Notice"), doc('IABS')], {});
    expect(codes(r.violations)).toEqual([]);
    expect(r.status).toBe('needs_review');
    const lead = r.needs_review.filter((i) => i.code.endsWith('LEAD-PAINT'));
    expect(codes(lead).sort()).toEqual(['TX-LEAD-PAINT', 'US-LEAD-PAINT']);
    expect(lead.map((i) => i.reason)).toEqual([
      'year built unknown; lead paint disclosure may be required',
      'year built unknown; lead paint disclosure may be required',
    ]);
  });

  it('lead paint does not apply to land or commercial property', () => {
    for (const property_type of ['land', 'commercial'] as const) {
      const r = check({ property_type, year_built: 1950 });
      expect(codes(r.violations).filter((c) => c.includes('LEAD'))).toEqual([]);
    }
  });

  it('applies to leases too (federal rule covers rentals)', () => {
    const r = check({}, [], { transaction_type: 'lease' });
    expect(codes(r.violations)).toContain('US-LEAD-PAINT');
    expect(codes(r.violations)).not.toContain('TX-SELLERS-DISCLOSURE');
  });
});

describe('checkCompliance: state rules', () => {
  it('NY condo: property condition disclosure and agency disclosure apply, smoke alarms need review', () => {
    const r = check({ state: 'ny', city: 'Brooklyn', property_type: 'condo', year_built: 1999, price: 900_000 });
    expect(codes(r.violations)).toEqual(['NY-PROPERTY-CONDITION-DISCLOSURE', 'NY-AGENCY-DISCLOSURE']);
    expect(r.violations[0]).toMatchObject({
      rule: 'NY Property Condition Disclosure Act',
      severity: 'high',
      remediation: 'Attach the NY Property Condition Disclosure Statement and have the seller complete it.',
    });
    expect(codes(r.needs_review)).toContain('NY-SMOKE-CO-DETECTORS');
    expect(r.required_disclosures).toEqual(['seller_disclosure', 'agency_disclosure']);
  });

  it('NY 1970 house: required disclosures in the WP order', () => {
    const r = check({ state: 'NY', city: 'Albany', year_built: 1970 });
    expect(r.required_disclosures).toEqual(['seller_disclosure', 'lead_based_paint', 'agency_disclosure']);
  });

  it('NY sale of $5M or more needs high-value documentation (medium ⇒ failure)', () => {
    const r = check({ state: 'NY', price: 5_000_000, year_built: 2001 });
    expect(codes(r.violations)).toContain('NY-HIGH-VALUE-DOCUMENTATION');
    expect(r.voice_summary).toContain(
      'high-value transaction documentation is required because the price is $5,000,000',
    );
    expect(codes(check({ state: 'NY', price: 4_999_999, year_built: 2001 }).violations)).not.toContain(
      'NY-HIGH-VALUE-DOCUMENTATION',
    );
  });

  it('CA house built in 1955: earthquake retrofit, lead paint, natural hazard; water fixtures review', () => {
    const r = check({ state: 'CA', city: 'Oakland', year_built: 1955 });
    expect(codes(r.violations)).toEqual([
      'CA-NATURAL-HAZARD-DISCLOSURE',
      'CA-LEAD-PAINT',
      'US-LEAD-PAINT',
      'CA-EARTHQUAKE-RETROFIT',
      'CA-AGENCY-DISCLOSURE',
    ]);
    expect(codes(r.needs_review)).toContain('CA-WATER-CONSERVING-FIXTURES');
    const quake = r.violations.find((v) => v.code === 'CA-EARTHQUAKE-RETROFIT');
    expect(quake?.severity).toBe('high');
    expect(codes(check({ state: 'CA', year_built: 1965 }).violations)).not.toContain('CA-EARTHQUAKE-RETROFIT');
    expect(codes(check({ state: 'CA', year_built: 2005 }).needs_review)).not.toContain('CA-WATER-CONSERVING-FIXTURES');
  });

  it('FL condo: HOA disclosure applies; a house does not need it', () => {
    const condo = check({ state: 'FL', city: 'Miami', property_type: 'condo', year_built: 2004 });
    expect(codes(condo.violations)).toEqual(['FL-HOA-DISCLOSURE', 'FL-RADON-DISCLOSURE', 'FL-PROPERTY-TAX-DISCLOSURE']);
    const house = check({ state: 'FL', city: 'Miami', property_type: 'house', year_built: 2004 });
    expect(codes(house.violations)).not.toContain('FL-HOA-DISCLOSURE');
    const done = check({ state: 'FL', property_type: 'condo', year_built: 2004, financing_type: 'cash' }, [
      doc('HOA Disclosure Summary'),
      doc('Radon Gas Disclosure'),
      doc('Property Tax Disclosure Summary'),
    ]);
    expect(done.status).toBe('passed');
    expect(done.voice_summary).toBe('Property 12 passed all 4 applicable compliance checks.');
  });

  it('state rules do not leak into other states; an unknown state is reviewed', () => {
    const oh = check({ state: 'OH', year_built: 2010 });
    expect(oh.violations.every((v) => v.code.startsWith('US-'))).toBe(true);
    const none = check({ state: null, year_built: 2010 });
    expect(none.needs_review[0]).toEqual(STATE_UNKNOWN_REVIEW);
  });
});

describe('checkCompliance: Fair Housing advertising', () => {
  it('a prohibited phrase is a failing violation', () => {
    const r = check(
      { year_built: 2015, description: 'Quiet street. Adults-only building, no kids please!' },
      TX_COMPLETE_DOCS,
    );
    const fh = r.violations.find((v) => v.code === 'US-FAIR-HOUSING-AD');
    expect(fh?.severity).toBe('high');
    expect(fh?.actual).toBe('"no kids" (prohibited: familial status); "adults only" (prohibited: familial status)');
    expect(r.status).toBe('failed');
    expect(r.voice_summary).toContain('the listing description says "no kids"');
  });

  it('a caution phrase is only a warning', () => {
    const r = check(
      { year_built: 2015, description: 'Perfect for singles, in an exclusive neighborhood.', financing_type: 'cash' },
      TX_COMPLETE_DOCS,
    );
    expect(r.violations).toEqual([]);
    expect(codes(r.warnings)).toEqual(['US-FAIR-HOUSING-AD']);
    expect(r.compliant).toBe(true);
    expect(r.status).toBe('needs_review');
  });

  it('describing the property is fine', () => {
    const r = check({ year_built: 2015, description: 'Family room, master suite, walk to the park. Kids play area.' });
    expect(codes(r.violations)).not.toContain('US-FAIR-HOUSING-AD');
    expect(codes(r.warnings)).toEqual([]);
  });
});

describe('checkCompliance: rule types and filters', () => {
  const base = COMPLIANCE_RULES.find((r) => r.code === 'US-ECOA');
  if (!base) throw new Error('seed rule missing');
  const custom = (over: Partial<ComplianceRule>): ComplianceRule =>
    ({ ...base, financed_only: false, transaction_types: null, severity: 'high', ...over }) as ComplianceRule;

  it('required_field, boolean and allowed_values rules', () => {
    const rules = [
      custom({ code: 'X-SQFT', rule_type: 'required_field', field: 'square_feet', severity: 'medium' }),
      custom({ code: 'X-ALARMS', rule_type: 'boolean', field: 'has_smoke_alarms', expected: true, severity: 'high' }),
      custom({
        code: 'X-TYPE',
        rule_type: 'list_check',
        field: 'property_type',
        mode: 'allowed_values',
        values: ['house'],
        severity: 'low',
      }),
    ];
    const r = checkCompliance(
      rules,
      input({ square_feet: null, property_type: 'condo', attributes: { has_smoke_alarms: false } }),
    );
    expect(codes(r.violations)).toEqual(['X-ALARMS', 'X-SQFT']);
    expect(codes(r.warnings)).toEqual(['X-TYPE']);
    const ok = checkCompliance(rules, input({ attributes: { has_smoke_alarms: true } }));
    expect(ok.status).toBe('passed');
    const unknown = checkCompliance(rules, input({}));
    expect(codes(unknown.needs_review)).toEqual(['X-ALARMS']);
  });

  it('threshold without a cure document; low severity is a warning', () => {
    const rules = [
      custom({
        code: 'X-BIG',
        rule_type: 'threshold',
        field: 'square_feet',
        op: '>',
        value: 1000,
        document: null,
        severity: 'low',
      }),
    ];
    const r = checkCompliance(rules, input({ square_feet: 1_650 }));
    expect(r.warnings[0]).toMatchObject({
      code: 'X-BIG',
      expected: 'square_feet not > 1000',
      actual: 'square_feet = 1650',
    });
    expect(r.status).toBe('needs_review');
  });

  it('city, price, inactive and category filters', () => {
    const rules = [
      custom({
        code: 'X-CITY',
        jurisdiction: { level: 'city', state: 'TX', city: 'Austin' },
        rule_type: 'required_field',
        field: 'lot_size',
      }),
      custom({ code: 'X-PRICE', min_price: 1_000_000, rule_type: 'required_field', field: 'lot_size' }),
      custom({ code: 'X-OFF', active: false, rule_type: 'required_field', field: 'lot_size' }),
    ];
    expect(codes(checkCompliance(rules, input({ city: 'AUSTIN ' })).violations)).toEqual(['X-CITY']);
    expect(codes(checkCompliance(rules, input({ city: 'Dallas' })).violations)).toEqual([]);
    expect(codes(checkCompliance(rules, input({ city: null })).needs_review)).toEqual(['X-CITY']);
    expect(codes(checkCompliance(rules, input({ price: null })).needs_review)).toEqual(['X-PRICE']);
    const cats = checkCompliance(COMPLIANCE_RULES, input({}, [], { categories: ['environmental'] }));
    expect(codes(cats.violations)).toEqual(['TX-LEAD-PAINT', 'US-LEAD-PAINT']);
  });

  it('no applicable rules', () => {
    const r = checkCompliance([], input());
    expect(r).toMatchObject({
      status: 'passed',
      checked_rules: 0,
      voice_summary: 'Property 12 has no applicable compliance rules.',
    });
  });
});
