/**
 * The API shapes the pipeline pages read, copied from the server's views (the console does not import server
 * code). Only the fields the pages use are listed.
 */

/** src/domain/properties/property.enums.ts PROPERTY_STAGES and STAGE_LABELS, in pipeline order. */
export const STAGES = [
  { key: 'new_property', label: 'New Property' },
  { key: 'enriched', label: 'Enriched' },
  { key: 'researched', label: 'Researched' },
  { key: 'waiting_for_contracts', label: 'Waiting for Contracts' },
  { key: 'complete', label: 'Complete' },
] as const;
export type Stage = (typeof STAGES)[number]['key'];

export const stageLabel = (key: string): string => STAGES.find((s) => s.key === key)?.label ?? key;

/** src/domain/properties/heartbeat.ts */
export type Health = 'healthy' | 'stale' | 'blocked';

export interface Heartbeat {
  property_id: number;
  stage: Stage;
  stage_label: string;
  stage_index: number;
  total_stages: number;
  checklist: { key: string; label: string; done: boolean; detail?: string }[];
  health: Health;
  health_reason: string;
  days_in_stage: number;
  stale_threshold_days: number;
  days_since_activity: number;
  next_action: string;
}

/** PropertyView (src/domain/properties/properties.service.ts). `status` is the pipeline stage. */
export interface Property {
  id: number;
  title: string | null;
  address: string;
  city: string;
  state: string;
  zip_code: string | null;
  price: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  square_feet: number | null;
  lot_size: number | null;
  year_built: number | null;
  property_type: string;
  status: Stage;
  deal_type: string | null;
  deal_score: number | null;
  score_grade: string | null;
  stage_entered_at: string;
  heartbeat?: Heartbeat;
}

export interface PropertyList {
  items: Property[];
  total: number;
  limit: number;
  offset: number;
}

/** src/domain/intelligence/follow-up-queue.ts */
export type Priority = 'urgent' | 'high' | 'medium' | 'low';

export interface FollowUpItem {
  rank: number;
  property_id: number;
  address: string;
  status: Stage;
  priority: Priority;
  score: number;
  reasons: string[];
  suggested_action: string;
  contact: { name: string; phone: string | null; role: string } | null;
  days_since_activity: number;
}

export interface FollowUpQueue {
  items: FollowUpItem[];
  total: number;
  voice_summary: string;
}

/** NotificationView (src/domain/notifications/notifications.service.ts). */
export interface Notification {
  id: number;
  type: string;
  priority: Priority;
  title: string;
  message: string;
  property_id: number | null;
  is_read: boolean;
  created_at: string;
}

/** src/domain/insights/digest.service.ts */
export interface Digest {
  date: string;
  portfolio: {
    active_properties: number;
    by_stage: Record<Stage, number>;
    active_listing_value: number;
    new_last_24h: number;
  };
  alerts: { severity: 'high' | 'medium'; property_id: number; address: string; message: string }[];
  contracts: { required: number; completed: number; out_for_signature: number; deadlines_within_3_days: number };
  activity_last_24h: { actions: number; notes: number; offers: number };
  recommendations: { property_id: number; address: string; action: string; priority: string }[];
  voice_summary: string;
  source: 'llm' | 'rules';
}

/** SigningStatus (src/domain/contracts/templates/readiness.ts). */
export interface Readiness {
  is_ready_to_close: boolean;
  total_contracts: number;
  required_contracts: number;
  completed_contracts: number;
  missing_contracts: number;
  missing_templates: string[];
  in_progress_contracts: number;
  next_steps: string[];
  voice_summary: string;
}

/** ContractView (src/domain/contracts/contract-records.ts). */
export interface Contract {
  id: number;
  name: string;
  status: string;
  is_required: boolean;
  required_by_date: string | null;
  signers: { id: number; name: string; status: string }[];
}

/** OfferView (src/domain/offers/offers.service.ts). */
export interface Offer {
  id: number;
  buyer_contact_id: number | null;
  parent_offer_id: number | null;
  offer_price: number;
  status: string;
  is_our_offer: boolean;
  submitted_at: string | null;
  expires_at: string | null;
  responded_at: string | null;
  created_at: string;
}

/** ContactView (src/domain/contacts/contacts.service.ts). */
export interface Contact {
  id: number;
  name: string;
  role: string;
}

/** PropertyValuation (src/domain/valuation/types.ts, valuation.service.ts). */
export interface Valuation {
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  confidence_label: 'high' | 'medium' | 'low';
  comps: {
    id: string;
    distance_mi: number;
    sale_date: string;
    price: number;
    adjusted_price: number;
    similarity: number;
  }[];
  market: { count: number; median_price: number; median_ppsf: number; trend: string; subject_vs_market: string };
  limited_data: boolean;
  sales_market: string;
  as_of: string;
  assumed: string[];
}

/** ClosingPrediction (src/domain/intelligence/closing-probability.ts). */
export interface ClosingPrediction {
  closing_probability: number;
  confidence: 'high' | 'medium' | 'low';
  days_to_close: number;
  risk_level: 'high' | 'medium' | 'low';
  strengths: string[];
  risk_factors: string[];
  recommended_actions: { action: string; priority: string; reason: string; expected_impact: string }[];
}
