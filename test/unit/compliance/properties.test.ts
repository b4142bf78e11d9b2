import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComplianceDocument, ComplianceInput } from '../../../src/domain/compliance/check.types.ts';
import { FINANCING_TYPES } from '../../../src/domain/compliance/check.types.ts';
import { checkCompliance } from '../../../src/domain/compliance/engine.ts';
import { FAIR_HOUSING_PHRASES } from '../../../src/domain/compliance/fair-housing.ts';
import { COMPLIANCE_RULES } from '../../../src/domain/compliance/rule-set.ts';
import { CONTRACT_STATUSES } from '../../../src/domain/contracts/templates/contract-status.ts';
import { PROPERTY_TYPES } from '../../../src/domain/properties/property.enums.ts';

const DOC_NAMES = [
  "Seller's Disclosure Notice",
  'Lead-Based Paint Addendum',
  'Property Condition Disclosure Statement',
  'Natural Hazard Disclosure',
  'HOA Disclosure',
  'Radon Gas Disclosure',
  'Earthquake Hazards Report',
  'Purchase Agreement',
  'Information About Brokerage Services',
  'Random Addendum',
];

/** One document per document requirement of the seed, completed: each satisfies at least one rule. */
const CURES: ComplianceDocument[] = COMPLIANCE_RULES.flatMap((r) => {
  const req = r.rule_type === 'document' || r.rule_type === 'threshold' ? r.document : null;
  return req ? [{ name: req.names[0] ?? req.type_key, status: 'completed' as const }] : [];
});

const docArb: fc.Arbitrary<ComplianceDocument> = fc.record({
  name: fc.constantFrom(...DOC_NAMES),
  status: fc.constantFrom(...CONTRACT_STATUSES),
});

const descriptionArb = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 60 }),
  fc
    .tuple(fc.constantFrom(...FAIR_HOUSING_PHRASES.map((p) => p.phrase)), fc.constantFrom('Sunny. ', '', 'NICE, '))
    .map(([p, pre]) => `${pre}${p.toUpperCase()}!`),
);

const inputArb: fc.Arbitrary<ComplianceInput> = fc.record({
  property: fc.record({
    id: fc.nat({ max: 10_000 }),
    state: fc.constantFrom('NY', 'CA', 'FL', 'TX', 'tx', 'OH', null),
    city: fc.constantFrom('Austin', 'Miami', 'Brooklyn', null),
    property_type: fc.constantFrom(...PROPERTY_TYPES, null),
    price: fc.option(fc.integer({ min: 0, max: 8_000_000 }), { nil: null }),
    year_built: fc.option(fc.integer({ min: 1850, max: 2026 }), { nil: null }),
    description: descriptionArb,
    financing_type: fc.constantFrom(...FINANCING_TYPES, null),
  }),
  documents: fc.array(docArb, { maxLength: 6 }),
  transaction_type: fc.constantFrom('sale' as const, 'lease' as const),
});

const check = (i: ComplianceInput) => checkCompliance(COMPLIANCE_RULES, i);

describe('compliance properties', () => {
  it('compliant ⇔ no failing violation; status agrees with the lists', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const r = check(i);
        expect(r.compliant).toBe(r.violations.length === 0);
        expect(r.status === 'failed').toBe(r.violations.length > 0);
        expect(r.status === 'passed').toBe(r.violations.length + r.warnings.length + r.needs_review.length === 0);
        expect(r.violations.every((v) => v.severity !== 'low' && v.severity !== 'info')).toBe(true);
        expect(r.checked_rules).toBeLessThanOrEqual(COMPLIANCE_RULES.length);
      }),
    );
  });

  it('attaching a completed required document never adds a violation', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...CURES), (i, cure) => {
        const before = new Set(check(i).violations.map((v) => v.code));
        const after = check({ ...i, documents: [...i.documents, cure] }).violations.map((v) => v.code);
        expect(after.every((c) => before.has(c))).toBe(true);
      }),
    );
  });

  it('with every cure attached only fair-housing violations can remain', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const r = check({ ...i, documents: [...i.documents, ...CURES] });
        expect(r.violations.every((v) => v.code === 'US-FAIR-HOUSING-AD')).toBe(true);
      }),
    );
  });

  it('federal lead paint fails exactly for dwellings built before 1978 without a lead document', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const p = i.property;
        const dwelling =
          p.property_type !== null && ['house', 'apartment', 'condo', 'townhouse'].includes(p.property_type);
        const leadDoc = i.documents.some(
          (d) =>
            d.name === 'Lead-Based Paint Addendum' &&
            ['completed', 'pending_signature', 'in_progress'].includes(d.status),
        );
        const fires = check(i).violations.some((v) => v.code === 'US-LEAD-PAINT');
        expect(fires).toBe(dwelling && p.year_built !== null && p.year_built < 1978 && !leadDoc);
      }),
    );
  });

  it('is pure: deterministic, independent of document order, input untouched', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const snapshot = structuredClone(i);
        const a = check(i);
        expect(check(i)).toEqual(a);
        expect(check({ ...i, documents: [...i.documents].reverse() })).toEqual(a);
        expect(i).toEqual(snapshot);
      }),
    );
  });
});
