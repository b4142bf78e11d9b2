/**
 * Offer analysis and counter strategy (reference §2.6, §5 worked example). The seed silently dropped
 * the MAO and comps inputs; here both participate: MAO in the score and the walk-away price, comps in
 * the market position, reasoning and risk factors. Pricing helpers live in offer-pricing.ts and the
 * letter in counter-offer-letter.ts; both are re-exported here.
 */
import { clamp, formatPct, formatUsd, isPositive, round2, round3, roundTo, type FinancingType } from './shared.ts';
import {
  DEFAULT_OFFER_THRESHOLDS,
  discountFromList as discountOf,
  type MaoRange,
  type OfferThresholds,
} from './offer-pricing.ts';

export * from './offer-pricing.ts';
export { counterOfferLetter, type CounterOfferLetter, type CounterOfferLetterInput } from './counter-offer-letter.ts';

export const ACCEPT_PROBABILITY = 0.85;
export const COUNTER_PROBABILITY = 0.4;
export const MARKET_TOLERANCE = 0.05;

export type BuyerStrength = 'strong' | 'average' | 'weak';
export type MarketPosition = 'above_market' | 'at_market' | 'below_market';
export type OfferRecommendation = 'accept' | 'counter_offer' | 'reject';

export interface CompsSummary {
  medianPrice?: number | null;
  averagePrice?: number | null;
  count?: number;
}

export interface OfferInput {
  propertyId?: number;
  address?: string;
  listPrice: number;
  offerPrice: number;
  zestimate?: number | null;
  mao?: MaoRange | null;
  comps?: CompsSummary | null;
  contingencies?: readonly string[];
  financingType?: FinancingType | null;
  buyerStrength?: BuyerStrength | null;
  thresholds?: Pick<OfferThresholds, 'accept' | 'counter' | 'reject'>;
}

export interface CounterStrategy {
  suggested_price: number;
  /** Walk-away price: 0.95 × MAO, else 0.85 × list. */
  min_acceptable: number;
  max_acceptable: number;
  strategy: 'counter_near_list' | 'meet_in_middle' | 'small_increase';
  counter_vs_offer_pct: number;
  negotiation_leverage: string | null;
}

export interface OfferAnalysis {
  property_id: number | null;
  address: string | null;
  list_price: number;
  offer_price: number;
  offer_to_list_ratio: number;
  /** Fraction below list (negative when above list). */
  discount_from_list: number;
  offer_score: number;
  acceptance_probability: number;
  market_position: MarketPosition;
  market_reference: { basis: 'comps_median' | 'comps_average' | 'list_price'; price: number };
  recommendation: OfferRecommendation;
  reasoning: string;
  score_factors: { factor: string; points: number }[];
  counter_strategy: CounterStrategy | null;
  walk_away_price: number;
  risk_factors: string[];
  talking_points: string[];
  contingencies: string[];
  financing_type: FinancingType | null;
  buyer_strength: BuyerStrength | null;
  market_context: { zestimate: number | null; comps_reference_price: number | null; comps_count: number | null };
  thresholds: Pick<OfferThresholds, 'accept' | 'counter' | 'reject'>;
  voice_summary: string;
}

export function recommendationFor(probability: number): OfferRecommendation {
  if (probability >= ACCEPT_PROBABILITY) return 'accept';
  if (probability >= COUNTER_PROBABILITY) return 'counter_offer';
  return 'reject';
}

/** Walk-away price: 0.95 × MAO base when known, else 0.85 × list. */
export const walkAwayPrice = (listPrice: number, mao?: MaoRange | null): number =>
  Math.round(mao && isPositive(mao.base) ? 0.95 * mao.base : 0.85 * listPrice);

/** Counter price: <90% of list → 95% of list; <95% → midpoint of offer and list; else offer × 1.03. */
export function counterPrice(
  listPrice: number,
  offerPrice: number,
): Pick<CounterStrategy, 'suggested_price' | 'strategy'> {
  if (offerPrice < listPrice * 0.9)
    return { suggested_price: Math.round(listPrice * 0.95), strategy: 'counter_near_list' };
  if (offerPrice < listPrice * 0.95)
    return { suggested_price: Math.round((offerPrice + listPrice) / 2), strategy: 'meet_in_middle' };
  return { suggested_price: Math.round(offerPrice * 1.03), strategy: 'small_increase' };
}

function compsReference(comps: CompsSummary | null | undefined): OfferAnalysis['market_reference'] | null {
  if (comps && isPositive(comps.medianPrice)) return { basis: 'comps_median', price: comps.medianPrice };
  if (comps && isPositive(comps.averagePrice)) return { basis: 'comps_average', price: comps.averagePrice };
  return null;
}

