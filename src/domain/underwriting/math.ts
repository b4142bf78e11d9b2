/**
 * Small numeric and wording helpers for the underwriting math. Pure: no clock, no I/O.
 */

/** Rounds half away from zero to `digits` decimals. */
export function roundTo(n: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(Math.abs(n) * f + Number.EPSILON * f) / f;
  return n < 0 ? -r : r === 0 ? 0 : r;
}
/** Money: cents. */
export const money = (n: number): number => roundTo(n, 2);
/** Percentages (ROI, CoC, cap rate): one decimal, like the reference. */
export const pct1 = (n: number): number => roundTo(n, 1);

export const isPositive = (n: number | null | undefined): n is number =>
  typeof n === 'number' && Number.isFinite(n) && n > 0;

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Standard amortised monthly payment (principal and interest):
 * P × r(1+r)^n / ((1+r)^n − 1), r = annual rate / 12, n = years × 12.
 * A 0 % loan repays P / n (the seed returned 0 here, which understated debt service).
 */
export function amortizedPayment(principal: number, annualRate: number, termYears: number): number {
  if (!(principal > 0) || !(termYears > 0)) return 0;
  const n = Math.round(termYears * 12);
  if (!(annualRate > 0)) return principal / n;
  const r = annualRate / 12;
  const g = (1 + r) ** n;
  // A rate too small to move (1 + r)ⁿ in floating point is a zero-rate loan.
  if (!(g - 1 > 0)) return principal / n;
  return (principal * r * g) / (g - 1);
}

/** "$1,234" for speech; negative amounts read "minus $1,234". */
export function usd(n: number): string {
  const abs = Math.round(Math.abs(n)).toLocaleString('en-US');
  return n < 0 && Math.round(Math.abs(n)) !== 0 ? `minus $${abs}` : `$${abs}`;
}

export const pctText = (n: number): string => `${roundTo(n, 1)} percent`;

/** a − b when both are known, else null. */
export const delta = (a: number | null | undefined, b: number | null | undefined): number | null =>
  typeof a === 'number' && typeof b === 'number' ? money(a - b) : null;
