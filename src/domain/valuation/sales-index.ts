/**
 * Index over recorded sales, built once: sales in date order, a lat/lon grid, per-area lists and
 * prefix sums of the hedonic model's sufficient statistics (so any as-of model uses only earlier
 * sales).
 */
import {
  Accumulator,
  baseFeatures,
  DEFAULT_MODEL_PARAMS,
  fitRidge,
  makeLayout,
  N_BASE,
  type Layout,
  type ModelParams,
} from './model.ts';
import type { Sale } from './types.ts';

/** Grid cell size in degrees of latitude (~0.35 mi). */
const CELL_LAT_DEG = 0.005;

export interface SalesIndex {
  /** Sales sorted by date (stable). */
  readonly sales: readonly Sale[];
  readonly times: Float64Array;
  readonly logPrice: Float64Array;
  /** N × N_BASE characteristic features (valued at each sale's own year). */
  readonly base: Float64Array;
  readonly month: Int32Array;
  readonly area: Int32Array;
  readonly areaIds: ReadonlyMap<string, number>;
  /** Sale indices (ascending date) per area. */
  readonly byArea: readonly (readonly number[])[];
  readonly layout: Layout;
  readonly firstMonth: { year: number; month: number };
  /** Grid: key → sale indices in ascending date. */
  readonly grid: ReadonlyMap<number, readonly number[]>;
  readonly cellLat: number;
  readonly cellLon: number;
  readonly modelParams: ModelParams;
  /** Distinct sale times ascending; snapshot j holds statistics of sales with time < distinctTimes[j]. */
  readonly distinctTimes: Float64Array;
  readonly snapXtx: readonly Float64Array[];
  readonly snapXty: readonly Float64Array[];
  readonly snapN: Int32Array;
  readonly modelCache: Map<number, Float64Array | null>;
}

export function monthIndex(index: Pick<SalesIndex, 'firstMonth'>, d: Date): number {
  return (d.getUTCFullYear() - index.firstMonth.year) * 12 + (d.getUTCMonth() - index.firstMonth.month);
}

export function gridKey(cy: number, cx: number): number {
  return (cy + 50_000) * 100_000 + (cx + 50_000);
}

/** Number of sorted values strictly below x. */
export function lowerBound(arr: Float64Array, x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildSalesIndex(input: readonly Sale[], modelParams: ModelParams = DEFAULT_MODEL_PARAMS): SalesIndex {
  const sales = input
    .filter((s) => s.price > 0 && s.sqft > 0 && Number.isFinite(s.date.getTime()))
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.date.getTime() - b.s.date.getTime() || a.i - b.i)
    .map((x) => x.s);
  const n = sales.length;
  const times = new Float64Array(n);
  const logPrice = new Float64Array(n);
  const base = new Float64Array(n * N_BASE);
  const month = new Int32Array(n);
  const area = new Int32Array(n);
  const areaIds = new Map<string, number>();
  const byArea: number[][] = [];
  const first = sales[0]?.date ?? new Date(0);
  const firstMonth = { year: first.getUTCFullYear(), month: first.getUTCMonth() };
  let meanLat = 0;
  for (const s of sales) meanLat += s.lat / Math.max(n, 1);
  const cellLat = CELL_LAT_DEG;
  const cellLon = CELL_LAT_DEG / Math.max(0.2, Math.cos((meanLat * Math.PI) / 180));
  const grid = new Map<number, number[]>();
  let maxMonth = 0;
  for (let i = 0; i < n; i++) {
    const s = sales[i]!;
    times[i] = s.date.getTime();
    logPrice[i] = Math.log(s.price);
    baseFeatures(s, s.date.getUTCFullYear(), base, i * N_BASE);
    const m = monthIndex({ firstMonth }, s.date);
    month[i] = m;
    maxMonth = Math.max(maxMonth, m);
    let a = areaIds.get(s.zip);
    if (a === undefined) {
      a = areaIds.size;
      areaIds.set(s.zip, a);
      byArea.push([]);
    }
    area[i] = a;
    byArea[a]!.push(i);
    const key = gridKey(Math.floor(s.lat / cellLat), Math.floor(s.lon / cellLon));
    let cell = grid.get(key);
    if (!cell) {
      cell = [];
      grid.set(key, cell);
    }
    cell.push(i);
  }
  const layout = makeLayout(maxMonth + 1, areaIds.size);
  const acc = new Accumulator(layout);
  const distinct: number[] = [];
  const snapXtx: Float64Array[] = [];
  const snapXty: Float64Array[] = [];
  const snapN: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || times[i]! !== times[i - 1]!) {
      distinct.push(times[i]!);
      snapXtx.push(new Float64Array(acc.xtx));
      snapXty.push(new Float64Array(acc.xty));
      snapN.push(acc.n);
    }
    acc.add(base, i * N_BASE, month[i]!, area[i]!, logPrice[i]!);
  }
  distinct.push(Number.POSITIVE_INFINITY);
  snapXtx.push(new Float64Array(acc.xtx));
  snapXty.push(new Float64Array(acc.xty));
  snapN.push(acc.n);
  return {
    sales,
    times,
    logPrice,
    base,
    month,
    area,
    areaIds,
    byArea,
    layout,
    firstMonth,
    grid,
    cellLat,
    cellLon,
    modelParams,
    distinctTimes: Float64Array.from(distinct),
    snapXtx,
    snapXty,
    snapN: Int32Array.from(snapN),
    modelCache: new Map(),
  };
}

/** Number of indexed sales dated strictly before `asOf`. */
export function countBefore(index: SalesIndex, asOf: Date): number {
  return lowerBound(index.times, asOf.getTime());
}

/** Hedonic model fitted on sales strictly before `asOf` (cached per cut-off). */
export function modelAsOf(index: SalesIndex, asOf: Date): Float64Array | null {
  const j = lowerBound(index.distinctTimes, asOf.getTime());
  const cached = index.modelCache.get(j);
  if (cached !== undefined) return cached;
  const beta = fitRidge(index.snapXtx[j]!, index.snapXty[j]!, index.snapN[j]!, index.layout, index.modelParams);
  index.modelCache.set(j, beta);
  return beta;
}
