import { describe, expect, it } from 'vitest';
import { DEAL_TYPE_CONFIGS } from '../../../src/domain/contracts/templates/deal-types.ts';
import { CONTRACT_TEMPLATES } from '../../../src/domain/contracts/templates/registry.ts';
import { suggestTemplates, type Suggestion } from '../../../src/domain/contracts/templates/suggest.ts';
import type { TemplateMatchProperty } from '../../../src/domain/contracts/templates/template.types.ts';

const prop = (over: Partial<TemplateMatchProperty> = {}): TemplateMatchProperty => ({
  state: 'TX',
  city: 'Austin',
  property_type: 'house',
  price: 400_000,
  deal_type: 'short_sale',
  year_built: 1962,
  ...over,
});

const brief = (s: Suggestion) =>
  s.kind === 'add_contact' ? `contact:${s.role}` : `${s.requirement}:${s.template_key}`;

describe('suggestTemplates (rule-based tier-2 fallback)', () => {
  it('short sale in TX: missing required first, then contacts, then recommendations', () => {
    const s = suggestTemplates(CONTRACT_TEMPLATES, prop(), {
      contracts: [
        { name: "Seller's Disclosure Notice", status: 'draft' },
        { name: 'One to Four Family Residential Contract (Resale)', status: 'completed' },
        { name: 'Information About Brokerage Services', status: 'completed' },
      ],
      contact_roles: ['seller'],
    });
    expect(s.map(brief)).toEqual([
      'required:tx_lead_based_paint_addendum',
      'required:short_sale_addendum',
      'contact:buyer',
      'contact:lender',
      'recommended:financing_contingency_addendum',
      'recommended:home_inspection_contingency_addendum',
    ]);
    expect(s[1]).toMatchObject({ reason: 'Short Sale deals require the Short Sale Addendum; it is not attached yet' });
    expect(s[3]).toMatchObject({ reason: 'Short Sale deals need a lender contact' });
    expect(s[5]).toMatchObject({
      reason: 'Best practice recommends the Home Inspection Contingency Addendum (part of the Short Sale package)',
    });
  });

  it('unknown year built: suggests confirming the lead-paint form', () => {
    const s = suggestTemplates(CONTRACT_TEMPLATES, prop({ state: 'NY', year_built: null, deal_type: 'traditional' }), {
      contracts: [],
      contact_roles: ['buyer', 'seller'],
    });
    const lead = s.find(
      (x) => x.kind === 'attach_template' && x.template_key === 'federal_lead_based_paint_disclosure',
    );
    expect(lead).toMatchObject({
      requirement: 'review',
      reason: 'year built unknown; lead paint disclosure may be required; confirm the property facts before attaching',
    });
  });

  it('rental: lease with landlord and tenant contacts', () => {
    const s = suggestTemplates(CONTRACT_TEMPLATES, prop({ deal_type: 'rental', year_built: 2001 }), {
      contracts: [],
      contact_roles: [],
    });
    expect(s.map(brief)).toEqual([
      'required:lease_agreement',
      'required:tx_information_about_brokerage_services',
      'contact:landlord',
      'contact:tenant',
    ]);
    expect(s[3]).toMatchObject({ reason: 'Rental deals need a tenant contact' });
  });

  it('asks for the signers of required templates the deal type does not name', () => {
    const dealTypes = {
      ...DEAL_TYPE_CONFIGS,
      traditional: { ...DEAL_TYPE_CONFIGS.traditional, required_contact_roles: ['buyer' as const] },
    };
    const s = suggestTemplates(
      CONTRACT_TEMPLATES,
      prop({ deal_type: 'traditional', year_built: 2001 }),
      { contracts: [], contact_roles: ['buyer'] },
      dealTypes,
    );
    expect(s.filter((x) => x.kind === 'add_contact')).toEqual([
      {
        kind: 'add_contact',
        role: 'seller',
        reason: 'The One to Four Family Residential Contract (Resale) needs a seller to sign',
      },
    ]);
  });

  it('suggests nothing when everything is attached and every role is present', () => {
    const p = prop({ deal_type: 'fsbo', year_built: 2001 });
    const all = suggestTemplates(CONTRACT_TEMPLATES, p, { contracts: [], contact_roles: [] });
    const contracts = all.flatMap((x) =>
      x.kind === 'attach_template' ? [{ name: x.name, status: 'sent' as const }] : [],
    );
    expect(suggestTemplates(CONTRACT_TEMPLATES, p, { contracts, contact_roles: ['buyer', 'seller'] })).toEqual([]);
  });
});
