import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  matchTemplates,
  missingRequiredTemplates,
  templatesToAutoAttach,
} from '../../../src/domain/contracts/templates/match.ts';
import { CONTRACT_TEMPLATES } from '../../../src/domain/contracts/templates/registry.ts';
import type { TemplateMatchProperty } from '../../../src/domain/contracts/templates/template.types.ts';
import { DEAL_TYPES, PROPERTY_TYPES } from '../../../src/domain/properties/property.enums.ts';

const prop = (over: Partial<TemplateMatchProperty> = {}): TemplateMatchProperty => ({
  state: 'TX',
  city: 'Austin',
  property_type: 'house',
  price: 400_000,
  deal_type: 'traditional',
  year_built: 1962,
  ...over,
});
const match = (over: Partial<TemplateMatchProperty> = {}) => matchTemplates(CONTRACT_TEMPLATES, prop(over));
const keys = (over: Partial<TemplateMatchProperty> = {}) => match(over).map((m) => m.key);

describe('matchTemplates', () => {
  it('TX house built 1962: TX forms, TX lead addendum instead of the federal form, addenda last', () => {
    const m = match();
    expect(m.map((x) => x.key)).toEqual([
      'tx_lead_based_paint_addendum',
      'tx_one_to_four_family_resale_contract',
      'tx_sellers_disclosure_notice',
      'tx_information_about_brokerage_services',
      'financing_contingency_addendum',
      'home_inspection_contingency_addendum',
    ]);
    expect(m.find((x) => x.key === 'tx_sellers_disclosure_notice')?.reason).toBe(
      "TX requires the Seller's Disclosure Notice for houses",
    );
    expect(m[0]?.reason).toBe(
      'TX requires the Lead-Based Paint Addendum for houses built before 1978 (this one was built in 1962)',
    );
    expect(m.find((x) => x.key === 'home_inspection_contingency_addendum')).toMatchObject({
      requirement: 'recommended',
      auto_attach: false,
      reason: 'Best practice recommends the Home Inspection Contingency Addendum',
    });
  });

  it('federal lead paint: only before 1978, only dwellings, anywhere', () => {
    expect(keys({ state: 'OH', year_built: 1977 })).toContain('federal_lead_based_paint_disclosure');
    expect(keys({ state: 'OH', year_built: 1978 })).not.toContain('federal_lead_based_paint_disclosure');
    expect(keys({ state: 'NY', year_built: 1985 })).not.toContain('federal_lead_based_paint_disclosure');
    expect(keys({ state: 'OH', year_built: 1950, property_type: 'land' })).not.toContain(
      'federal_lead_based_paint_disclosure',
    );
    const lead = match({ state: 'OH', year_built: 1950 }).find((x) => x.key === 'federal_lead_based_paint_disclosure');
    expect(lead?.reason).toBe(
      'Federal law requires the Lead-Based Paint Disclosure for houses built before 1978 (this one was built in 1950)',
    );
  });

  it('unknown year built: lead paint is a review match, never auto-attached', () => {
    const lead = match({ state: 'NY', year_built: null }).find((x) => x.key === 'federal_lead_based_paint_disclosure');
    expect(lead).toMatchObject({
      requirement: 'review',
      auto_attach: false,
      reason: 'year built unknown; lead paint disclosure may be required',
    });
    const tx = match({ year_built: null });
    expect(tx.find((x) => x.key === 'tx_lead_based_paint_addendum')?.requirement).toBe('review');
    expect(tx.map((x) => x.key)).not.toContain('federal_lead_based_paint_disclosure');
  });

  it('NY condo gets the property condition disclosure; a NY apartment does not', () => {
    expect(keys({ state: 'NY', property_type: 'condo', year_built: 2001 })).toEqual([
      'ny_property_condition_disclosure',
      'ny_purchase_and_sale_agreement',
      'ny_agency_disclosure',
      'financing_contingency_addendum',
      'home_inspection_contingency_addendum',
    ]);
    expect(keys({ state: 'NY', property_type: 'apartment', year_built: 2001 })).not.toContain(
      'ny_property_condition_disclosure',
    );
  });

  it('FL: HOA disclosure only for condos and townhouses; seller disclosure recommended; sinkhole suggested', () => {
    const condo = match({ state: 'FL', city: 'Miami', property_type: 'condo', year_built: 2004 });
    expect(condo.find((x) => x.key === 'fl_hoa_disclosure')?.requirement).toBe('required');
    expect(condo.find((x) => x.key === 'fl_sellers_property_disclosure')?.requirement).toBe('recommended');
    expect(condo.find((x) => x.key === 'fl_sinkhole_disclosure')?.requirement).toBe('recommended');
    expect(keys({ state: 'FL', property_type: 'house', year_built: 2004 })).not.toContain('fl_hoa_disclosure');
  });

  it('state and city compare case-insensitively; other states get nothing of TX', () => {
    expect(keys({ state: 'tx ' })).toEqual(keys({ state: 'TX' }));
    expect(keys({ state: 'OK' }).some((k) => k.startsWith('tx_'))).toBe(false);
    const cityTemplate = { ...CONTRACT_TEMPLATES[0]!, key: 'nyc_only', city: 'New York', property_types: null };
    const inCity = matchTemplates([cityTemplate], prop({ state: 'NY', city: 'new york' }));
    expect(inCity.map((m) => m.reason)).toEqual([
      'NY requires the Property Condition Disclosure Statement in New York',
    ]);
    expect(matchTemplates([cityTemplate], prop({ state: 'NY', city: 'Buffalo' }))).toEqual([]);
  });

  it('deal types: short sale addendum, assignment for wholesale, lease (not a purchase agreement) for rentals', () => {
    expect(keys({ deal_type: 'short_sale' })).toContain('short_sale_addendum');
    expect(match({ deal_type: 'short_sale' }).find((m) => m.key === 'short_sale_addendum')?.reason).toBe(
      'Short Sale deals require the Short Sale Addendum',
    );
    expect(keys({ deal_type: 'wholesale' })).toContain('assignment_of_contract');
    const rental = keys({ deal_type: 'rental', year_built: 1990 });
    expect(rental).toContain('lease_agreement');
    expect(rental).not.toContain('tx_one_to_four_family_resale_contract');
    expect(rental).not.toContain('home_inspection_contingency_addendum');
    expect(keys({ deal_type: 'reo' })).not.toContain('tx_sellers_disclosure_notice');
    expect(keys({ deal_type: null })).toEqual(keys({ deal_type: 'traditional' }));
  });

  it('price filters (with unknown price ⇒ review)', () => {
    const luxury = {
      ...CONTRACT_TEMPLATES[0]!,
      key: 'luxury',
      state: null,
      authority: 'best_practice' as const,
      min_price: 1_000_000,
      property_types: null,
    };
    expect(matchTemplates([luxury], prop({ price: 999_999 }))).toEqual([]);
    expect(matchTemplates([luxury], prop({ price: 1_000_000 }))).toHaveLength(1);
    expect(matchTemplates([luxury], prop({ price: null }))[0]?.requirement).toBe('review');
  });

  it('auto-attach skips attached (by key or name) contracts but not cancelled ones; missing required names', () => {
    const m = match();
    const contracts = [
      { name: "seller's disclosure notice", status: 'draft' as const },
      { name: 'Whatever', template_key: 'tx_information_about_brokerage_services', status: 'completed' as const },
      { name: 'Lead-Based Paint Addendum', status: 'cancelled' as const },
    ];
    expect(templatesToAutoAttach(m, contracts).map((x) => x.key)).toEqual([
      'tx_lead_based_paint_addendum',
      'tx_one_to_four_family_resale_contract',
    ]);
    expect(missingRequiredTemplates(m, contracts)).toEqual([
      'Lead-Based Paint Addendum',
      'One to Four Family Residential Contract (Resale)',
    ]);
  });
});

