/**
 * Rule-based closing probability (reference §2.6): base 50 plus weighted signals, confidence from
 * data completeness, days to close by stage, rule recommendations, calibration from history and the
 * batch risk view.
 */
import type { ContactRole } from '../contacts/contact.entity.ts';
import type { PropertyStatus } from '../properties/property.enums.ts';
import { KEY_CONTACT_ROLES } from './deal-score.ts';
import {
  ACTIVE_OFFER_STATUSES,
  clamp,
  isPositive,
  mean,
  round1,
  round2,
  type Confidence,
  type OfferStatus,
  type OutcomeStatus,
} from './shared.ts';

export interface ClosingWeights {
  dealScore: number;
  contracts: number;
  contacts: number;
  skipTrace: number;
  activity: number;
  enrichment: number;
}

export interface ClosingModel {
  base: number;
  weights: ClosingWeights;
  source: 'default' | 'calibrated';
  /** Historical win rate (0–1) when calibrated. */
  win_rate: number | null;
}

export const DEFAULT_CLOSING_WEIGHTS: Readonly<ClosingWeights> = {
  dealScore: 35,
  contracts: 25,
  contacts: 15,
  skipTrace: 10,
  activity: 10,
  enrichment: 5,
};
export const DEFAULT_CLOSING_MODEL: Readonly<ClosingModel> = {
  base: 50,
  weights: DEFAULT_CLOSING_WEIGHTS,
  source: 'default',
  win_rate: null,
};
export const OFFER_BONUS = 5;
export const REJECTED_OFFERS_PENALTY = 5;
export const DAYS_TO_CLOSE: Record<Exclude<PropertyStatus, 'waiting_for_contracts'>, number> = {
  new_property: 45,
  enriched: 35,
  researched: 25,
  complete: 0,
};
export const WAITING_MAX_DAYS = 20;

export interface ClosingFacts {
  propertyId?: number;
  address?: string;
  status: PropertyStatus;
  price: number | null;
  dealScore: number | null;
  /** The Zillow enrichment row, or null when there is none. */
  enrichment: { zestimate: number | null } | null;
  /** All contracts, required ones, and completed ones (completed counted over all contracts). */
  contracts: { total: number; required: number; completed: number };
  contactRoles: readonly ContactRole[];
  /** Latest skip trace, or null when there is none. */
  skipTrace: { hasPhone: boolean; hasEmail: boolean } | null;
  /** Conversation-history rows in the last 7 days and in the 7 days before. */
  activity: { last7Days: number; previous7Days: number };
  offers: readonly { status: OfferStatus }[];
}

export interface Recommendation {
  action: string;
  priority: 'high' | 'medium' | 'low';
  reason: string;
  expected_impact: string;
  /** Expected closing-probability lift as fractions, null when not a lift. */
  expected_lift: { min: number; max: number } | null;
}

export type RiskLevel = 'high' | 'medium' | 'low';

export interface ClosingPrediction {
  property_id: number | null;
  address: string | null;
  closing_probability: number;
  score: number;
  confidence: Confidence;
  data_completeness: number;
  days_to_close: number;
  risk_level: RiskLevel;
  /** Points each signal added to or took from the base. */
  contributions: Record<string, number>;
  strengths: string[];
  risk_factors: string[];
  recommended_actions: Recommendation[];
  model_source: ClosingModel['source'];
  voice_summary: string;
}

/** Batch risk bucket: high <0.4, medium <0.7, low ≥0.7. */
export function riskLevel(probability: number): RiskLevel {
  if (probability < 0.4) return 'high';
  if (probability < 0.7) return 'medium';
  return 'low';
}

export function confidenceFor(completeness: number): Confidence {
  if (completeness >= 75) return 'high';
  if (completeness >= 50) return 'medium';
  return 'low';
}

const completionRate = (c: ClosingFacts['contracts']): number => (c.total > 0 ? c.completed / c.total : 0);
const isStagnant = (a: ClosingFacts['activity']): boolean => a.last7Days === 0 && a.previous7Days === 0;
const hasKeyContact = (f: ClosingFacts): boolean => f.contactRoles.some((r) => KEY_CONTACT_ROLES.includes(r));

