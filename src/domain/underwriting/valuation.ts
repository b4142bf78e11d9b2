/**
 * ARV, rent, square footage, rehab, MAO and rental yield (reference §2.5, WP yield categories §6).
 * Pure functions with snake_case results.
 */
import {
  DEFAULT_FEES,
  DEFAULT_STRATEGY_PARAMS,
  OFFER_BAND,
  REHAB_FLAT_TOTAL,
  REHAB_PER_SQFT,
  REHAB_RANGE,
  VALUE_BAND,
  type FeeSchedule,
  type RehabTier,
  type Strategy,
  type StrategyParams,
  type YieldCategory,
} from './constants.ts';
import { isPositive, mean, money, pctText, roundTo, usd } from './math.ts';

export interface ValueRange<S extends string = string> {
  base: number;
  low: number;
  high: number;
  source: S;
}

export interface WeightedComp {
  adjusted_price: number;
  weight: number;
}

export type ArvRange = ValueRange<'comps' | 'valuation'> & { comp_count: number; voice_summary: string };

const band = (base: number) => ({
  base: money(base),
  low: money(base * VALUE_BAND.low),
  high: money(base * VALUE_BAND.high),
});

/**
 * ARV from sale comps: plain mean of the prices, or weighted mean Σ(price × weight) / Σweight of
 * adjusted prices; low/high ×0.9/×1.1. Non-positive prices and weights are ignored; null when
 * nothing usable is left.
 */
export function arvFromComps(comps: readonly number[] | readonly WeightedComp[]): ArvRange | null {
  const rows: WeightedComp[] = comps.map((c) => (typeof c === 'number' ? { adjusted_price: c, weight: 1 } : c));
  const usable = rows.filter((c) => isPositive(c.adjusted_price) && isPositive(c.weight));
  const totalWeight = usable.reduce((s, c) => s + c.weight, 0);
  if (usable.length === 0 || !(totalWeight > 0)) return null;
  const base = usable.reduce((s, c) => s + c.adjusted_price * c.weight, 0) / totalWeight;
  const b = band(base);
  return {
    ...b,
    source: 'comps',
    comp_count: usable.length,
    voice_summary: `Based on ${usable.length} ${usable.length === 1 ? 'comparable sale' : 'comparable sales'}, the after-repair value is about ${usd(b.base)}, with a range of ${usd(b.low)} to ${usd(b.high)}.`,
  };
}

/** ARV from an automated valuation: its estimate, and its low/high when given (else ×0.9/×1.1). */
export function arvFromValuation(
  valuation: { estimate?: number | null; low?: number | null; high?: number | null } | null | undefined,
): ArvRange | null {
  if (!valuation || !isPositive(valuation.estimate)) return null;
  const b = band(valuation.estimate);
  const low = isPositive(valuation.low) ? money(valuation.low) : b.low;
  const high = isPositive(valuation.high) ? money(valuation.high) : b.high;
  return {
    base: b.base,
    low: Math.min(low, b.base),
    high: Math.max(high, b.base),
    source: 'valuation',
    comp_count: 0,
    voice_summary: `The valuation puts the after-repair value at about ${usd(b.base)}, between ${usd(low)} and ${usd(high)}.`,
  };
}

/** Rent from rental comps: mean, ±10 %; null when there are none ("unknown"). */
export function rentFromComps(rents: readonly number[]): ValueRange<'comps'> | null {
  const m = mean(rents.filter((r) => isPositive(r)));
  return m === null ? null : { ...band(m), source: 'comps' };
}

// ── Source chains (§2.5 deal calculator) ─────────────────────────────────────

export type ArvSource = 'user_override' | 'agentic_underwriting' | 'zillow_zestimate' | 'comp_sales_avg' | 'list_price';
export type RentSource = 'user_override' | 'agentic_underwriting' | 'zillow_rent_zestimate' | 'comp_rentals_avg';
export type SqftSource = 'user_override' | 'property_data' | 'zillow_enrichment';

export interface Sourced<S extends string> {
  value: number | null;
  source: S | 'unknown';
}

