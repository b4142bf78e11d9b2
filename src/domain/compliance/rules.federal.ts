import { FAIR_HOUSING_PHRASES } from './fair-housing.ts';
import { LEAD_PAINT_DOCUMENT } from './rule-documents.ts';
import { RESIDENTIAL_TYPES, type ComplianceRule } from './rule.types.ts';
import { FEDERAL, NO_FILTERS } from './rules.defaults.ts';

/** Federal rules: checked for every property, whatever its state. */
export const FEDERAL_RULES: readonly ComplianceRule[] = [
  {
    ...NO_FILTERS,
    code: 'US-LEAD-PAINT',
    name: 'Federal Lead-Based Paint Disclosure',
    topic: 'lead paint disclosure',
    jurisdiction: FEDERAL,
    category: 'environmental',
    citation: '42 U.S.C. 4852d; 24 CFR Part 35 Subpart A; 40 CFR Part 745 Subpart F',
    rule_type: 'document',
    document: LEAD_PAINT_DOCUMENT,
    property_types: RESIDENTIAL_TYPES,
    max_year_built: 1977,
    severity: 'critical',
    disclosure: 'lead_based_paint',
    description:
      'Housing built before 1978 needs the lead-based paint disclosure, the EPA pamphlet "Protect Your Family From Lead in Your Home" and a 10-day inspection opportunity before the buyer or tenant is bound.',
    remediation:
      'Attach the Lead-Based Paint Disclosure (signed by seller/landlord, agent and buyer/tenant) and give the EPA pamphlet; keep the records for 3 years.',
  },
  {
    ...NO_FILTERS,
    code: 'US-FAIR-HOUSING-AD',
    name: 'Fair Housing Act advertising',
    topic: 'the listing description',
    jurisdiction: FEDERAL,
    category: 'fair_housing',
    citation: '42 U.S.C. 3604(c); 24 CFR 100.75',
    rule_type: 'list_check',
    field: 'description',
    mode: 'forbidden_phrases',
    phrases: FAIR_HOUSING_PHRASES,
    property_types: [...RESIDENTIAL_TYPES, 'land'],
    severity: 'high',
    disclosure: null,
    description:
      'Advertising may not state a preference, limitation or discrimination based on race, color, religion, sex, disability, familial status or national origin.',
    remediation: 'Rewrite the listing description to describe the property, not the people who should live there.',
  },
  {
    ...NO_FILTERS,
    code: 'US-RESPA',
    name: 'RESPA settlement services (Section 8)',
    topic: 'RESPA settlement-service referrals',
    jurisdiction: FEDERAL,
    category: 'lending',
    citation: '12 U.S.C. 2607 (RESPA §8); 12 CFR 1024.14–1024.15 (Regulation X)',
    rule_type: 'ai_review',
    review_prompt:
      'Confirm no kickback, referral fee or unearned fee is given or received for settlement-service referrals (title, escrow, lender, inspector), and that an Affiliated Business Arrangement disclosure was given for any referral to an affiliated provider.',
    transaction_types: ['sale'],
    financed_only: true,
    severity: 'high',
    disclosure: null,
    description:
      'Federally related mortgage loans: no kickbacks or unearned fees for settlement-service referrals; affiliated referrals need a written disclosure.',
    remediation: 'Review referral arrangements; give the Affiliated Business Arrangement disclosure where one applies.',
  },
  {
    ...NO_FILTERS,
    code: 'US-TILA-TRID',
    name: 'TILA-RESPA Integrated Disclosures (Loan Estimate / Closing Disclosure)',
    topic: 'the Loan Estimate and Closing Disclosure timing',
    jurisdiction: FEDERAL,
    category: 'lending',
    citation: '15 U.S.C. 1638; 12 CFR 1026.19(e)-(f) (Regulation Z)',
    rule_type: 'ai_review',
    review_prompt:
      'If the buyer finances with a consumer mortgage: confirm the Loan Estimate was delivered within 3 business days of the application, and that the closing date leaves at least 3 business days after the Closing Disclosure is received.',
    transaction_types: ['sale'],
    financed_only: true,
    severity: 'medium',
    disclosure: null,
    description:
      'Consumer mortgages need a Loan Estimate within 3 business days of application and a Closing Disclosure at least 3 business days before consummation.',
    remediation:
      'Ask the lender for the Loan Estimate and Closing Disclosure dates; move the closing if the 3-day window is short.',
  },
  {
    ...NO_FILTERS,
    code: 'US-ECOA',
    name: 'Equal Credit Opportunity Act',
    topic: 'equal credit opportunity',
    jurisdiction: FEDERAL,
    category: 'lending',
    citation: '15 U.S.C. 1691; 12 CFR Part 1002 (Regulation B)',
    rule_type: 'ai_review',
    review_prompt:
      'For seller financing or lender referrals: confirm credit decisions did not consider race, color, religion, national origin, sex, marital status, age or receipt of public assistance, and that any adverse action was notified in writing.',
    transaction_types: ['sale'],
    financed_only: true,
    severity: 'info',
    disclosure: null,
    description: 'Creditors may not discriminate against credit applicants on a prohibited basis.',
    remediation: 'Keep the credit decision criteria and any adverse-action notice on file.',
  },
];
