/**
 * Enums and small numeric helpers shared by the intelligence algorithms (reference §1, §2.2–§2.8).
 * Everything here is pure: no clock, no I/O.
 */

/** Contract lifecycle: one definition, in the contract lifecycle module. */
export { CONTRACT_STATUSES, type ContractStatus } from '../contracts/templates/contract-status.ts';

/** Offer lifecycle (reference §1 `offers.status`). */
export const OFFER_STATUSES = [
  'draft',
  'submitted',
  'countered',
  'accepted',
  'rejected',
  'withdrawn',
  'expired',
] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** Offers still in negotiation. The seed referenced a non-existent `PENDING` member (bug); these are the live ones. */
export const ACTIVE_OFFER_STATUSES: readonly OfferStatus[] = ['submitted', 'countered'];

export const FINANCING_TYPES = [
  'cash',
  'conventional',
  'fha',
  'va',
  'hard_money',
  'seller_financing',
  'other',
] as const;
export type FinancingType = (typeof FINANCING_TYPES)[number];

/** `deal_outcomes.status` (reference §2.7). */
export const OUTCOME_STATUSES = ['closed_won', 'closed_lost', 'withdrawn', 'stalled', 'active'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export type Confidence = 'high' | 'medium' | 'low';

export const DAY_MS = 86_400_000;

export const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

/** Rounds half away from zero to `digits` decimals (avoids 1.005 → 1.00 style surprises for typical inputs). */
export function roundTo(n: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(Math.abs(n) * f + Number.EPSILON * f) / f;
  return n < 0 ? -r : r;
}
export const round1 = (n: number): number => roundTo(n, 1);
export const round2 = (n: number): number => roundTo(n, 2);
export const round3 = (n: number): number => roundTo(n, 3);

/** Weighted mean of (weight, score) pairs, re-normalised over the weights present; null when none. */
export function weightedMean(parts: readonly { weight: number; score: number }[]): number | null {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  if (parts.length === 0 || total <= 0) return null;
  return parts.reduce((s, p) => s + p.weight * p.score, 0) / total;
}

export const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;

export const isPositive = (n: number | null | undefined): n is number =>
  typeof n === 'number' && Number.isFinite(n) && n > 0;

/** "$825,000" — whole dollars, US grouping. */
export function formatUsd(n: number): string {
  const whole = Math.round(n);
  const digits = Math.abs(whole)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole < 0 ? '-' : ''}$${digits}`;
}

/** "5.9%" from a fraction 0.0588. */
export const formatPct = (fraction: number, digits = 1): string => `${roundTo(fraction * 100, digits)}%`;

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
