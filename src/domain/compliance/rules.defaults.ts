import type { Jurisdiction } from './rule.types.ts';
import type { UsStateCode } from '../shared/us-states.ts';

/** The filter fields every seeded rule starts from (no filter, version 1, active). */
export const NO_FILTERS = {
  version: 1,
  property_types: null,
  transaction_types: null,
  min_price: null,
  max_price: null,
  min_year_built: null,
  max_year_built: null,
  financed_only: false,
  active: true,
} as const;

export const FEDERAL: Jurisdiction = { level: 'federal', state: null, city: null };

export const stateOf = (state: UsStateCode): Jurisdiction => ({ level: 'state', state, city: null });
