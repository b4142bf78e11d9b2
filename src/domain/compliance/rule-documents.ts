import type { DocumentRequirement } from './rule.types.ts';

/** Documents that satisfy document rules (and cure threshold rules), shared by the state rule files. */
export const LEAD_PAINT_DOCUMENT: DocumentRequirement = {
  type_key: 'lead_based_paint',
  names: ['lead based paint', 'lead paint'],
  template_keys: ['federal_lead_based_paint_disclosure', 'tx_lead_based_paint_addendum'],
};

export const NY_PROPERTY_CONDITION_DOCUMENT: DocumentRequirement = {
  type_key: 'seller_disclosure',
  names: ['property condition disclosure'],
  template_keys: ['ny_property_condition_disclosure'],
};

export const NY_AGENCY_DOCUMENT: DocumentRequirement = {
  type_key: 'agency_disclosure',
  names: ['agency disclosure', 'disclosure form for buyer and seller', 'disclosure form for landlord and tenant'],
  template_keys: ['ny_agency_disclosure'],
};

export const NY_HIGH_VALUE_DOCUMENT: DocumentRequirement = {
  type_key: 'high_value_documentation',
  names: ['proof of funds', 'source of funds', 'high value'],
  template_keys: [],
};

export const CA_NATURAL_HAZARD_DOCUMENT: DocumentRequirement = {
  type_key: 'natural_hazard',
  names: ['natural hazard disclosure', 'natural hazards disclosure'],
  template_keys: ['ca_natural_hazard_disclosure'],
};

export const CA_EARTHQUAKE_DOCUMENT: DocumentRequirement = {
  type_key: 'earthquake_hazard',
  names: ['earthquake'],
  template_keys: ['ca_earthquake_hazards_disclosure'],
};

export const CA_AGENCY_DOCUMENT: DocumentRequirement = {
  type_key: 'agency_disclosure',
  names: ['agency disclosure', 'agency relationship'],
  template_keys: ['ca_agency_disclosure'],
};

export const FL_RADON_DOCUMENT: DocumentRequirement = {
  type_key: 'radon',
  names: ['radon'],
  template_keys: ['fl_radon_gas_disclosure'],
};

export const FL_PROPERTY_TAX_DOCUMENT: DocumentRequirement = {
  type_key: 'property_tax',
  names: ['property tax disclosure', 'property tax'],
  template_keys: ['fl_property_tax_disclosure'],
};

export const FL_HOA_DOCUMENT: DocumentRequirement = {
  type_key: 'hoa_disclosure',
  names: ['hoa', 'homeowners association', 'condominium association', 'condo association'],
  template_keys: ['fl_hoa_disclosure'],
};

export const TX_SELLERS_DISCLOSURE_DOCUMENT: DocumentRequirement = {
  type_key: 'seller_disclosure',
  names: ['sellers disclosure', 'seller disclosure'],
  template_keys: ['tx_sellers_disclosure_notice'],
};

export const TX_IABS_DOCUMENT: DocumentRequirement = {
  type_key: 'agency_disclosure',
  names: ['information about brokerage services', 'iabs'],
  template_keys: ['tx_information_about_brokerage_services'],
};
