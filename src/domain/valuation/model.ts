/**
 * Hedonic log-price model: ridge regression of log(price) on home characteristics, monthly
 * price-index increments and area (ZIP) effects, shrunk towards prior coefficients so it stays
 * sensible with little data. Sufficient statistics (XᵀX, Xᵀy) are kept as prefix sums over the
 * sales in date order, so the model for any cut-off date is fitted from sales strictly before
 * that date only, in O(p³) and without rescanning the sales.
 */
import type { Subject } from './types.ts';

/** Names of the dense characteristic features, in order. */
export const BASE_FEATURES = [
  'log_sqft',
  'log_sqft_sq',
  'log_lot',
  'log_sqft15',
  'grade',
  'grade_sq',
  'condition',
  'view',
  'waterfront',
  'beds',
  'baths',
  'floors',
  'basement_share',
  'age',
  'age_sq',
  'renovated',
] as const;
export const N_BASE = BASE_FEATURES.length;

/** Prior coefficients (log-price per unit of each feature) used when data are scarce. */
const PRIOR: Record<(typeof BASE_FEATURES)[number], number> = {
  log_sqft: 0.65,
  log_sqft_sq: 0,
  log_lot: 0.05,
  log_sqft15: 0.2,
  grade: 0.18,
  grade_sq: 0,
  condition: 0.05,
  view: 0.06,
  waterfront: 0.4,
  beds: -0.01,
  baths: 0.02,
  floors: 0,
  basement_share: 0,
  age: 0,
  age_sq: 0,
  renovated: 0.05,
};

export interface ModelParams {
  /** Ridge penalty on the characteristic features (towards the priors). */
  lambdaBase: number;
  /** Ridge penalty on each monthly index increment (towards 0 = flat index). */
  lambdaMonth: number;
  /** Ridge penalty on each area effect (towards 0 = overall level). */
  lambdaArea: number;
}

export const DEFAULT_MODEL_PARAMS: ModelParams = { lambdaBase: 2, lambdaMonth: 10, lambdaArea: 1 };

/** Writes the dense characteristic features of a home, valued in `year`, into `out[offset..]`. */
export function baseFeatures(s: Subject, year: number, out: Float64Array, offset: number): void {
  const ls = Math.log(Math.max(s.sqft, 100)) - 7.5;
  const grade = (s.grade ?? 7) - 7;
  const age = Math.max(0, year - s.yearBuilt) / 50;
  const sqft15 = s.sqftLiving15 !== undefined && s.sqftLiving15 > 0 ? s.sqftLiving15 : s.sqft;
  out[offset] = ls;
  out[offset + 1] = ls * ls;
  out[offset + 2] = Math.log(Math.max(s.lot, 100)) - 8.9;
  out[offset + 3] = Math.log(Math.max(sqft15, 100)) - 7.5;
  out[offset + 4] = grade;
  out[offset + 5] = grade * grade;
  out[offset + 6] = (s.condition ?? 3) - 3;
  out[offset + 7] = s.view ?? 0;
  out[offset + 8] = s.waterfront ? 1 : 0;
  out[offset + 9] = Math.min(Math.max(s.beds, 0), 8) - 3;
  out[offset + 10] = Math.min(Math.max(s.baths, 0), 8) - 2;
  out[offset + 11] = (s.floors ?? 1.5) - 1.5;
  out[offset + 12] = s.sqftBasement !== undefined ? Math.min(1, s.sqftBasement / Math.max(s.sqft, 1)) : 0;
  out[offset + 13] = age;
  out[offset + 14] = age * age;
  out[offset + 15] = s.renovated > 0 && year - s.renovated < 30 ? 1 : 0;
}

/** Layout of the design vector: [intercept, base…, month increments…, areas…]. */
export interface Layout {
  nMonths: number;
  nAreas: number;
  p: number;
  monthOffset: number;
  areaOffset: number;
}

export function makeLayout(nMonths: number, nAreas: number): Layout {
  const monthOffset = 1 + N_BASE;
  const areaOffset = monthOffset + Math.max(0, nMonths - 1);
  return { nMonths, nAreas, p: areaOffset + nAreas, monthOffset, areaOffset };
}

/**
 * Linear predictor for a home given its base features, month index and area index
 * (area −1 = unknown).
 */
