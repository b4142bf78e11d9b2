import { describe, expect, it } from 'vitest';
import { CONTACT_ROLES } from '../../../src/domain/contacts/contact.entity.ts';
import { DEAL_TYPE_CONFIGS } from '../../../src/domain/contracts/templates/deal-types.ts';
import {
  CONTRACT_TEMPLATES,
  findTemplate,
  TEMPLATE_REGISTRY_VERSION,
  templateRegistryVersion,
} from '../../../src/domain/contracts/templates/registry.ts';
import {
  ContractTemplateDefSchema,
  type ContractTemplateDef,
} from '../../../src/domain/contracts/templates/template.types.ts';
import { DEAL_TYPES, PROPERTY_TYPES } from '../../../src/domain/properties/property.enums.ts';

const t = (key: string): ContractTemplateDef => {
  const found = findTemplate(key);
  if (!found) throw new Error(`missing template ${key}`);
  return found;
};

describe('contract template registry', () => {
  it('every template parses, keys are unique, roles and types are real enum values', () => {
    for (const tpl of CONTRACT_TEMPLATES) {
      expect(ContractTemplateDefSchema.safeParse(tpl).success, tpl.key).toBe(true);
      for (const role of [tpl.default_recipient_role, ...tpl.required_signer_roles])
        expect(CONTACT_ROLES).toContain(role);
      for (const type of tpl.property_types ?? []) expect(PROPERTY_TYPES).toContain(type);
      for (const deal of tpl.deal_types ?? []) expect(DEAL_TYPES).toContain(deal);
      for (const key of tpl.supersedes ?? []) expect(findTemplate(key), key).toBeDefined();
    }
    const keys = CONTRACT_TEMPLATES.map((x) => x.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(CONTRACT_TEMPLATES).toHaveLength(28);
  });

  it('seeds the state templates of §2.10 and the WP additions', () => {
    expect(t('ny_property_condition_disclosure')).toMatchObject({
      state: 'NY',
      requirement: 'required',
      priority: 10,
      property_types: ['house', 'condo', 'townhouse'],
    });
    expect(t('ny_purchase_and_sale_agreement')).toMatchObject({ default_recipient_role: 'buyer', priority: 10 });
    expect(t('ny_agency_disclosure')).toMatchObject({ disclosure: 'agency_disclosure' });
    expect(t('ca_transfer_disclosure_statement')).toMatchObject({ priority: 10, requirement: 'required' });
    expect(t('ca_natural_hazard_disclosure')).toMatchObject({ priority: 9, requirement: 'required' });
    expect(t('fl_sellers_property_disclosure')).toMatchObject({ requirement: 'recommended', priority: 8 });
    expect(t('fl_hoa_disclosure')).toMatchObject({ property_types: ['condo', 'townhouse'], priority: 9 });
    expect(t('fl_sinkhole_disclosure').state).toBe('FL');
    expect(t('tx_sellers_disclosure_notice')).toMatchObject({ priority: 10, requirement: 'required' });
    expect(t('tx_one_to_four_family_resale_contract').document).toBe(
      'trec_20-19_one_to_four_family_residential_contract_resale_blank.pdf',
    );
    expect(t('tx_lead_based_paint_addendum')).toMatchObject({
      year_built_before: 1978,
      document: 'trec_56-0_lead_based_paint_addendum_blank.pdf',
    });
  });

  it('all-state templates: contingency addenda recommended; federal lead paint only before 1978', () => {
    for (const key of ['home_inspection_contingency_addendum', 'financing_contingency_addendum']) {
      expect(t(key)).toMatchObject({ state: null, requirement: 'recommended', priority: 5, auto_attach: false });
    }
    expect(t('federal_lead_based_paint_disclosure')).toMatchObject({
      state: null,
      requirement: 'required',
      auto_attach: true,
      priority: 10,
      year_built_before: 1978,
      property_types: ['house', 'apartment', 'condo', 'townhouse'],
    });
  });

  it('every year-limited template is a lead-paint or earthquake form', () => {
    const limited = CONTRACT_TEMPLATES.filter((x) => x.year_built_before !== null).map((x) => x.key);
    expect(limited.sort()).toEqual([
      'ca_earthquake_hazards_disclosure',
      'federal_lead_based_paint_disclosure',
      'tx_lead_based_paint_addendum',
    ]);
  });

  it('registry version is a content fingerprint', () => {
    expect(TEMPLATE_REGISTRY_VERSION).toMatch(/^ctr-28-[0-9a-f]{8}$/);
    const bumped = CONTRACT_TEMPLATES.map((x) => (x.key === 'fl_hoa_disclosure' ? { ...x, priority: 8 } : x));
    expect(templateRegistryVersion(bumped)).not.toBe(TEMPLATE_REGISTRY_VERSION);
  });

  it('the schema refuses upper-case types and a federal template with a city', () => {
    const base = t('tx_sellers_disclosure_notice');
    expect(ContractTemplateDefSchema.safeParse({ ...base, property_types: ['HOUSE'] }).success).toBe(false);
    expect(
      ContractTemplateDefSchema.safeParse({ ...base, state: null, authority: 'federal', city: 'Austin' }).success,
    ).toBe(false);
    expect(ContractTemplateDefSchema.safeParse({ ...base, state: null }).success).toBe(false);
  });
});

describe('deal type configs (§2.11)', () => {
  it('has the 8 deal types with templates that exist and a 3–4 item checklist', () => {
    expect(Object.keys(DEAL_TYPE_CONFIGS).sort()).toEqual([...DEAL_TYPES].sort());
    for (const [name, cfg] of Object.entries(DEAL_TYPE_CONFIGS)) {
      expect(cfg.name).toBe(name);
      expect(cfg.checklist.length).toBeGreaterThanOrEqual(3);
      expect(cfg.checklist.length).toBeLessThanOrEqual(4);
      for (const key of cfg.contract_templates) expect(findTemplate(key), `${name} → ${key}`).toBeDefined();
      for (const role of cfg.required_contact_roles) expect(CONTACT_ROLES).toContain(role);
    }
  });

  it('short sale adds a lender and the Short Sale Addendum; rental uses a lease with tenant and landlord', () => {
    expect(DEAL_TYPE_CONFIGS.short_sale.required_contact_roles).toContain('lender');
    expect(DEAL_TYPE_CONFIGS.short_sale.contract_templates).toContain('short_sale_addendum');
    expect(DEAL_TYPE_CONFIGS.wholesale.contract_templates).toContain('assignment_of_contract');
    expect(DEAL_TYPE_CONFIGS.rental.contract_templates).toEqual(['lease_agreement']);
    expect([...DEAL_TYPE_CONFIGS.rental.required_contact_roles].sort()).toEqual(['landlord', 'tenant']);
  });
});
