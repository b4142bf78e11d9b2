import { LEAD_PAINT_DOCUMENT, TX_IABS_DOCUMENT, TX_SELLERS_DISCLOSURE_DOCUMENT } from './rule-documents.ts';
import { RESIDENTIAL_TYPES, type ComplianceRule } from './rule.types.ts';
import { NO_FILTERS, stateOf } from './rules.defaults.ts';

const TX = stateOf('TX');

/** Texas: the seed's 3 rules plus the Information About Brokerage Services notice. */
export const TX_RULES: readonly ComplianceRule[] = [
  {
    ...NO_FILTERS,
    code: 'TX-SELLERS-DISCLOSURE',
    name: "TX Seller's Disclosure Notice",
    topic: "the Texas seller's disclosure notice",
    jurisdiction: TX,
    category: 'disclosure',
    citation: 'Tex. Prop. Code § 5.008',
    rule_type: 'document',
    document: TX_SELLERS_DISCLOSURE_DOCUMENT,
    property_types: ['house', 'townhouse', 'condo'],
    transaction_types: ['sale'],
    severity: 'critical',
    disclosure: 'seller_disclosure',
    description:
      "The seller of a single-dwelling residence must give the Seller's Disclosure Notice before the contract.",
    remediation: "Attach the Seller's Disclosure Notice and have the seller complete and sign it.",
  },
  {
    ...NO_FILTERS,
    code: 'TX-LEAD-PAINT',
    name: 'TX Lead-Based Paint Addendum',
    topic: 'lead paint disclosure',
    jurisdiction: TX,
    category: 'environmental',
    citation: '42 U.S.C. 4852d; TREC form 56-0',
    rule_type: 'threshold',
    field: 'year_built',
    op: '<',
    value: 1978,
    document: LEAD_PAINT_DOCUMENT,
    property_types: RESIDENTIAL_TYPES,
    severity: 'critical',
    disclosure: 'lead_based_paint',
    description: 'Property built before 1978 requires the lead-based paint addendum.',
    remediation: 'Attach TREC Addendum 56-0 (Lead-Based Paint and Lead-Based Paint Hazards).',
  },
  {
    ...NO_FILTERS,
    code: 'TX-FLOOD-ZONE-DISCLOSURE',
    name: 'TX Flood Zone Disclosure',
    topic: 'the Texas flood disclosure',
    jurisdiction: TX,
    category: 'environmental',
    citation: 'Tex. Prop. Code §§ 5.008 (flood questions), 92.0135 (leases)',
    rule_type: 'ai_review',
    review_prompt:
      "Confirm the seller answered the flood questions (100-year floodplain, flood insurance, prior flood damage or claims, reservoir) on the Seller's Disclosure Notice, or for a lease gave the landlord's flood disclosure.",
    property_types: RESIDENTIAL_TYPES,
    severity: 'high',
    disclosure: 'flood_zone',
    description: 'Sellers and landlords must disclose floodplain location and prior flooding.',
    remediation: 'Check the FEMA flood map and complete the flood disclosure questions.',
  },
  {
    ...NO_FILTERS,
    code: 'TX-IABS',
    name: 'TX Information About Brokerage Services',
    topic: 'the Texas information about brokerage services notice',
    jurisdiction: TX,
    category: 'agency',
    citation: '22 Tex. Admin. Code § 531.20',
    rule_type: 'document',
    document: TX_IABS_DOCUMENT,
    severity: 'medium',
    disclosure: 'agency_disclosure',
    description: 'License holders must give the IABS notice at the first substantive communication with a party.',
    remediation: 'Attach TREC form IABS 1-0 (Information About Brokerage Services).',
  },
];