export function predict(
  beta: Float64Array,
  layout: Layout,
  base: Float64Array,
  baseOffset: number,
  month: number,
  area: number,
): number {
  let y = beta[0]!;
  for (let k = 0; k < N_BASE; k++) y += beta[1 + k]! * base[baseOffset + k]!;
  const m = Math.min(Math.max(month, 0), layout.nMonths - 1);
  for (let k = 1; k <= m; k++) y += beta[layout.monthOffset + k - 1]!;
  if (area >= 0) y += beta[layout.areaOffset + area]!;
  return y;
}

/** Characteristic part only (no intercept, time or area): used for dissimilarity. */
export function characteristicValue(beta: Float64Array, base: Float64Array, baseOffset: number): number {
  let y = 0;
  for (let k = 0; k < N_BASE; k++) y += beta[1 + k]! * base[baseOffset + k]!;
  return y;
}

/** Running sufficient statistics. */
export class Accumulator {
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  n = 0;
  private readonly idx: Int32Array;
  private readonly val: Float64Array;

  constructor(readonly layout: Layout) {
    this.xtx = new Float64Array(layout.p * layout.p);
    this.xty = new Float64Array(layout.p);
    this.idx = new Int32Array(layout.p);
    this.val = new Float64Array(layout.p);
  }

  add(base: Float64Array, baseOffset: number, month: number, area: number, y: number): void {
    const { idx, val, layout } = this;
    let nz = 0;
    idx[nz] = 0;
    val[nz++] = 1;
    for (let k = 0; k < N_BASE; k++) {
      const v = base[baseOffset + k]!;
      if (v !== 0) {
        idx[nz] = 1 + k;
        val[nz++] = v;
      }
    }
    const m = Math.min(Math.max(month, 0), layout.nMonths - 1);
    for (let k = 1; k <= m; k++) {
      idx[nz] = layout.monthOffset + k - 1;
      val[nz++] = 1;
    }
    if (area >= 0) {
      idx[nz] = layout.areaOffset + area;
      val[nz++] = 1;
    }
    const p = layout.p;
    for (let a = 0; a < nz; a++) {
      const ia = idx[a]!;
      const va = val[a]!;
      this.xty[ia] = this.xty[ia]! + va * y;
      const row = ia * p;
      for (let b = 0; b < nz; b++) {
        const ib = idx[b]!;
        this.xtx[row + ib] = this.xtx[row + ib]! + va * val[b]!;
      }
    }
    this.n++;
  }
}

/** Fits the ridge model from sufficient statistics; null when there are no observations. */
export function fitRidge(
  xtx: Float64Array,
  xty: Float64Array,
  n: number,
  layout: Layout,
  params: ModelParams,
): Float64Array | null {
  if (n <= 0) return null;
  const p = layout.p;
  const a = new Float64Array(xtx);
  const b = new Float64Array(xty);
  const prior = BASE_FEATURES.map((f) => PRIOR[f]);
  for (let k = 0; k < N_BASE; k++) {
    const i = 1 + k;
    a[i * p + i] = a[i * p + i]! + params.lambdaBase;
    b[i] = b[i]! + params.lambdaBase * prior[k]!;
  }
  for (let i = layout.monthOffset; i < layout.areaOffset; i++) a[i * p + i] = a[i * p + i]! + params.lambdaMonth;
  for (let i = layout.areaOffset; i < p; i++) a[i * p + i] = a[i * p + i]! + params.lambdaArea;
  // Tiny penalty on the intercept for numerical safety.
  a[0] = a[0]! + 1e-9;
  return choleskySolve(a, b, p);
}

/** Solves A x = b for symmetric positive-definite A (row-major, overwritten). */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array | null {
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j]!;
    for (let k = 0; k < j; k++) d -= a[j * p + k]! ** 2;
    if (!(d > 1e-12)) return null;
    const l = Math.sqrt(d);
    a[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= a[i * p + k]! * a[j * p + k]!;
      a[i * p + j] = s / l;
    }
  }
  const x = new Float64Array(b);
  for (let i = 0; i < p; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= a[i * p + k]! * x[k]!;
    x[i] = s / a[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < p; k++) s -= a[k * p + i]! * x[k]!;
    x[i] = s / a[i * p + i]!;
  }
  return x;
}
