/**
 * Comparable-sales valuation. For a subject and an as-of date it finds nearby sales dated strictly
 * before the as-of date (grid search, widening radius / time window / filters until enough comps),
 * adjusts each comp to the subject with the hedonic model fitted on sales before the as-of date
 * (time index, size, grade, condition, view, waterfront, age, area) and combines the adjusted
 * prices with weights that decay with distance, age of the sale and dissimilarity.
 */
import { haversineMiles, MILES_PER_DEG_LAT } from './geo.ts';
import { baseFeatures, characteristicValue, N_BASE, predict } from './model.ts';
import { gridKey, modelAsOf, monthIndex, type SalesIndex } from './sales-index.ts';
import { voiceSummary } from './summary.ts';
import type { MarketMetrics, Subject, Trend, Valuation, ValuationComp, ValueOptions } from './types.ts';

export interface EngineParams {
  /** Comps used per estimate. */
  k: number;
  /** Below this many comps the result is flagged "limited data". */
  minComps: number;
  /** Search radii tried in turn (miles). */
  radiiMi: readonly number[];
  /** Time window (months) before widening to all earlier sales. */
  maxMonths: number;
  /** Distance weight scale (miles): w ∝ 1 / (1 + (d / scale)²). */
  distanceScaleMi: number;
  /** Recency weight: w ∝ exp(−months / scale). */
  recencyScaleMonths: number;
  /** Dissimilarity weight: w ∝ exp(−|Δ log value of characteristics| / scale). */
  dissimilarityScale: number;
  /** Weight of the model's own (area-level) estimate against the comps, in comp-weight units. */
  priorWeight: number;
  /** Extra weight multiplier for an earlier sale of the same parcel. */
  repeatSaleBoost: number;
  /** Apply the size/bed/bath/age comp filters (widened in steps) before ranking. */
  filters: boolean;
  /** Combine comps by weighted median (true) or weighted mean (false) of log adjusted prices. */
  median: boolean;
}

/** Chosen on the KC validation slice (never the test slice): see bench/valuation.bench.ts --tune. */
export const DEFAULT_ENGINE_PARAMS: EngineParams = {
  k: 16,
  minComps: 5,
  radiiMi: [1, 3, 10, 30],
  maxMonths: 12,
  distanceScaleMi: 0.25,
  recencyScaleMonths: 36,
  dissimilarityScale: 0.3,
  priorWeight: 0.2,
  repeatSaleBoost: 2,
  median: true,
  filters: true,
};

/** Half-width multiplier of the low–high range: ~80 % of validation prices fall inside. */
const INTERVAL_Z = 1.45;

const MS_PER_MONTH = 30.4375 * 24 * 3600 * 1000;

interface Filter {
  sqftRatio: number;
  beds: number;
  baths: number;
  ageYears: number;
}

/** Comp filters, from strict to none; they widen when too few comps pass. */
const FILTERS: readonly Filter[] = [
  { sqftRatio: 0.3, beds: 1, baths: 1, ageYears: 30 },
  { sqftRatio: 0.5, beds: 2, baths: 1.5, ageYears: 60 },
  { sqftRatio: Infinity, beds: Infinity, baths: Infinity, ageYears: Infinity },
];

interface Candidate {
  i: number;
  d: number;
}

function passes(index: SalesIndex, i: number, s: Subject, f: Filter): boolean {
  const c = index.sales[i]!;
  return (
    Math.abs(c.sqft / s.sqft - 1) <= f.sqftRatio &&
    Math.abs(c.beds - s.beds) <= f.beds &&
    Math.abs(c.baths - s.baths) <= f.baths &&
    Math.abs(c.yearBuilt - s.yearBuilt) <= f.ageYears
  );
}

