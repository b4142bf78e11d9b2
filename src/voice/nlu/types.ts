/** Closed set of caller intents understood by the local (no-LLM) brain. */
export const INTENTS = [
  'property_inquiry',
  'price_comparison',
  'schedule_viewing',
  'take_message',
  'make_offer',
  'speak_to_agent',
  'qualification_answer',
  'fair_housing_question',
  'greeting',
  'goodbye',
  'yes',
  'no',
  'repeat',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

export type InquiryTopic = 'price' | 'beds' | 'baths' | 'sqft' | 'description' | 'availability';

export type PropertyRef =
  | { kind: 'address'; text: string; address: string; houseNumber: string | null }
  | { kind: 'street'; text: string; street: string }
  | { kind: 'index'; text: string; index: number };

export interface ViewingTime {
  /** Start instant, ISO 8601 with the offset of the given time zone. */
  start: string;
  /** End of the window for approximate times ("morning" → 09:00–12:00); equals start when exact. */
  end: string;
  /** exact: a clock time was said; approximate: a part of day or only a day. */
  certainty: 'exact' | 'approximate';
  text: string;
}

export interface BudgetRange {
  min: number | null;
  max: number | null;
}

export interface Timeline {
  text: string;
  /** Horizon in months when one was said (ASAP → 0). */
  months: number | null;
  urgency: 'immediate' | 'soon' | 'later' | 'undecided';
}

export interface Slots {
  property?: PropertyRef;
  inquiryTopics?: InquiryTopic[];
  time?: ViewingTime;
  name?: string;
  phone?: string;
  money?: number;
  budget?: BudgetRange;
  timeline?: Timeline;
  affirmative?: boolean;
  transactionType?: 'buying' | 'selling' | 'renting';
  preApproved?: boolean;
  lender?: string;
  hasAgent?: boolean;
  message?: string;
}

export interface NluResult {
  intent: Intent;
  /** 0..1 */
  confidence: number;
  slots: Slots;
  /** Names of the rules that fired for the chosen intent (explainability). */
  reasons: string[];
}

export interface NluContext {
  now: Date;
  /** IANA time zone, e.g. "America/New_York". */
  timeZone: string;
}