export function daysToClose(status: PropertyStatus, contractCompletion: number): number {
  if (status === 'waiting_for_contracts') return Math.floor(clamp(1 - contractCompletion, 0, 1) * WAITING_MAX_DAYS);
  return DAYS_TO_CLOSE[status];
}

/** Predicts the chance the property closes (reference §2.6). Pass a calibrated model from {@link calibrateClosingModel}. */
export function predictClosing(facts: ClosingFacts, model: ClosingModel = DEFAULT_CLOSING_MODEL): ClosingPrediction {
  const w = model.weights;
  const contributions: Record<string, number> = {};
  const strengths: string[] = [];
  const risks: string[] = [];
  const add = (key: string, points: number): void => {
    contributions[key] = round2(points);
  };

  if (facts.dealScore !== null) {
    add('deal_score', (facts.dealScore / 100 - 0.5) * w.dealScore);
    if (facts.dealScore >= 80) strengths.push('Excellent deal score');
    else if (facts.dealScore < 50) risks.push('Low deal score indicates a weak opportunity');
  }
  const completion = completionRate(facts.contracts);
  if (facts.contracts.required > 0) {
    add('contracts', (completion - 0.5) * w.contracts);
    if (completion >= 0.8) strengths.push('Most contracts completed');
    else if (completion < 0.5) risks.push('Many required contracts outstanding');
  }
  if (hasKeyContact(facts)) {
    add('contacts', w.contacts / 2);
    strengths.push('Key stakeholders identified');
  } else {
    add('contacts', -w.contacts / 2);
    risks.push('Missing key contacts (buyer, seller, attorney or lender)');
  }
  if (facts.skipTrace === null) {
    add('skip_trace', -w.skipTrace / 2);
    risks.push("No skip trace data, so we can't reach the owner");
  } else if (facts.skipTrace.hasPhone && facts.skipTrace.hasEmail) {
    add('skip_trace', w.skipTrace / 2);
    strengths.push('Owner phone and email available');
  }
  const { last7Days, previous7Days } = facts.activity;
  if (last7Days > previous7Days * 1.5) {
    add('activity', w.activity / 2);
    strengths.push('Activity accelerating');
  } else if (isStagnant(facts.activity)) {
    add('activity', -w.activity / 2);
    risks.push('No recent activity, the deal may be stalled');
  }
  const zestimate = facts.enrichment?.zestimate ?? null;
  if (isPositive(zestimate)) {
    const spread = isPositive(facts.price) ? ((zestimate - facts.price) / facts.price) * 100 : null;
    if (spread !== null && spread > 10) {
      add('enrichment', w.enrichment / 2);
      strengths.push(`Strong Zestimate spread (${Math.round(spread)}%)`);
    }
  } else {
    add('enrichment', -w.enrichment / 2);
    risks.push('Missing market data');
  }
  const active = facts.offers.filter((o) => ACTIVE_OFFER_STATUSES.includes(o.status)).length;
  const rejected = facts.offers.filter((o) => o.status === 'rejected').length;
  if (active > 0) {
    add('offers', OFFER_BONUS);
    strengths.push(active === 1 ? 'An active offer is in negotiation' : `${active} active offers in negotiation`);
  } else if (rejected > 2) {
    add('offers', -REJECTED_OFFERS_PENALTY);
    risks.push('Multiple rejected offers');
  }

  const raw = model.base + Object.values(contributions).reduce((s, p) => s + p, 0);
  const score = round1(clamp(raw, 0, 100));
  const probability = round2(clamp(raw / 100, 0, 1));
  const completeness =
    (facts.dealScore !== null ? 30 : 0) +
    (facts.contracts.total > 0 ? 25 : 0) +
    (facts.enrichment !== null ? 25 : 0) +
    (facts.skipTrace !== null ? 20 : 0);
  const confidence = confidenceFor(completeness);
  const recommended = recommendations(facts, probability);
  return {
    property_id: facts.propertyId ?? null,
    address: facts.address ?? null,
    closing_probability: probability,
    score,
    confidence,
    data_completeness: completeness,
    days_to_close: daysToClose(facts.status, completion),
    risk_level: riskLevel(probability),
    contributions,
    strengths,
    risk_factors: risks,
    recommended_actions: recommended,
    model_source: model.source,
    voice_summary: predictionVoice(facts.address, probability, confidence, strengths, risks, recommended),
  };
}