/** Earlier sales within `radiusMi` of the subject and not older than `fromTime`. */
export function searchCandidates(
  index: SalesIndex,
  lat: number,
  lon: number,
  radiusMi: number,
  fromTime: number,
  beforeTime: number,
): Candidate[] {
  const out: Candidate[] = [];
  const milesPerCellLat = index.cellLat * MILES_PER_DEG_LAT;
  const milesPerCellLon = index.cellLon * MILES_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
  const cy0 = Math.floor(lat / index.cellLat);
  const cx0 = Math.floor(lon / index.cellLon);
  const ry = Math.ceil(radiusMi / milesPerCellLat);
  const rx = Math.ceil(radiusMi / Math.max(milesPerCellLon, 1e-6));
  for (let dy = -ry; dy <= ry; dy++) {
    for (let dx = -rx; dx <= rx; dx++) {
      const cell = index.grid.get(gridKey(cy0 + dy, cx0 + dx));
      if (!cell) continue;
      for (const i of cell) {
        const t = index.times[i]!;
        if (t >= beforeTime) break; // cells are in ascending date order
        if (t < fromTime) continue;
        const c = index.sales[i]!;
        const d = haversineMiles(lat, lon, c.lat, c.lon);
        if (d <= radiusMi) out.push({ i, d });
      }
    }
  }
  return out;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  for (const i of order) {
    acc += weights[i]!;
    if (acc >= total / 2) return values[i]!;
  }
  return values[order[order.length - 1]!]!;
}

function toIsoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function marketTrend(comps: readonly { t: number; price: number }[]): Trend {
  if (comps.length < 3) return 'stable';
  const sorted = [...comps].sort((a, b) => a.t - b.t);
  const half = Math.floor(sorted.length / 2);
  const older = sorted.slice(0, half);
  const newer = sorted.slice(sorted.length - half);
  const mean = (xs: typeof sorted) => xs.reduce((s, c) => s + c.price, 0) / xs.length;
  const change = mean(newer) / mean(older) - 1;
  if (change > 0.02) return 'appreciating';
  if (change < -0.02) return 'depreciating';
  return 'stable';
}

/**
 * Values `subject` as of `opts.asOf` from sales dated strictly before it. Returns null when no
 * earlier sale can serve as a comp.
 */
