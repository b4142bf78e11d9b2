/**
 * Offer pricing numbers (reference §2.5 MAO fallback, §2.6 learned thresholds and suggested offer
 * price). Used by the offer analysis and usable on their own.
 */
import { formatPct, formatUsd, isPositive, mean, round3, roundTo, type OfferStatus } from './shared.ts';

export interface MaoRange {
  low: number;
  base: number;
  high: number;
}

/** Discounts below list (fractions) that separate accept / counter / reject. */
export interface OfferThresholds {
  accept: number;
  counter: number;
  reject: number;
  source: 'default' | 'learned';
  sample_size: number;
}

export const DEFAULT_OFFER_THRESHOLDS: Readonly<OfferThresholds> = {
  accept: 0.05,
  counter: 0.1,
  reject: 0.15,
  source: 'default',
  sample_size: 0,
};
export const MIN_OFFERS_FOR_THRESHOLDS = 3;

/** Fraction below list (negative when above list). */
export const discountFromList = (list: number, offer: number): number => (list - offer) / list;

export interface PastOffer {
  status: OfferStatus;
  offerPrice: number;
  listPrice: number;
}

const resolvedDiscounts = (offers: readonly PastOffer[], status: OfferStatus): number[] =>
  offers
    .filter((o) => o.status === status && isPositive(o.listPrice))
    .map((o) => discountFromList(o.listPrice, o.offerPrice));

/** Mean discount below list of accepted offers (fraction), null without any. */
export const averageAcceptedDiscount = (offers: readonly PastOffer[]): number | null =>
  mean(resolvedDiscounts(offers, 'accepted'));

/**
 * Thresholds learned from ≥3 accepted + rejected offers: accept = avg accepted discount + 2 %,
 * reject = avg rejected discount − 2 %, counter = midpoint. A side without offers keeps its default;
 * inconsistent results (accept ≥ reject) fall back to the defaults.
 */
export function learnedThresholds(offers: readonly PastOffer[]): OfferThresholds {
  const accepted = resolvedDiscounts(offers, 'accepted');
  const rejected = resolvedDiscounts(offers, 'rejected');
  const n = accepted.length + rejected.length;
  if (n < MIN_OFFERS_FOR_THRESHOLDS) return { ...DEFAULT_OFFER_THRESHOLDS };
  const avgAccepted = mean(accepted);
  const avgRejected = mean(rejected);
  const accept = avgAccepted === null ? DEFAULT_OFFER_THRESHOLDS.accept : Math.max(0, avgAccepted + 0.02);
  const reject = avgRejected === null ? DEFAULT_OFFER_THRESHOLDS.reject : avgRejected - 0.02;
  if (accept >= reject) return { ...DEFAULT_OFFER_THRESHOLDS };
  return {
    accept: roundTo(accept, 4),
    counter: roundTo((accept + reject) / 2, 4),
    reject: roundTo(reject, 4),
    source: 'learned',
    sample_size: n,
  };
}

/** MAO fallback when no underwriting exists (reference §2.5): Zestimate × 0.70 with a ±10 % band. */
export function maoFallback(
  zestimate: number | null | undefined,
): (MaoRange & { source: 'zestimate_fallback' }) | null {
  if (!isPositive(zestimate)) return null;
  const base = zestimate * 0.7;
  return {
    low: Math.round(base * 0.9),
    base: Math.round(base),
    high: Math.round(base * 1.1),
    source: 'zestimate_fallback',
  };
}

export type Aggressiveness = 'conservative' | 'moderate' | 'aggressive';
export const DEFAULT_OFFER_DISCOUNT = 0.05;

export interface SuggestOfferInput {
  address?: string;
  listPrice: number;
  mao?: MaoRange | null;
  zestimate?: number | null;
  /** Learned average accepted discount (see {@link averageAcceptedDiscount}); 5 % when unknown. */
  learnedDiscount?: number | null;
  aggressiveness?: Aggressiveness;
}

export interface SuggestedOffer {
  list_price: number;
  suggested_offer: number;
  /** Discount the strategy asked for (fraction). */
  strategy_discount: number;
  /** Discount actually applied after the MAO cap (fraction). */
  effective_discount: number;
  range: { min: number; max: number };
  mao_cap: number | null;
  capped_by_mao: boolean;
  aggressiveness: Aggressiveness;
  confidence: 'high' | 'medium';
  justification: string;
  voice_summary: string;
}

/**
 * Suggested offer (reference §2.6): discount = learned accepted discount (default 5 %); conservative
 * max(3 %, ×0.7), aggressive min(25 %, ×1.5); capped at 0.95 × MAO; range ±5 %.
 */
export function suggestedOfferPrice(input: SuggestOfferInput): SuggestedOffer {
  const list = input.listPrice;
  if (!isPositive(list)) throw new RangeError('list price must be positive');
  const aggressiveness = input.aggressiveness ?? 'moderate';
  const base =
    typeof input.learnedDiscount === 'number' && Number.isFinite(input.learnedDiscount)
      ? input.learnedDiscount
      : DEFAULT_OFFER_DISCOUNT;
  const discount =
    aggressiveness === 'conservative'
      ? Math.max(0.03, base * 0.7)
      : aggressiveness === 'aggressive'
        ? Math.min(0.25, base * 1.5)
        : base;
  const uncapped = list * (1 - discount);
  const cap = input.mao && isPositive(input.mao.base) ? Math.round(input.mao.base * 0.95) : null;
  const capped = cap !== null && uncapped > cap;
  const suggested = Math.round(capped ? cap : uncapped);
  const zestimate = isPositive(input.zestimate) ? input.zestimate : null;
  const why = [
    `${aggressiveness[0]!.toUpperCase()}${aggressiveness.slice(1)} strategy: ${formatPct(discount)} below list`,
  ];
  if (capped) why.push(`capped at 95% of the maximum allowable offer (${formatUsd(cap)})`);
  if (zestimate !== null)
    why.push(`${formatPct((zestimate - suggested) / zestimate)} below the Zestimate of ${formatUsd(zestimate)}`);
  return {
    list_price: list,
    suggested_offer: suggested,
    strategy_discount: round3(discount),
    effective_discount: round3(discountFromList(list, suggested)),
    range: { min: Math.round(suggested * 0.95), max: Math.round(suggested * 1.05) },
    mao_cap: cap,
    capped_by_mao: capped,
    aggressiveness,
    confidence: zestimate !== null ? 'high' : 'medium',
    justification: `${why.join('; ')}.`,
    voice_summary: `For ${input.address ?? 'this property'}, I suggest offering ${formatUsd(suggested)}, between ${formatUsd(suggested * 0.95)} and ${formatUsd(suggested * 1.05)}, ${formatPct(discountFromList(list, suggested))} below the ${formatUsd(list)} list price.`,
  };
}
