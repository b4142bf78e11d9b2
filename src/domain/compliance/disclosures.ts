/**
 * Disclosure keys shared by compliance rules, contract templates and the check's
 * `required_disclosures` list. A contract whose `type_key` is one of these keys (or a template key
 * listed by a rule) satisfies that rule's document requirement.
 */
export const DISCLOSURE_KEYS = [
  'seller_disclosure',
  'lead_based_paint',
  'agency_disclosure',
  'natural_hazard',
  'earthquake_hazard',
  'water_conserving_fixtures',
  'radon',
  'property_tax',
  'hoa_disclosure',
  'flood_zone',
  'sinkhole',
  'high_value_documentation',
] as const;
export type DisclosureKey = (typeof DISCLOSURE_KEYS)[number];

/** Spoken / reason-text name of each disclosure ("year built unknown; lead paint disclosure may be required"). */
export const DISCLOSURE_TOPICS: Readonly<Record<DisclosureKey, string>> = {
  seller_disclosure: "the seller's disclosure",
  lead_based_paint: 'lead paint disclosure',
  agency_disclosure: 'the agency disclosure',
  natural_hazard: 'the natural hazard disclosure',
  earthquake_hazard: 'the earthquake hazards disclosure',
  water_conserving_fixtures: 'the water-conserving fixtures disclosure',
  radon: 'the radon gas notice',
  property_tax: 'the property tax disclosure',
  hoa_disclosure: 'the HOA disclosure',
  flood_zone: 'the flood disclosure',
  sinkhole: 'the sinkhole disclosure',
  high_value_documentation: 'high-value transaction documentation',
};
