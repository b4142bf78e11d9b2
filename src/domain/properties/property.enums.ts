export const PROPERTY_TYPES = ['house', 'apartment', 'condo', 'townhouse', 'land', 'commercial'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** Pipeline stages, in order. */
export const PROPERTY_STAGES = ['new_property', 'enriched', 'researched', 'waiting_for_contracts', 'complete'] as const;
export type PropertyStatus = (typeof PROPERTY_STAGES)[number];

export const STAGE_LABELS: Record<PropertyStatus, string> = {
  new_property: 'New Property',
  enriched: 'Enriched',
  researched: 'Researched',
  waiting_for_contracts: 'Waiting for Contracts',
  complete: 'Complete',
};

/** Days a property may sit in a stage before it is stale (complete never goes stale). */
export const STALE_THRESHOLD_DAYS: Record<PropertyStatus, number> = {
  new_property: 3,
  enriched: 5,
  researched: 7,
  waiting_for_contracts: 10,
  complete: 999,
};

export const DEAL_TYPES = [
  'traditional',
  'short_sale',
  'reo',
  'fsbo',
  'new_construction',
  'wholesale',
  'rental',
  'commercial',
] as const;
export type DealType = (typeof DEAL_TYPES)[number];

export const SCORE_GRADES = ['A', 'B', 'C', 'D', 'F'] as const;
export type ScoreGrade = (typeof SCORE_GRADES)[number];