function firstKnown<S extends string>(chain: readonly (readonly [S, number | null | undefined])[]): Sourced<S> {
  for (const [source, value] of chain) if (isPositive(value)) return { value, source };
  return { value: null, source: 'unknown' };
}

export interface ArvSources {
  override?: number | null;
  underwriting?: number | null;
  zestimate?: number | null;
  comps_mean?: number | null;
  list_price?: number | null;
}
/** ARV: override → latest underwriting → Zestimate → mean comp sales → list price. */
export const resolveArv = (s: ArvSources): Sourced<ArvSource> =>
  firstKnown<ArvSource>([
    ['user_override', s.override],
    ['agentic_underwriting', s.underwriting],
    ['zillow_zestimate', s.zestimate],
    ['comp_sales_avg', s.comps_mean],
    ['list_price', s.list_price],
  ]);

export interface RentSources {
  override?: number | null;
  underwriting?: number | null;
  rent_zestimate?: number | null;
  comps_mean?: number | null;
}
/** Monthly rent: override → underwriting → rent Zestimate → mean comp rentals → unknown (null). */
export const resolveRent = (s: RentSources): Sourced<RentSource> =>
  firstKnown<RentSource>([
    ['user_override', s.override],
    ['agentic_underwriting', s.underwriting],
    ['zillow_rent_zestimate', s.rent_zestimate],
    ['comp_rentals_avg', s.comps_mean],
  ]);

export interface SqftSources {
  override?: number | null;
  property?: number | null;
  zillow_living_area?: number | null;
}
/** Square footage: override → property record → Zillow living area → unknown. */
export const resolveSqft = (s: SqftSources): Sourced<SqftSource> =>
  firstKnown<SqftSource>([
    ['user_override', s.override],
    ['property_data', s.property],
    ['zillow_enrichment', s.zillow_living_area],
  ]);

// ── Rehab ─────────────────────────────────────────────────────────────────────

export interface RehabEstimate {
  tier: RehabTier;
  cost: number;
  low: number;
  high: number;
  per_sqft: number | null;
  square_feet: number | null;
  source: 'user_override' | 'per_sqft' | 'flat_default';
}

/**
 * Rehab cost: override, else sqft × 15/35/60 (light/medium/heavy), else flat 25k/50k/100k.
 * Range ×0.8/×1.2 (also applied to the flat totals); an override has no range.
 */
export function rehabEstimate(
  sqft: number | null | undefined,
  tier: RehabTier,
  override?: number | null,
): RehabEstimate {
  const known = isPositive(sqft) ? sqft : null;
  if (typeof override === 'number' && Number.isFinite(override) && override >= 0) {
    const c = money(override);
    return { tier, cost: c, low: c, high: c, per_sqft: null, square_feet: known, source: 'user_override' };
  }
  const cost = known !== null ? known * REHAB_PER_SQFT[tier] : REHAB_FLAT_TOTAL[tier];
  return {
    tier,
    cost: money(cost),
    low: money(cost * REHAB_RANGE.low),
    high: money(cost * REHAB_RANGE.high),
    per_sqft: known !== null ? REHAB_PER_SQFT[tier] : null,
    square_feet: known,
    source: known !== null ? 'per_sqft' : 'flat_default',
  };
}

// ── MAO ───────────────────────────────────────────────────────────────────────

/** Total fees per strategy: closing + holding (per month × months) + misc, plus assignment for wholesale. */
export function totalFees(strategy: Strategy, fees: Partial<FeeSchedule> = {}): number {
  const f = { ...DEFAULT_FEES, ...fees };
  const base = f.closing_cost + f.holding_cost_per_month * f.holding_months + f.misc_fee;
  return strategy === 'wholesale' ? base + f.assignment_fee : base;
}

export interface MaoInput {
  arv: number;
  /** A single cost, or a rehab estimate (wholesale then uses its high end, as the underwriting worker does). */
  rehab: number | Pick<RehabEstimate, 'cost' | 'high'>;
  /** Monthly rent; null/undefined = unknown. */
  rent?: number | null;
  /** Total fees, or a fee schedule (defaults per §2.5). */
  fees?: number | Partial<FeeSchedule>;
  params?: Partial<StrategyParams>;
}