const propArb: fc.Arbitrary<TemplateMatchProperty> = fc.record({
  state: fc.constantFrom('NY', 'CA', 'FL', 'TX', 'ca', 'OH', null),
  city: fc.constantFrom('Austin', 'Miami', null),
  property_type: fc.constantFrom(...PROPERTY_TYPES, null),
  price: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
  deal_type: fc.constantFrom(...DEAL_TYPES, null),
  year_built: fc.option(fc.integer({ min: 1850, max: 2026 }), { nil: null }),
});

describe('matchTemplates properties', () => {
  it('sorted by priority, unique keys, review only with a missing fact, never auto-attached under review', () => {
    fc.assert(
      fc.property(propArb, (p) => {
        const m = matchTemplates(CONTRACT_TEMPLATES, p);
        for (let i = 1; i < m.length; i++) expect(m[i - 1]!.priority).toBeGreaterThanOrEqual(m[i]!.priority);
        expect(new Set(m.map((x) => x.key)).size).toBe(m.length);
        for (const x of m) {
          if (x.requirement === 'review') {
            expect(p.year_built === null || p.property_type === null || p.price === null).toBe(true);
            expect(x.auto_attach).toBe(false);
          }
          if (x.template.state !== null) expect(p.state?.trim().toUpperCase()).toBe(x.template.state);
        }
      }),
    );
  });

  it('no lead-paint template for housing built in 1978 or later', () => {
    fc.assert(
      fc.property(propArb, fc.integer({ min: 1978, max: 2026 }), (p, year) => {
        const m = matchTemplates(CONTRACT_TEMPLATES, { ...p, year_built: year });
        expect(m.some((x) => x.template.disclosure === 'lead_based_paint')).toBe(false);
      }),
    );
  });
});
