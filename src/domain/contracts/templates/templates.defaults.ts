/** Fields every seeded template starts from: no filters, version 1, sequential signing. */
export const ANY_PROPERTY = {
  city: null,
  property_types: null,
  min_price: null,
  max_price: null,
  deal_types: null,
  year_built_before: null,
  signing_order: 'sequential',
  version: 1,
} as const;