export interface MaoResult {
  strategy: Strategy;
  /** Before fees and rehab: 0.70×ARV, 0.80×ARV, or the rental cap. */
  value_basis: number;
  rehab: number;
  fees: number;
  mao: number;
  /** ±10 % around a positive MAO; equal to the MAO when it is not positive. */
  low: number;
  high: number;
  viable: boolean;
  formula: string;
}

/**
 * Maximum allowable offer (§2.5): wholesale 0.70×ARV − rehab − fees; flip (1 − 0.20)×ARV − rehab − fees;
 * rental and BRRRR min(0.80×ARV, 100 × monthly rent) − rehab − fees, or 0.75×ARV − rehab − fees when
 * the rent is unknown. Not floored (the deal calculator floors flip/rental at 0).
 */
export function maoFor(strategy: Strategy, input: MaoInput): MaoResult {
  const p = { ...DEFAULT_STRATEGY_PARAMS, ...input.params };
  const rehab =
    typeof input.rehab === 'number' ? input.rehab : strategy === 'wholesale' ? input.rehab.high : input.rehab.cost;
  const fees = typeof input.fees === 'number' ? input.fees : totalFees(strategy, input.fees);
  let basis: number;
  let formula: string;
  if (strategy === 'wholesale') {
    basis = input.arv * p.wholesale_arv_pct;
    formula = `${p.wholesale_arv_pct} × ARV − rehab − fees`;
  } else if (strategy === 'flip') {
    basis = input.arv * (1 - p.flip_target_margin);
    formula = `(1 − ${p.flip_target_margin}) × ARV − rehab − fees`;
  } else if (isPositive(input.rent)) {
    basis = Math.min(input.arv * p.rental_arv_pct, input.rent * p.rental_rent_multiplier);
    formula = `min(${p.rental_arv_pct} × ARV, ${p.rental_rent_multiplier} × rent) − rehab − fees`;
  } else {
    basis = input.arv * p.rental_no_rent_arv_pct;
    formula = `${p.rental_no_rent_arv_pct} × ARV (rent unknown) − rehab − fees`;
  }
  const mao = money(basis - rehab - fees);
  const viable = mao > 0;
  return {
    strategy,
    value_basis: money(basis),
    rehab: money(rehab),
    fees: money(fees),
    mao,
    low: viable ? money(mao * OFFER_BAND.low) : mao,
    high: viable ? money(mao * OFFER_BAND.high) : mao,
    viable,
    formula,
  };
}

// ── Rental yield ──────────────────────────────────────────────────────────────

export interface RentalYield {
  monthly_rent: number | null;
  price: number | null;
  gross_yield_percent: number | null;
  category: YieldCategory;
  voice_summary: string;
}

/** WP categories on the gross yield (rounded to 2 decimals): > 8 excellent, ≥ 5 good, ≥ 3 average, else poor. */
export function yieldCategory(grossYieldPercent: number | null): YieldCategory {
  if (grossYieldPercent === null || !Number.isFinite(grossYieldPercent)) return 'unknown';
  if (grossYieldPercent > 8) return 'excellent';
  if (grossYieldPercent >= 5) return 'good';
  if (grossYieldPercent >= 3) return 'average';
  return 'poor';
}

/** Gross yield % = monthly rent × 12 / price × 100; "unknown" without a rent or a price. */
export function rentalYield(rent: number | null | undefined, price: number | null | undefined): RentalYield {
  const r = isPositive(rent) ? rent : null;
  const p = isPositive(price) ? price : null;
  if (r === null || p === null) {
    return {
      monthly_rent: r,
      price: p,
      gross_yield_percent: null,
      category: 'unknown',
      voice_summary:
        r === null
          ? 'The rent is unknown, so I cannot work out a rental yield.'
          : 'There is no price to measure the rental yield against.',
    };
  }
  const y = roundTo(((r * 12) / p) * 100, 2);
  const category = yieldCategory(y);
  return {
    monthly_rent: r,
    price: p,
    gross_yield_percent: y,
    category,
    voice_summary: `At ${usd(r)} a month against ${usd(p)}, the gross rental yield is ${pctText(y)}, which is ${category}.`,
  };
}
