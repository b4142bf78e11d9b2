import { FL_HOA_DOCUMENT, FL_PROPERTY_TAX_DOCUMENT, FL_RADON_DOCUMENT } from './rule-documents.ts';
import type { ComplianceRule } from './rule.types.ts';
import { NO_FILTERS, stateOf } from './rules.defaults.ts';

const FL = stateOf('FL');

/** Florida: the seed's 3 rules. */
export const FL_RULES: readonly ComplianceRule[] = [
  {
    ...NO_FILTERS,
    code: 'FL-RADON-DISCLOSURE',
    name: 'FL Radon Gas Disclosure',
    topic: 'the Florida radon gas notice',
    jurisdiction: FL,
    category: 'environmental',
    citation: 'Fla. Stat. § 404.056(5)',
    rule_type: 'document',
    document: FL_RADON_DOCUMENT,
    severity: 'medium',
    disclosure: 'radon',
    description: 'The radon gas notice must be given at or before the contract for sale or rental of any building.',
    remediation: 'Attach the Radon Gas disclosure (or confirm the purchase contract includes the statutory notice).',
  },
  {
    ...NO_FILTERS,
    code: 'FL-PROPERTY-TAX-DISCLOSURE',
    name: 'FL Property Tax Disclosure',
    topic: 'the Florida property tax disclosure',
    jurisdiction: FL,
    category: 'disclosure',
    citation: 'Fla. Stat. § 689.261',
    rule_type: 'document',
    document: FL_PROPERTY_TAX_DOCUMENT,
    transaction_types: ['sale'],
    severity: 'medium',
    disclosure: 'property_tax',
    description:
      "The buyer must be told that taxes may rise after the sale (the seller's current taxes are not a reliable estimate).",
    remediation: 'Attach the Property Tax Disclosure Summary before the buyer signs.',
  },
  {
    ...NO_FILTERS,
    code: 'FL-HOA-DISCLOSURE',
    name: 'FL HOA / Condominium Association Disclosure',
    topic: 'the Florida HOA disclosure summary',
    jurisdiction: FL,
    category: 'disclosure',
    citation: 'Fla. Stat. §§ 720.401, 718.503',
    rule_type: 'document',
    document: FL_HOA_DOCUMENT,
    property_types: ['condo', 'townhouse'],
    transaction_types: ['sale'],
    severity: 'high',
    disclosure: 'hoa_disclosure',
    description:
      'Buyers of a parcel in a homeowners or condominium association must get the association disclosure summary before signing.',
    remediation: 'Attach the HOA / condominium association disclosure summary and governing documents.',
  },
];
