import type { ContactRole } from '../../contacts/contact.entity.ts';
import type { DealType } from '../../properties/property.enums.ts';

export interface DealTypeConfig {
  name: DealType;
  display_name: string;
  is_builtin: boolean;
  description: string;
  /** Template keys this deal type uses (they must also match the property's filters to apply). */
  contract_templates: readonly string[];
  required_contact_roles: readonly ContactRole[];
  /** 3–4 steps that become todos when the deal type is set. */
  checklist: readonly string[];
  compliance_tags: readonly string[];
}

/** The 8 built-in deal types (§2.11). */
export const DEAL_TYPE_CONFIGS: Readonly<Record<DealType, DealTypeConfig>> = {
  traditional: {
    name: 'traditional',
    display_name: 'Traditional Sale',
    is_builtin: true,
    description: 'A financed or cash sale between an owner-occupant seller and a buyer.',
    contract_templates: ['home_inspection_contingency_addendum', 'financing_contingency_addendum'],
    required_contact_roles: ['buyer', 'seller'],
    checklist: [
      'Deliver the state seller disclosure',
      'Confirm the buyer mortgage pre-approval',
      'Schedule the home inspection',
      'Order the appraisal',
    ],
    compliance_tags: ['disclosure', 'lending'],
  },
  short_sale: {
    name: 'short_sale',
    display_name: 'Short Sale',
    is_builtin: true,
    description: 'A sale for less than the loan balance, subject to lender approval.',
    contract_templates: ['short_sale_addendum', 'home_inspection_contingency_addendum'],
    required_contact_roles: ['buyer', 'seller', 'lender'],
    checklist: [
      'Collect the seller hardship letter and financial package',
      'Submit the short sale package to the lender',
      'Get the lender approval letter',
      'Confirm the deficiency waiver terms',
    ],
    compliance_tags: ['disclosure', 'lending'],
  },
  reo: {
    name: 'reo',
    display_name: 'REO / Bank-Owned',
    is_builtin: true,
    description: 'A bank-owned property after foreclosure, sold as-is.',
    contract_templates: ['reo_addendum', 'home_inspection_contingency_addendum'],
    required_contact_roles: ['buyer', 'seller'],
    checklist: [
      'Send proof of funds or pre-approval with the offer',
      "Submit the offer through the bank's asset manager",
      'Schedule the as-is inspection',
      'Order a title search for liens',
    ],
    compliance_tags: ['environmental'],
  },
  fsbo: {
    name: 'fsbo',
    display_name: 'For Sale By Owner',
    is_builtin: true,
    description: 'The owner sells without a listing agent.',
    contract_templates: ['fsbo_buyer_agent_compensation_agreement', 'home_inspection_contingency_addendum'],
    required_contact_roles: ['buyer', 'seller'],
    checklist: [
      "Agree the buyer's agent compensation in writing",
      'Make sure the owner delivers the state seller disclosure',
      'Open escrow with a title company',
    ],
    compliance_tags: ['disclosure', 'agency'],
  },
  new_construction: {
    name: 'new_construction',
    display_name: 'New Construction',
    is_builtin: true,
    description: 'A newly built home bought from a builder.',
    contract_templates: ['new_construction_addendum', 'home_inspection_contingency_addendum'],
    required_contact_roles: ['buyer', 'seller', 'inspector'],
    checklist: [
      "Review the builder's contract and warranty",
      'Schedule the pre-drywall inspection',
      'Get the certificate of occupancy',
      'Schedule the final walkthrough',
    ],
    compliance_tags: ['building_code'],
  },
  wholesale: {
    name: 'wholesale',
    display_name: 'Wholesale',
    is_builtin: true,
    description: 'An investor puts the property under contract and assigns the contract to an end buyer.',
    contract_templates: ['assignment_of_contract'],
    required_contact_roles: ['seller', 'buyer'],
    checklist: [
      'Sign an assignable purchase contract with the seller',
      'Find the end buyer',
      'Sign the assignment of contract',
      'Confirm the title company will close with an assignment fee',
    ],
    compliance_tags: ['disclosure'],
  },
  rental: {
    name: 'rental',
    display_name: 'Rental',
    is_builtin: true,
    description: 'A residential lease between a landlord and a tenant.',
    contract_templates: ['lease_agreement'],
    required_contact_roles: ['landlord', 'tenant'],
    checklist: [
      "Screen the tenant's application",
      'Sign the lease',
      "Collect the security deposit and first month's rent",
      'Complete the move-in inspection',
    ],
    compliance_tags: ['fair_housing', 'environmental'],
  },
  commercial: {
    name: 'commercial',
    display_name: 'Commercial',
    is_builtin: true,
    description: 'A sale of commercial property.',
    contract_templates: ['commercial_purchase_agreement', 'financing_contingency_addendum'],
    required_contact_roles: ['buyer', 'seller', 'attorney'],
    checklist: [
      'Open the due diligence period',
      'Order a Phase I environmental site assessment',
      'Collect the rent roll and tenant estoppels',
      'Confirm the zoning allows the intended use',
    ],
    compliance_tags: ['zoning', 'environmental'],
  },
};

export function dealTypeConfig(dealType: DealType): DealTypeConfig {
  return DEAL_TYPE_CONFIGS[dealType];
}
