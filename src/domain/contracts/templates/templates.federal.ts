import { ANY_PROPERTY } from './templates.defaults.ts';
import { DWELLING_TYPES, SALE_DEALS, type ContractTemplateDef } from './template.types.ts';

/** Templates for every state: the federal lead-paint disclosure and the recommended contingency addenda. */
export const FEDERAL_TEMPLATES: readonly ContractTemplateDef[] = [
  {
    ...ANY_PROPERTY,
    key: 'federal_lead_based_paint_disclosure',
    name: 'Lead-Based Paint Disclosure',
    description:
      'Disclosure of Information on Lead-Based Paint and/or Lead-Based Paint Hazards (42 U.S.C. 4852d), with the EPA pamphlet and a 10-day inspection opportunity.',
    state: null,
    property_types: DWELLING_TYPES,
    year_built_before: 1978,
    requirement: 'required',
    auto_attach: true,
    priority: 10,
    default_recipient_role: 'seller',
    required_signer_roles: ['seller', 'buyer'],
    message:
      'Federal law requires this lead-based paint disclosure for homes built before 1978. Please review and sign.',
    authority: 'federal',
    disclosure: 'lead_based_paint',
  },
  {
    ...ANY_PROPERTY,
    key: 'home_inspection_contingency_addendum',
    name: 'Home Inspection Contingency Addendum',
    description: "Makes the buyer's obligation contingent on a satisfactory professional home inspection.",
    state: null,
    deal_types: SALE_DEALS,
    requirement: 'recommended',
    auto_attach: false,
    priority: 5,
    default_recipient_role: 'buyer',
    required_signer_roles: ['buyer', 'seller'],
    message: 'Please review the inspection contingency terms and sign.',
    authority: 'best_practice',
    disclosure: null,
  },
  {
    ...ANY_PROPERTY,
    key: 'financing_contingency_addendum',
    name: 'Financing Contingency Addendum',
    description: "Makes the buyer's obligation contingent on obtaining the stated mortgage financing.",
    state: null,
    deal_types: SALE_DEALS,
    requirement: 'recommended',
    auto_attach: false,
    priority: 5,
    default_recipient_role: 'buyer',
    required_signer_roles: ['buyer', 'seller'],
    message: 'Please review the financing contingency terms and sign.',
    authority: 'best_practice',
    disclosure: null,
  },
];
