import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeOffer,
  counterPrice,
  marketPosition,
  recommendationFor,
  type OfferInput,
} from '../../../src/domain/intelligence/offer-analysis.ts';

const M = 1_000_000;
const at = (offerPrice: number, over: Partial<OfferInput> = {}) => analyzeOffer({ listPrice: M, offerPrice, ...over });

describe('analyzeOffer: the §5 worked example', () => {
  const a = analyzeOffer({
    propertyId: 1,
    address: '123 Main Street',
    listPrice: 850_000,
    offerPrice: 800_000,
    buyerStrength: 'strong',
    contingencies: ['mortgage', 'inspection'],
  });

  it('matches the code rules: 0.60, counter at the midpoint, walk-away 0.85 × list', () => {
    // discount 50,000/850,000 = 5.9 %: over the 5 % accept threshold, within the 10 % counter one → 50 + 10 = 60
    expect(a.offer_to_list_ratio).toBe(0.94);
    expect(a.discount_from_list).toBe(0.059);
    expect(a.acceptance_probability).toBe(0.6);
    expect(a.recommendation).toBe('counter_offer');
    expect(a.market_position).toBe('below_market'); // no comps: vs list, −5.9 % is beyond ±5 %
    // 800k/850k = 0.941: ≥ 0.90 and < 0.95 → midpoint (800,000 + 850,000)/2 = 825,000; no MAO → 0.85 × 850,000
    expect(a.counter_strategy).toEqual({
      suggested_price: 825_000,
      min_acceptable: 722_500,
      max_acceptable: 850_000,
      strategy: 'meet_in_middle',
      counter_vs_offer_pct: 3.1,
      negotiation_leverage: null,
    });
    expect(a.walk_away_price).toBe(722_500);
  });

  it('explains itself and lists the risks', () => {
    expect(a.reasoning).toBe(
      'Offer is 5.9% below list price. That is between the 5% accept and 10% counter thresholds. Strong buyer with minimal contingencies (mortgage, inspection). Recommend countering at $825,000.',
    );
    expect(a.risk_factors).toEqual([
      'Offer is below market (may indicate limited buyer pool)',
      'Buyer has a mortgage contingency (deal could fall through)',
      'Inspection contingency (buyer may ask for repairs or credits)',
    ]);
    expect(a.voice_summary).toBe(
      'The $800,000 offer on 123 Main Street is 5.9% below the $850,000 list price, with a 60% chance of acceptance. I recommend countering at $825,000. Walk-away price is $722,500.',
    );
  });
});

describe('analyzeOffer: score thresholds', () => {
  it.each([
    [1_000_000, 80, 'at or above list: +30'],
    [950_000, 70, 'discount exactly 5 %: +20'],
    [949_999, 60, 'just over 5 %: +10'],
    [900_000, 60, 'discount exactly 10 %: +10'],
    [899_999, 50, 'between counter and reject: 0'],
    [850_001, 50, 'just under 15 %: 0'],
    [850_000, 40, 'discount exactly 15 %: −10'],
  ])('offer %d scores %d (%s)', (offer, score) => {
    expect(at(offer).offer_score).toBe(score);
  });

  it('counters at exactly 0.40 and rejects below', () => {
    expect(at(850_000).recommendation).toBe('counter_offer');
    expect(at(850_000, { zestimate: 1_100_000 }).recommendation).toBe('reject'); // 50 − 10 − 10 = 30
  });

  it.each([
    [0.85, 'accept'],
    [0.8499, 'counter_offer'],
    [0.4, 'counter_offer'],
    [0.3999, 'reject'],
  ] as const)('probability %d → %s', (p, rec) => {
    expect(recommendationFor(p)).toBe(rec);
  });

  it('accepts a full-price offer above the Zestimate, with no counter strategy', () => {
    const a = at(M, { zestimate: 900_000 }); // 50 + 30 + 10
    expect(a.acceptance_probability).toBe(0.9);
    expect(a.recommendation).toBe('accept');
    expect(a.counter_strategy).toBeNull();
    expect(a.reasoning.endsWith('Recommend accepting.')).toBe(true);
  });

  it('scores against the Zestimate: above +10, more than 15 % below −10', () => {
    expect(at(950_000, { zestimate: 940_000 }).offer_score).toBe(80);
    expect(at(850_000, { zestimate: M }).offer_score).toBe(40); // exactly 15 % below: no penalty
    expect(at(849_999, { zestimate: M }).offer_score).toBe(30);
  });

  it('uses the learned thresholds when given', () => {
    const thresholds = { accept: 0.06, counter: 0.105, reject: 0.15 };
    expect(at(940_000, { thresholds }).offer_score).toBe(70);
    expect(at(895_000, { thresholds }).offer_score).toBe(60);
    expect(at(940_000).offer_score).toBe(60);
  });
});

describe('analyzeOffer: MAO participates', () => {
  const mao = { low: 765_000, base: 850_000, high: 935_000 };

  it('takes 20 off an offer below the MAO and walks away at 0.95 × MAO', () => {
    const a = at(800_000, { mao }); // 50 − 10 (20 % below list) − 20 = 20
    expect(a.offer_score).toBe(20);
    expect(a.recommendation).toBe('reject');
    expect(a.walk_away_price).toBe(807_500);
    expect(a.counter_strategy).toMatchObject({
      suggested_price: 950_000,
      min_acceptable: 807_500,
      strategy: 'counter_near_list',
    });
    expect(a.risk_factors).toContain('Offer is below the maximum allowable offer');
    expect(a.talking_points).toContain('Offer is below the maximum allowable offer of $850,000');
  });

  it('does not penalise an offer at the MAO', () => {
    expect(at(850_000, { mao }).offer_score).toBe(40);
  });

  it('never counters below the walk-away price', () => {
    const a = at(800_000, { mao: { low: 990_000, base: 1_100_000, high: 1_210_000 } });
    expect(a.counter_strategy).toMatchObject({
      suggested_price: 1_045_000,
      min_acceptable: 1_045_000,
      max_acceptable: 1_045_000,
    });
  });
});