/** Rule recommendations for the weak signals (reference §2.6), with their expected lift. */
export function recommendations(facts: ClosingFacts, probability: number): Recommendation[] {
  const recs: Recommendation[] = [];
  const rec = (action: string, priority: Recommendation['priority'], reason: string, min: number, max = min): void => {
    const impact = min === max ? `+${Math.round(min * 100)}%` : `+${Math.round(min * 100)}-${Math.round(max * 100)}%`;
    recs.push({
      action,
      priority,
      reason,
      expected_impact: `${impact} closing probability`,
      expected_lift: { min, max },
    });
  };
  if (facts.enrichment === null)
    rec('enrich_property', 'high', 'Missing Zillow data, we need market intelligence', 0.1, 0.15);
  if (facts.skipTrace === null) rec('skip_trace_property', 'high', "Can't close without the owner's contact info", 0.2);
  if (facts.contracts.total === 0)
    rec('attach_required_contracts', 'medium', 'No contracts attached, the paperwork has not started', 0.15);
  if (!hasKeyContact(facts)) rec('add_contact', 'high', 'Missing buyer or seller contacts', 0.25);
  if (isStagnant(facts.activity))
    rec('make_property_phone_call', 'medium', 'The deal is stagnant and needs re-engaging', 0.1);
  if (recs.length === 0 && probability > 0.7) {
    recs.push({
      action: 'check_property_contract_readiness',
      priority: 'low',
      reason: 'The deal looks good, verify it is ready to close',
      expected_impact: 'Confirms the closing timeline',
      expected_lift: null,
    });
  }
  return recs;
}