export function valueSubject(
  index: SalesIndex,
  subject: Subject,
  opts: ValueOptions & { params?: Partial<EngineParams> },
): Valuation | null {
  const p: EngineParams = { ...DEFAULT_ENGINE_PARAMS, ...opts.params };
  const asOf = opts.asOf.getTime();
  if (!Number.isFinite(asOf) || !(subject.sqft > 0)) return null;
  if (!Number.isFinite(subject.lat) || !Number.isFinite(subject.lon)) return null;
  const beta = modelAsOf(index, opts.asOf);
  if (!beta) return null;

  // --- comp search with widening -------------------------------------------------------------
  const windows = [asOf - p.maxMonths * MS_PER_MONTH, -Infinity];
  let chosen: Candidate[] = [];
  let radiusUsed = p.radiiMi[p.radiiMi.length - 1] ?? 30;
  search: for (const fromTime of windows) {
    for (const r of p.radiiMi) {
      const cands = searchCandidates(index, subject.lat, subject.lon, r, fromTime, asOf);
      for (const f of p.filters ? FILTERS : FILTERS.slice(-1)) {
        const pass = f.sqftRatio === Infinity ? cands : cands.filter((c) => passes(index, c.i, subject, f));
        if (pass.length >= p.k || (f.sqftRatio === Infinity && pass.length >= p.minComps)) {
          chosen = pass;
          radiusUsed = r;
          break search;
        }
        if (pass.length > chosen.length) {
          chosen = pass;
          radiusUsed = r;
        }
      }
    }
  }
  if (chosen.length === 0) return null;

  // --- adjustments and weights ---------------------------------------------------------------
  const subjBase = new Float64Array(N_BASE);
  baseFeatures(subject, opts.asOf.getUTCFullYear(), subjBase, 0);
  const subjArea = index.areaIds.get(subject.zip) ?? -1;
  const fS = predict(beta, index.layout, subjBase, 0, monthIndex(index, opts.asOf), subjArea);
  const charS = characteristicValue(beta, subjBase, 0);

  const scored = chosen.map(({ i, d }) => {
    const fC = predict(beta, index.layout, index.base, i * N_BASE, index.month[i]!, index.area[i]!);
    const resid = index.logPrice[i]! - fC;
    const dChar = Math.abs(charS - characteristicValue(beta, index.base, i * N_BASE));
    const ageMonths = (asOf - index.times[i]!) / MS_PER_MONTH;
    let w =
      (1 / (1 + (d / p.distanceScaleMi) ** 2)) *
      Math.exp(-ageMonths / p.recencyScaleMonths) *
      Math.exp(-dChar / p.dissimilarityScale);
    if (index.sales[i]!.id === subject.id) w *= p.repeatSaleBoost;
    return { i, d, resid, w, ageMonths };
  });
  scored.sort((a, b) => b.w - a.w);
  const used = scored.slice(0, p.k);
  const sumW = used.reduce((s, c) => s + c.w, 0);
  const meanR = used.reduce((s, c) => s + c.w * c.resid, 0) / sumW;
  let r: number;
  if (p.median)
    r =
      (weightedMedian(
        used.map((c) => c.resid),
        used.map((c) => c.w),
      ) *
        sumW) /
      (sumW + p.priorWeight);
  else r = (meanR * sumW) / (sumW + p.priorWeight);
  const logEst = fS + r;
  const estimate = Math.exp(logEst);

  // --- uncertainty -----------------------------------------------------------------------------
  const varR = used.reduce((s, c) => s + c.w * (c.resid - meanR) ** 2, 0) / sumW;
  const spread = Math.sqrt(0.6 * varR + 0.07 ** 2);
  const low = Math.exp(logEst - INTERVAL_Z * spread);
  const high = Math.exp(logEst + INTERVAL_Z * spread);
  const medDist = median(used.map((c) => c.d));
  const countFactor = Math.min(1, used.length / 8);
  const confidence = Math.max(0, Math.min(1, countFactor * Math.exp(-(spread - 0.07) / 0.15) * Math.exp(-medDist / 4)));
  const confidence_label = confidence >= 0.65 ? 'high' : confidence >= 0.4 ? 'medium' : 'low';

  // --- presentation ----------------------------------------------------------------------------
  const comps: ValuationComp[] = used.map((c) => {
    const sale = index.sales[c.i]!;
    const bedMatch = sale.beds === subject.beds ? 1 : Math.abs(sale.beds - subject.beds) <= 1 ? 0.6 : 0;
    const bathDiff = Math.abs(sale.baths - subject.baths);
    const bathMatch = bathDiff === 0 ? 1 : bathDiff <= 1 ? 0.6 : 0;
    const similarity =
      0.35 * Math.max(0, 1 - c.d / radiusUsed) +
      0.3 * Math.max(0, 1 - Math.abs(sale.sqft - subject.sqft) / subject.sqft) +
      0.2 * ((bedMatch + bathMatch) / 2) +
      0.15 * Math.max(0, 1 - c.ageMonths / 12);
    return {
      id: sale.id,
      distance_mi: Math.round(c.d * 100) / 100,
      sale_date: toIsoDate(index.times[c.i]!),
      price: sale.price,
      adjusted_price: Math.round(Math.exp(fS + c.resid)),
      similarity: Math.round(similarity * 1000) / 1000,
      weight: Math.round((c.w / sumW) * 1000) / 1000,
    };
  });
  const medianPrice = median(used.map((c) => index.sales[c.i]!.price));
  const market: MarketMetrics = {
    count: used.length,
    median_price: Math.round(medianPrice),
    median_ppsf: Math.round(median(used.map((c) => index.sales[c.i]!.price / index.sales[c.i]!.sqft)) * 100) / 100,
    trend: marketTrend(used.map((c) => ({ t: index.times[c.i]!, price: index.sales[c.i]!.price }))),
    subject_vs_market: estimate > medianPrice * 1.05 ? 'above' : estimate < medianPrice * 0.95 ? 'below' : 'at',
  };
  const limited = used.length < p.minComps;
  const shown = used.slice(0, 3).map((c) => ({
    distance_mi: c.d,
    price: index.sales[c.i]!.price,
    ageMonths: c.ageMonths,
  }));
  return {
    estimate: Math.round(estimate),
    low: Math.round(low),
    high: Math.round(high),
    confidence: Math.round(confidence * 100) / 100,
    confidence_label,
    comps,
    market,
    limited_data: limited,
    voice_summary: voiceSummary(shown, estimate, limited),
  };
}