/** Above/below market beyond ±5 % of the reference (comps median, else average, else list price). */
export function marketPosition(offerPrice: number, referencePrice: number): MarketPosition {
  const diff = (offerPrice - referencePrice) / referencePrice;
  if (diff > MARKET_TOLERANCE) return 'above_market';
  if (diff < -MARKET_TOLERANCE) return 'below_market';
  return 'at_market';
}

function contingencyRisk(c: string): string {
  const t = c.toLowerCase();
  if (/mortgage|financ|loan/.test(t)) return 'Buyer has a mortgage contingency (deal could fall through)';
  if (/inspect/.test(t)) return 'Inspection contingency (buyer may ask for repairs or credits)';
  if (/apprais/.test(t)) return 'Appraisal contingency (a low appraisal could force renegotiation)';
  if (/sale|sell/.test(t)) return "Contingent on the sale of the buyer's home";
  return `Contingency: ${c}`;
}

const FINANCING_RISKS: Partial<Record<FinancingType, string>> = {
  fha: 'FHA financing has stricter appraisal and property-condition requirements',
  va: 'VA financing has stricter appraisal and property-condition requirements',
  hard_money: 'Hard-money financing (costly, higher fall-through risk)',
  seller_financing: 'Seller financing leaves the seller carrying the note',
};

/** Scores an offer against list price, MAO, Zestimate and comps (reference §2.6; §5 worked example). */
export function analyzeOffer(input: OfferInput): OfferAnalysis {
  const { listPrice: list, offerPrice: offer } = input;
  if (!isPositive(list) || !isPositive(offer)) throw new RangeError('list price and offer price must be positive');
  const th = input.thresholds ?? DEFAULT_OFFER_THRESHOLDS;
  const discount = discountOf(list, offer);
  const zestimate = isPositive(input.zestimate) ? input.zestimate : null;
  const mao = input.mao && isPositive(input.mao.base) ? input.mao : null;
  const contingencies = [...(input.contingencies ?? [])].map((c) => c.trim()).filter(Boolean);
  const factors: { factor: string; points: number }[] = [];
  const reasons: string[] = [];
  const risks: string[] = [];

  reasons.push(
    offer >= list ? 'Offer is at or above the list price.' : `Offer is ${formatPct(discount)} below list price.`,
  );
  if (offer >= list) factors.push({ factor: 'at_or_above_list', points: 30 });
  else if (discount <= th.accept) {
    factors.push({ factor: 'within_accept_threshold', points: 20 });
    reasons.push(`That is within the ${formatPct(th.accept, 0)} accept threshold.`);
  } else if (discount <= th.counter) {
    factors.push({ factor: 'within_counter_threshold', points: 10 });
    reasons.push(
      `That is between the ${formatPct(th.accept, 0)} accept and ${formatPct(th.counter, 0)} counter thresholds.`,
    );
  } else if (discount >= th.reject) {
    factors.push({ factor: 'beyond_reject_threshold', points: -10 });
    reasons.push(`That is at or beyond the ${formatPct(th.reject, 0)} reject threshold.`);
    risks.push(`Offer is at least ${formatPct(th.reject, 0)} below list`);
  } else
    reasons.push(
      `That is between the ${formatPct(th.counter, 0)} counter and ${formatPct(th.reject, 0)} reject thresholds.`,
    );

  if (mao && offer < mao.base) {
    factors.push({ factor: 'below_mao', points: -20 });
    reasons.push(`It is below the maximum allowable offer of ${formatUsd(mao.base)}.`);
    risks.push('Offer is below the maximum allowable offer');
  }
  if (zestimate !== null) {
    const belowZ = (zestimate - offer) / zestimate;
    if (belowZ < 0) {
      factors.push({ factor: 'above_zestimate', points: 10 });
      reasons.push(`It is above the Zestimate of ${formatUsd(zestimate)}.`);
    } else if (belowZ > 0.15) {
      factors.push({ factor: 'far_below_zestimate', points: -10 });
      reasons.push(`It is ${formatPct(belowZ)} below the Zestimate of ${formatUsd(zestimate)}.`);
      risks.push('Offer is more than 15% below the Zestimate');
    }
  }
  const score = 50 + factors.reduce((s, f) => s + f.points, 0);
  const probability = round2(clamp(score / 100, 0, 1));
  const recommendation = recommendationFor(probability);

  const comps = compsReference(input.comps);
  const reference = comps ?? { basis: 'list_price' as const, price: list };
  const position = marketPosition(offer, reference.price);
  if (comps) {
    const label = comps.basis === 'comps_median' ? 'median' : 'average';
    reasons.push(
      `Comparable sales ${label} is ${formatUsd(comps.price)}, so the offer is ${position.replace('_', ' ')}.`,
    );
  }
  if (position === 'below_market') risks.push('Offer is below market (may indicate limited buyer pool)');

  const strength = input.buyerStrength ?? null;
  if (strength || contingencies.length > 0) {
    const who = strength ? `${strength.charAt(0).toUpperCase()}${strength.slice(1)} buyer` : 'Buyer';
    const conts =
      contingencies.length === 0
        ? 'no contingencies'
        : contingencies.length <= 2
          ? `minimal contingencies (${contingencies.join(', ')})`
          : `${contingencies.length} contingencies`;
    reasons.push(`${who} with ${conts}.`);
  }
  for (const c of contingencies) risks.push(contingencyRisk(c));
  const financing = input.financingType ?? null;
  const financingRisk = financing ? FINANCING_RISKS[financing] : undefined;
  if (financingRisk) risks.push(financingRisk);
  if (strength === 'weak') risks.push('Buyer is weak (higher risk of not closing)');

  const walkAway = walkAwayPrice(list, mao);
  let counter: CounterStrategy | null = null;
  if (recommendation !== 'accept') {
    const c = counterPrice(list, offer);
    const suggested = Math.max(c.suggested_price, walkAway);
    counter = {
      suggested_price: suggested,
      min_acceptable: walkAway,
      max_acceptable: Math.max(list, suggested),
      strategy: c.strategy,
      counter_vs_offer_pct: roundTo((suggested / offer - 1) * 100, 1),
      negotiation_leverage: leverage(list, zestimate, comps),
    };
  }
  reasons.push(
    recommendation === 'accept'
      ? 'Recommend accepting.'
      : recommendation === 'counter_offer'
        ? `Recommend countering at ${formatUsd(counter!.suggested_price)}.`
        : `Recommend rejecting; if you respond, counter at ${formatUsd(counter!.suggested_price)}.`,
  );

  return {
    property_id: input.propertyId ?? null,
    address: input.address ?? null,
    list_price: list,
    offer_price: offer,
    offer_to_list_ratio: round2(offer / list),
    discount_from_list: round3(discount),
    offer_score: score,
    acceptance_probability: probability,
    market_position: position,
    market_reference: reference,
    recommendation,
    reasoning: reasons.join(' '),
    score_factors: factors,
    counter_strategy: counter,
    walk_away_price: walkAway,
    risk_factors: risks,
    talking_points: talkingPoints(list, offer, mao, zestimate, comps),
    contingencies,
    financing_type: financing,
    buyer_strength: strength,
    market_context: {
      zestimate,
      comps_reference_price: comps?.price ?? null,
      comps_count: input.comps?.count ?? null,
    },
    thresholds: { accept: th.accept, counter: th.counter, reject: th.reject },
    voice_summary: offerVoice(input.address, list, offer, discount, probability, recommendation, counter, walkAway),
  };
}

