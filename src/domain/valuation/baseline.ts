/** Naive baseline: median $/sqft of the same area over the previous 180 days × subject sqft. */
import type { SalesIndex } from './sales-index.ts';
import type { Subject } from './types.ts';

const DAY_MS = 24 * 3600 * 1000;

export function baselineEstimate(index: SalesIndex, subject: Subject, asOf: Date, windowDays = 180): number | null {
  const a = index.areaIds.get(subject.zip);
  if (a === undefined || !(subject.sqft > 0)) return null;
  const to = asOf.getTime();
  const from = to - windowDays * DAY_MS;
  const ppsf: number[] = [];
  for (const i of index.byArea[a] ?? []) {
    const t = index.times[i]!;
    if (t >= to) break;
    if (t < from) continue;
    const s = index.sales[i]!;
    ppsf.push(s.price / s.sqft);
  }
  if (ppsf.length === 0) return null;
  ppsf.sort((x, y) => x - y);
  const m = ppsf.length >> 1;
  const med = ppsf.length % 2 ? ppsf[m]! : (ppsf[m - 1]! + ppsf[m]!) / 2;
  return med * subject.sqft;
}
