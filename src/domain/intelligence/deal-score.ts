/**
 * Property deal score (reference §2.2): four dimensions of weighted signals, each 0–100; missing
 * signals and dimensions are dropped and the remaining weights re-normalised. Learned dimension
 * weights come from closed outcomes.
 */
import type { ContactRole } from '../contacts/contact.entity.ts';
import type { ScoreGrade } from '../properties/property.enums.ts';
import { clamp, isPositive, round1, round3, weightedMean, type ContractStatus, type OutcomeStatus } from './shared.ts';

export const DIMENSIONS = ['market', 'financial', 'readiness', 'engagement'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type DimensionWeights = Record<Dimension, number>;
export type WeightsSource = 'default' | 'learned';

export const DEFAULT_DIMENSION_WEIGHTS: Readonly<DimensionWeights> = {
  market: 0.3,
  financial: 0.25,
  readiness: 0.25,
  engagement: 0.2,
};

/** Relative weights of the signals inside each dimension. */
export const SIGNAL_WEIGHTS = {
  market: { zestimate_spread: 40, days_on_market: 20, price_trend: 20, school_quality: 10, tax_gap: 10 },
  financial: { zestimate_upside: 40, rental_yield: 30, price_per_sqft: 30 },
  readiness: { contracts_completed: 40, contact_coverage: 30, skip_trace_reachability: 30 },
  engagement: { recent_activity: 40, notes: 20, active_tasks: 20, recent_notifications: 20 },
} as const;

/** Roles that count as key stakeholders (contact coverage 100 instead of 60). */
export const KEY_CONTACT_ROLES: readonly ContactRole[] = ['buyer', 'seller', 'lawyer', 'attorney', 'lender'];

/** Events of the Zillow price history read by the price-trend signal (null = untyped entry). */
const TREND_EVENTS = new Set(['Listed for sale', 'Price change']);

export interface PriceHistoryEntry {
  price: number | null;
  event?: string | null;
  /** When every entry has a date, entries are ordered newest first by it; otherwise given order is newest first. */
  date?: Date | null;
}

export interface EnrichmentFacts {
  zestimate?: number | null;
  rentZestimate?: number | null;
  daysOnZillow?: number | null;
  priceHistory?: readonly PriceHistoryEntry[];
  /** School ratings (1–10) as listed; empty or 0 ratings are ignored. */
  schoolRatings?: readonly (number | null)[];
  /** Assessed value of the newest tax-history row. */
  latestAssessedValue?: number | null;
}

export interface DealScoreFacts {
  address?: string;
  price: number | null;
  squareFeet?: number | null;
  /** The property's Zillow enrichment row, or null when there is none. */
  enrichment: EnrichmentFacts | null;
  contracts: readonly { required: boolean; status: ContractStatus }[];
  contacts: readonly { role: ContactRole }[];
  /** Latest skip trace, or null when there is none. */
  skipTrace: { ownerName: string | null; phoneCount: number; emailCount: number } | null;
  engagement: {
    historyRowsLast7Days: number;
    notes: number;
    /** Pending or running scheduled tasks. */
    activeTasks: number;
    notificationsLast7Days: number;
  };
}

export interface DimensionWeighting {
  weights: DimensionWeights;
  source: WeightsSource;
}

export interface DimensionScore {
  score: number;
  /** Configured weight of the dimension. */
  weight: number;
  /** Weight after re-normalising over the dimensions present. */
  effective_weight: number;
  signals: Record<string, number>;
}

export interface ScoreBreakdown {
  dimensions: Partial<Record<Dimension, { score: number; weight: number }>>;
  /** Flattened `<dimension>_<signal>` → 0–100 signal score. */
  components: Record<string, number>;
  weights_source: WeightsSource;
}

export interface DealScoreResult {
  score: number;
  grade: ScoreGrade;
  dimensions: Partial<Record<Dimension, DimensionScore>>;
  breakdown: ScoreBreakdown;
  weights: DimensionWeights;
  weights_source: WeightsSource;
  voice_summary: string;
}

export function gradeFor(score: number): ScoreGrade {
  if (score >= 80) return 'A';
  if (score >= 60) return 'B';
  if (score >= 40) return 'C';
  if (score >= 20) return 'D';
  return 'F';
}

type Signals = Record<string, number>;
const pct = (n: number): number => clamp(n, 0, 100);

function marketSignals(price: number | null, e: EnrichmentFacts | null): Signals {
  const s: Signals = {};
  if (!e) return s;
  if (isPositive(e.zestimate) && isPositive(price))
    s.zestimate_spread = pct(50 + 250 * ((e.zestimate - price) / price));
  if (typeof e.daysOnZillow === 'number' && e.daysOnZillow >= 0) s.days_on_market = pct((e.daysOnZillow / 90) * 100);
  const history = e.priceHistory ?? [];
  const dated = history.length > 0 && history.every((h) => h.date instanceof Date);
  const ordered = dated ? [...history].sort((a, b) => b.date!.getTime() - a.date!.getTime()) : history;
  const prices = ordered
    .filter((h) => isPositive(h.price) && (h.event == null || TREND_EVENTS.has(h.event)))
    .map((h) => h.price as number);
  const newest = prices[0];
  const oldest = prices[prices.length - 1];
  if (prices.length >= 2 && newest !== undefined && oldest !== undefined) {
    s.price_trend = pct(50 - 250 * ((newest - oldest) / oldest));
  }
  const ratings = (e.schoolRatings ?? []).filter(isPositive);
  if (ratings.length > 0) s.school_quality = pct((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 10);
  if (isPositive(price) && isPositive(e.latestAssessedValue)) {
    s.tax_gap = pct(((price - e.latestAssessedValue) / price) * 333);
  }
  return s;
}

function financialSignals(price: number | null, sqft: number | null | undefined, e: EnrichmentFacts | null): Signals {
  const s: Signals = {};
  if (!isPositive(price)) return s;
  if (e && isPositive(e.zestimate)) s.zestimate_upside = pct(50 + 167 * ((e.zestimate - price) / price));
  if (e && isPositive(e.rentZestimate)) {
    const grossYieldPct = ((e.rentZestimate * 12) / price) * 100;
    s.rental_yield = pct((grossYieldPct / 12) * 100);
  }
  if (isPositive(sqft)) s.price_per_sqft = pct((300 - price / sqft) / 2);
  return s;
}

function readinessSignals(f: DealScoreFacts): Signals {
  const s: Signals = {};
  const required = f.contracts.filter((c) => c.required);
  if (required.length > 0) {
    s.contracts_completed = (required.filter((c) => c.status === 'completed').length / required.length) * 100;
  } else if (f.contracts.length > 0) {
    s.contracts_completed = 30;
  }
  const hasKey = f.contacts.some((c) => KEY_CONTACT_ROLES.includes(c.role));
  s.contact_coverage = f.contacts.length === 0 ? 0 : hasKey ? 100 : 60;
  const st = f.skipTrace;
  s.skip_trace_reachability = st
    ? (st.ownerName && st.ownerName.trim() && st.ownerName !== 'Unknown Owner' ? 40 : 0) +
      (st.phoneCount > 0 ? 30 : 0) +
      (st.emailCount > 0 ? 30 : 0)
    : 0;
  return s;
}

function engagementSignals(e: DealScoreFacts['engagement']): Signals {
  return {
    recent_activity: pct(e.historyRowsLast7Days * 10),
    notes: pct(e.notes * 20),
    active_tasks: pct(e.activeTasks * 25),
    recent_notifications: pct(e.notificationsLast7Days * 20),
  };
}

/** Re-normalised weighted mean of the signals present, rounded to 0.1; null when none are present. */
function dimensionScore(dim: Dimension, signals: Signals): number | null {
  const weights: Record<string, number> = SIGNAL_WEIGHTS[dim];
  const parts = Object.entries(signals).map(([name, score]) => ({ weight: weights[name] ?? 0, score }));
  const m = weightedMean(parts);
  return m === null ? null : round1(m);
}

/** Scores a property (reference §2.2). Pass learned weights from {@link learnedWeights}; defaults otherwise. */
export function computeDealScore(
  facts: DealScoreFacts,
  weighting: DimensionWeighting = { weights: { ...DEFAULT_DIMENSION_WEIGHTS }, source: 'default' },
): DealScoreResult {
  const raw: Record<Dimension, Signals> = {
    market: marketSignals(facts.price, facts.enrichment),
    financial: financialSignals(facts.price, facts.squareFeet, facts.enrichment),
    readiness: readinessSignals(facts),
    engagement: engagementSignals(facts.engagement),
  };
  const present: { dim: Dimension; score: number; signals: Signals }[] = [];
  for (const dim of DIMENSIONS) {
    const score = dimensionScore(dim, raw[dim]);
    if (score !== null) present.push({ dim, score, signals: raw[dim] });
  }
  const totalWeight = present.reduce((s, p) => s + weighting.weights[p.dim], 0);
  const final =
    totalWeight > 0
      ? round1(clamp(present.reduce((s, p) => s + weighting.weights[p.dim] * p.score, 0) / totalWeight, 0, 100))
      : 0;

  const dimensions: Partial<Record<Dimension, DimensionScore>> = {};
  const breakdown: ScoreBreakdown = { dimensions: {}, components: {}, weights_source: weighting.source };
  for (const p of present) {
    const weight = weighting.weights[p.dim];
    const signals = Object.fromEntries(Object.entries(p.signals).map(([k, v]) => [k, round1(v)]));
    dimensions[p.dim] = { score: p.score, weight, effective_weight: round3(weight / totalWeight), signals };
    breakdown.dimensions[p.dim] = { score: p.score, weight };
    for (const [k, v] of Object.entries(signals)) breakdown.components[`${p.dim}_${k}`] = v;
  }
  const grade = gradeFor(final);
  return {
    score: final,
    grade,
    dimensions,
    breakdown,
    weights: { ...weighting.weights },
    weights_source: weighting.source,
    voice_summary: dealScoreVoice(facts.address, final, grade, present),
  };
}

function dealScoreVoice(
  address: string | undefined,
  score: number,
  grade: ScoreGrade,
  present: readonly { dim: Dimension; score: number }[],
): string {
  const parts = [
    `${address ? `The property at ${address}` : 'This property'} scores ${score} out of 100, grade ${grade}.`,
  ];
  const sorted = [...present].sort((a, b) => b.score - a.score);
  const best = sorted[0];
  const worst = sorted[sorted.length - 1];
  if (best) parts.push(`Strongest area: ${best.dim} at ${best.score}.`);
  if (worst && worst !== best && worst.score < 50) parts.push(`Needs work: ${worst.dim} at ${worst.score}.`);
  return parts.join(' ');
}

/** One deal outcome with the dimension scores stored on its property (null when it was never scored). */
export interface ScoredOutcome {
  propertyId: number;
  status: OutcomeStatus;
  dimensionScores: Partial<Record<Dimension, number>> | null;
}

export const MIN_OUTCOMES_FOR_LEARNING = 5;
export const MIN_SCORED_PER_SIDE = 2;

/**
 * Learned dimension weights (reference §2.2): with ≥5 closed_won/closed_lost outcomes and ≥2 scored
 * properties on each side, weight = 0.5 × default + 0.5 × (gap / total gap), normalised (3 decimals);
 * defaults when the data is insufficient or the total gap is below 1.0.
 */
export function learnedWeights(outcomes: readonly ScoredOutcome[]): DimensionWeighting {
  const defaults: DimensionWeighting = { weights: { ...DEFAULT_DIMENSION_WEIGHTS }, source: 'default' };
  const closed = outcomes.filter((o) => o.status === 'closed_won' || o.status === 'closed_lost');
  if (closed.length < MIN_OUTCOMES_FOR_LEARNING) return defaults;
  const side = (status: OutcomeStatus): Map<number, Partial<Record<Dimension, number>>> => {
    const byProperty = new Map<number, Partial<Record<Dimension, number>>>();
    for (const o of closed)
      if (o.status === status && o.dimensionScores) byProperty.set(o.propertyId, o.dimensionScores);
    return byProperty;
  };
  const won = [...side('closed_won').values()];
  const lost = [...side('closed_lost').values()];
  if (won.length < MIN_SCORED_PER_SIDE || lost.length < MIN_SCORED_PER_SIDE) return defaults;

  const avg = (rows: readonly Partial<Record<Dimension, number>>[], dim: Dimension): number | null => {
    const xs = rows.map((r) => r[dim]).filter((x): x is number => typeof x === 'number');
    return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const gaps = {} as DimensionWeights;
  for (const dim of DIMENSIONS) {
    const w = avg(won, dim);
    const l = avg(lost, dim);
    gaps[dim] = w !== null && l !== null ? Math.abs(w - l) : 0;
  }
  const totalGap = DIMENSIONS.reduce((s, d) => s + gaps[d], 0);
  if (totalGap < 1.0) return defaults;

  const blended = {} as DimensionWeights;
  for (const dim of DIMENSIONS)
    blended[dim] = round3(0.5 * DEFAULT_DIMENSION_WEIGHTS[dim] + 0.5 * (gaps[dim] / totalGap));
  const total = DIMENSIONS.reduce((s, d) => s + blended[d], 0);
  const weights = {} as DimensionWeights;
  for (const dim of DIMENSIONS) weights[dim] = round3(blended[dim] / total);
  return { weights, source: 'learned' };
}