function leverage(
  list: number,
  zestimate: number | null,
  comps: OfferAnalysis['market_reference'] | null,
): string | null {
  if (comps && comps.price >= list) return `comparable sales (${formatUsd(comps.price)}) support the list price`;
  if (zestimate !== null && zestimate >= list) return `the Zestimate (${formatUsd(zestimate)}) supports the list price`;
  return null;
}

function talkingPoints(
  list: number,
  offer: number,
  mao: MaoRange | null,
  zestimate: number | null,
  comps: OfferAnalysis['market_reference'] | null,
): string[] {
  const points = [
    offer >= list
      ? `Offer is at or above the list price of ${formatUsd(list)}`
      : `Offer is ${formatPct(discountOf(list, offer), 0)} below the list price of ${formatUsd(list)}`,
  ];
  if (mao)
    points.push(
      offer >= mao.base
        ? `Offer clears the maximum allowable offer of ${formatUsd(mao.base)}`
        : `Offer is below the maximum allowable offer of ${formatUsd(mao.base)}`,
    );
  if (zestimate !== null) points.push(`Zestimate is ${formatUsd(zestimate)}`);
  if (comps)
    points.push(
      `Comparable sales ${comps.basis === 'comps_median' ? 'median' : 'average'} is ${formatUsd(comps.price)}`,
    );
  return points;
}

function offerVoice(
  address: string | undefined,
  list: number,
  offer: number,
  discount: number,
  probability: number,
  rec: OfferRecommendation,
  counter: CounterStrategy | null,
  walkAway: number,
): string {
  const where = address ? ` on ${address}` : '';
  const vsList = offer >= list ? 'at or above' : `${formatPct(discount)} below`;
  const action =
    rec === 'accept'
      ? 'I recommend accepting it.'
      : `I recommend ${rec === 'reject' ? 'rejecting it or countering' : 'countering'} at ${formatUsd(counter!.suggested_price)}.`;
  return `The ${formatUsd(offer)} offer${where} is ${vsList} the ${formatUsd(list)} list price, with a ${Math.round(probability * 100)}% chance of acceptance. ${action} Walk-away price is ${formatUsd(walkAway)}.`;
}