function predictionVoice(
  address: string | undefined,
  probability: number,
  confidence: Confidence,
  strengths: readonly string[],
  risks: readonly string[],
  recs: readonly Recommendation[],
): string {
  const parts = [
    `${address ? `The property at ${address}` : 'This property'} has an estimated ${Math.round(probability * 100)}% chance of closing, with ${confidence} confidence.`,
  ];
  if (strengths.length > 0) parts.push(`Strengths: ${strengths.slice(0, 2).join(', ')}.`);
  if (risks.length > 0) parts.push(`Risks: ${risks.slice(0, 2).join(', ')}.`);
  const top = recs[0];
  if (top) parts.push(`Next step: ${top.action.replaceAll('_', ' ')}, because ${lowerFirst(top.reason)}.`);
  return parts.join(' ');
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** A logged prediction with the feature columns kept for calibration. */
export interface LoggedPrediction {
  dealScore: number | null;
  /** Contract completion in percent (0–100). */
  completionRate: number | null;
  activityLast7Days: number | null;
  actualOutcome: OutcomeStatus | null;
}

export interface CalibrationHistory {
  outcomes: readonly { status: OutcomeStatus }[];
  predictions: readonly LoggedPrediction[];
}

export const MIN_CLOSED_FOR_CALIBRATION = 5;
export const MIN_PREDICTIONS_FOR_CALIBRATION = 5;

const isClosed = (s: OutcomeStatus | null): s is 'closed_won' | 'closed_lost' =>
  s === 'closed_won' || s === 'closed_lost';

/**
 * Calibrates the model from history (reference §2.6): needs ≥5 closed outcomes and ≥5 logged predictions
 * with a closed outcome. Won/lost gaps of the logged features move weights (deal score 45 if gap >20,
 * 25 if gap <5; contracts 35 if gap >30; activity 20 if gap >3) and the base becomes the win rate × 100.
 * A feature missing on either side keeps its default weight.
 */
export function calibrateClosingModel(history: CalibrationHistory): ClosingModel & {
  gaps: { dealScore: number | null; contracts: number | null; activity: number | null };
} {
  const closed = history.outcomes.filter((o) => isClosed(o.status));
  const resolved = history.predictions.filter((p) => isClosed(p.actualOutcome));
  const gaps = { dealScore: null, contracts: null, activity: null } as {
    dealScore: number | null;
    contracts: number | null;
    activity: number | null;
  };
  if (closed.length < MIN_CLOSED_FOR_CALIBRATION || resolved.length < MIN_PREDICTIONS_FOR_CALIBRATION) {
    return { ...DEFAULT_CLOSING_MODEL, weights: { ...DEFAULT_CLOSING_WEIGHTS }, gaps };
  }
  const gap = (pick: (p: LoggedPrediction) => number | null): number | null => {
    const side = (won: boolean): number | null =>
      mean(
        resolved
          .filter((p) => (p.actualOutcome === 'closed_won') === won)
          .map(pick)
          .filter((x): x is number => typeof x === 'number' && Number.isFinite(x)),
      );
    const w = side(true);
    const l = side(false);
    return w !== null && l !== null ? round2(Math.abs(w - l)) : null;
  };
  gaps.dealScore = gap((p) => p.dealScore);
  gaps.contracts = gap((p) => p.completionRate);
  gaps.activity = gap((p) => p.activityLast7Days);

  const weights: ClosingWeights = { ...DEFAULT_CLOSING_WEIGHTS };
  if (gaps.dealScore !== null) weights.dealScore = gaps.dealScore > 20 ? 45 : gaps.dealScore < 5 ? 25 : 35;
  if (gaps.contracts !== null && gaps.contracts > 30) weights.contracts = 35;
  if (gaps.activity !== null && gaps.activity > 3) weights.activity = 20;
  const winRate = closed.filter((o) => o.status === 'closed_won').length / closed.length;
  return { base: round1(winRate * 100), weights, source: 'calibrated', win_rate: round2(winRate), gaps };
}

export interface BatchRisk {
  total_analyzed: number;
  high_risk_count: number;
  medium_risk_count: number;
  low_risk_count: number;
  /** Lowest probability first. */
  predictions: (Pick<ClosingPrediction, 'property_id' | 'address' | 'closing_probability'> & {
    risk_level: RiskLevel;
  })[];
  high_priority_properties: BatchRisk['predictions'];
  voice_summary: string;
}

/** Batch view (reference §2.6): buckets and the five riskiest properties to focus on. */
export function batchClosingRisk(
  predictions: readonly Pick<ClosingPrediction, 'property_id' | 'address' | 'closing_probability'>[],
): BatchRisk {
  const sorted = predictions
    .map((p) => ({
      property_id: p.property_id,
      address: p.address,
      closing_probability: p.closing_probability,
      risk_level: riskLevel(p.closing_probability),
    }))
    .sort((a, b) => a.closing_probability - b.closing_probability || (a.property_id ?? 0) - (b.property_id ?? 0));
  const count = (level: RiskLevel): number => sorted.filter((p) => p.risk_level === level).length;
  const high = count('high');
  const medium = count('medium');
  const low = count('low');
  const focus =
    high > 0 ? ` Focus on the ${high === 1 ? 'high-risk property' : `${high} high-risk properties`} first.` : '';
  return {
    total_analyzed: sorted.length,
    high_risk_count: high,
    medium_risk_count: medium,
    low_risk_count: low,
    predictions: sorted,
    high_priority_properties: sorted.filter((p) => p.risk_level === 'high').slice(0, 5),
    voice_summary:
      sorted.length === 0
        ? 'There are no active properties to analyze.'
        : `Analyzed ${sorted.length} ${sorted.length === 1 ? 'property' : 'properties'}: ${high} high-risk, ${medium} medium-risk, ${low} low-risk.${focus}`,
  };
}