describe('analyzeOffer: comps participate', () => {
  it('positions the offer against the comps median with ±5 % tolerance', () => {
    expect(at(800_000, { comps: { medianPrice: 820_000 } }).market_position).toBe('at_market');
    expect(at(800_000, { comps: { medianPrice: 900_000 } }).market_position).toBe('below_market');
    expect(at(800_000, { comps: { medianPrice: 700_000 } }).market_position).toBe('above_market');
  });

  it('falls back to the comps average, then to the list price', () => {
    const avg = at(800_000, { comps: { averagePrice: 810_000, count: 6 } });
    expect(avg.market_reference).toEqual({ basis: 'comps_average', price: 810_000 });
    expect(avg.market_position).toBe('at_market');
    expect(avg.market_context).toEqual({ zestimate: null, comps_reference_price: 810_000, comps_count: 6 });
    expect(at(800_000, { comps: { medianPrice: null } }).market_reference).toEqual({ basis: 'list_price', price: M });
  });

  it('mentions comps in the reasoning and uses them as leverage', () => {
    const a = at(800_000, { comps: { medianPrice: 1_020_000 } });
    expect(a.reasoning).toContain('Comparable sales median is $1,020,000, so the offer is below market.');
    expect(a.counter_strategy?.negotiation_leverage).toBe('comparable sales ($1,020,000) support the list price');
  });

  it.each([
    [1_050_000, 'at_market'],
    [1_050_001, 'above_market'],
    [950_000, 'at_market'],
    [949_999, 'below_market'],
  ] as const)('offer %d vs reference 1,000,000 → %s', (offer, position) => {
    expect(marketPosition(offer, M)).toBe(position);
  });
});

describe('counterPrice bands', () => {
  it.each([
    [899_999, 950_000, 'counter_near_list'],
    [900_000, 950_000, 'meet_in_middle'],
    [949_999, 975_000, 'meet_in_middle'], // (949,999 + 1,000,000)/2 = 974,999.5 → 975,000
    [950_000, 978_500, 'small_increase'], // × 1.03
  ] as const)('offer %d → %d (%s)', (offer, price, strategy) => {
    expect(counterPrice(M, offer)).toEqual({ suggested_price: price, strategy });
  });
});

describe('analyzeOffer: risk factors and input checks', () => {
  it('flags financing, buyer strength and contingencies', () => {
    const a = at(900_000, {
      financingType: 'fha',
      buyerStrength: 'weak',
      contingencies: ['appraisal', 'sale of home', 'HOA review', ' '],
    });
    expect(a.contingencies).toEqual(['appraisal', 'sale of home', 'HOA review']);
    expect(a.risk_factors).toEqual([
      'Offer is below market (may indicate limited buyer pool)',
      'Appraisal contingency (a low appraisal could force renegotiation)',
      "Contingent on the sale of the buyer's home",
      'Contingency: HOA review',
      'FHA financing has stricter appraisal and property-condition requirements',
      'Buyer is weak (higher risk of not closing)',
    ]);
    expect(a.reasoning).toContain('Weak buyer with 3 contingencies.');
  });

  it('rejects non-positive prices', () => {
    expect(() => at(0)).toThrow(RangeError);
    expect(() => analyzeOffer({ listPrice: -1, offerPrice: 5 })).toThrow(RangeError);
  });
});

describe('offer analysis properties', () => {
  const arb = fc.record({
    listPrice: fc.integer({ min: 10_000, max: 10_000_000 }),
    ratio: fc.double({ min: 0.3, max: 1.5, noNaN: true }),
    zestimate: fc.option(fc.integer({ min: 10_000, max: 10_000_000 })),
    maoBase: fc.option(fc.integer({ min: 10_000, max: 10_000_000 })),
    median: fc.option(fc.integer({ min: 10_000, max: 10_000_000 })),
  });

  it('keeps the probability within 0–1, consistent with the recommendation and the counter strategy', () => {
    fc.assert(
      fc.property(arb, ({ listPrice, ratio, zestimate, maoBase, median }) => {
        const offerPrice = Math.max(1, Math.round(listPrice * ratio));
        const mao = maoBase === null ? null : { low: maoBase * 0.9, base: maoBase, high: maoBase * 1.1 };
        const a = analyzeOffer({ listPrice, offerPrice, zestimate, mao, comps: { medianPrice: median } });
        expect(a.acceptance_probability).toBeGreaterThanOrEqual(0);
        expect(a.acceptance_probability).toBeLessThanOrEqual(1);
        expect(a.recommendation).toBe(recommendationFor(a.acceptance_probability));
        expect(a.counter_strategy === null).toBe(a.recommendation === 'accept');
        if (a.counter_strategy) {
          expect(a.counter_strategy.suggested_price).toBeGreaterThanOrEqual(a.counter_strategy.min_acceptable);
          expect(a.counter_strategy.max_acceptable).toBeGreaterThanOrEqual(a.counter_strategy.suggested_price);
        }
      }),
    );
  });
});
