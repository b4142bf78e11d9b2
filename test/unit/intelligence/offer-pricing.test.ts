import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeOffer,
  averageAcceptedDiscount,
  counterOfferLetter,
  DEFAULT_OFFER_THRESHOLDS,
  learnedThresholds,
  maoFallback,
  suggestedOfferPrice,
  type CounterOfferLetterInput,
  type PastOffer,
} from '../../../src/domain/intelligence/offer-analysis.ts';

const offer = (status: PastOffer['status'], offerPrice: number, listPrice = 100_000): PastOffer => ({
  status,
  offerPrice,
  listPrice,
});

describe('learnedThresholds', () => {
  it('learns from 3+ accepted and rejected offers', () => {
    // accepted discounts 3 % and 5 % → avg 4 % + 2 % = 6 %; rejected 15 % and 19 % → avg 17 % − 2 % = 15 %
    // counter = (6 % + 15 %)/2 = 10.5 %
    const t = learnedThresholds([
      offer('accepted', 97_000),
      offer('accepted', 95_000),
      offer('rejected', 85_000),
      offer('rejected', 81_000),
      offer('withdrawn', 50_000),
    ]);
    expect(t).toEqual({ accept: 0.06, counter: 0.105, reject: 0.15, source: 'learned', sample_size: 4 });
  });

  it('keeps the defaults with fewer than 3 accepted + rejected offers', () => {
    expect(learnedThresholds([offer('accepted', 97_000), offer('rejected', 80_000), offer('countered', 1)])).toEqual(
      DEFAULT_OFFER_THRESHOLDS,
    );
  });

  it('keeps the default for a side without offers', () => {
    // accepted 1 %, 2 %, 3 % → avg 2 % + 2 % = 4 %; reject stays 15 %; counter 9.5 %
    const t = learnedThresholds([offer('accepted', 99_000), offer('accepted', 98_000), offer('accepted', 97_000)]);
    expect(t).toMatchObject({ accept: 0.04, counter: 0.095, reject: 0.15, source: 'learned' });
  });

  it('falls back to the defaults when the data is inconsistent', () => {
    const t = learnedThresholds([offer('accepted', 88_000), offer('accepted', 90_000), offer('rejected', 95_000)]);
    expect(t.source).toBe('default');
  });

  it('averages accepted discounts', () => {
    expect(averageAcceptedDiscount([offer('accepted', 90_000), offer('accepted', 96_000)])).toBeCloseTo(0.07, 10);
    expect(averageAcceptedDiscount([offer('rejected', 90_000)])).toBeNull();
  });
});

describe('maoFallback', () => {
  it('is 0.70 × Zestimate with a ±10 % band', () => {
    expect(maoFallback(500_000)).toEqual({ low: 315_000, base: 350_000, high: 385_000, source: 'zestimate_fallback' });
  });

  it('is null without a usable Zestimate', () => {
    expect(maoFallback(null)).toBeNull();
    expect(maoFallback(0)).toBeNull();
  });
});

describe('suggestedOfferPrice', () => {
  it.each([
    ['moderate', undefined, 475_000, 0.05], // default 5 %
    ['conservative', undefined, 482_500, 0.035], // max(3 %, 5 % × 0.7)
    ['aggressive', undefined, 462_500, 0.075], // min(25 %, 5 % × 1.5)
    ['aggressive', 0.2, 375_000, 0.25], // min(25 %, 30 %)
    ['conservative', 0.02, 485_000, 0.03], // max(3 %, 1.4 %)
  ] as const)('%s with learned %s → %d', (aggressiveness, learnedDiscount, price, discount) => {
    const s = suggestedOfferPrice({ listPrice: 500_000, aggressiveness, learnedDiscount });
    expect(s.suggested_offer).toBe(price);
    expect(s.strategy_discount).toBe(discount);
    expect(s.capped_by_mao).toBe(false);
  });

  it('gives a ±5 % range and medium confidence without a Zestimate', () => {
    const s = suggestedOfferPrice({ listPrice: 500_000 });
    expect(s.range).toEqual({ min: 451_250, max: 498_750 });
    expect(s.confidence).toBe('medium');
    expect(s.voice_summary).toBe(
      'For this property, I suggest offering $475,000, between $451,250 and $498,750, 5% below the $500,000 list price.',
    );
  });

  it('caps at 0.95 × MAO', () => {
    const s = suggestedOfferPrice({
      listPrice: 500_000,
      mao: { low: 432_000, base: 480_000, high: 528_000 },
      zestimate: 520_000,
    });
    // 475,000 > 0.95 × 480,000 = 456,000 → 456,000; range 433,200 – 478,800
    expect(s).toMatchObject({
      suggested_offer: 456_000,
      capped_by_mao: true,
      mao_cap: 456_000,
      effective_discount: 0.088,
      range: { min: 433_200, max: 478_800 },
      confidence: 'high',
    });
    expect(s.justification).toBe(
      'Moderate strategy: 5% below list; capped at 95% of the maximum allowable offer ($456,000); 12.3% below the Zestimate of $520,000.',
    );
    const roomy = suggestedOfferPrice({ listPrice: 500_000, mao: { low: 0, base: 500_000, high: 0 } });
    expect(roomy.capped_by_mao).toBe(false); // 475,000 ≤ 475,000
  });

  it('never exceeds the list price or 0.95 × MAO', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000, max: 5_000_000 }),
        fc.option(fc.integer({ min: 10_000, max: 5_000_000 })),
        fc.option(fc.double({ min: 0, max: 0.5, noNaN: true })),
        fc.constantFrom('conservative', 'moderate', 'aggressive' as const),
        (listPrice, maoBase, learnedDiscount, aggressiveness) => {
          const mao = maoBase === null ? null : { low: 0, base: maoBase, high: 0 };
          const s = suggestedOfferPrice({ listPrice, mao, learnedDiscount, aggressiveness });
          expect(s.suggested_offer).toBeLessThanOrEqual(listPrice);
          if (maoBase !== null) expect(s.suggested_offer).toBeLessThanOrEqual(Math.round(maoBase * 0.95));
          expect(s.range.min).toBeLessThanOrEqual(s.suggested_offer);
          expect(s.range.max).toBeGreaterThanOrEqual(s.suggested_offer);
        },
      ),
    );
  });
});

describe('counterOfferLetter', () => {
  const analysis = analyzeOffer({
    listPrice: 850_000,
    offerPrice: 800_000,
    financingType: 'conventional',
    contingencies: ['mortgage', 'inspection'],
    comps: { medianPrice: 840_000 },
    zestimate: 845_000,
  });
  const input: CounterOfferLetterInput = {
    analysis,
    propertyAddress: '123 Main Street, Springfield, IL 62701',
    sellerName: 'Sam Seller',
    buyerName: 'Bea Buyer',
    recipientName: 'Alex Agent',
    senderName: 'Lee Lister',
    senderTitle: 'Listing Agent',
    brokerage: 'Springfield Realty',
    senderPhone: '+15551234567',
    earnestMoney: 20_000,
    closingDays: 30,
    letterDate: new Date('2025-06-15T14:00:00Z'),
    expiresAt: new Date('2025-06-18T21:00:00Z'),
    timeZone: 'America/New_York',
  };

  it('writes a complete letter from the analysis', () => {
    const l = counterOfferLetter(input);
    expect(l.counter_price).toBe(825_000);
    expect(l.subject).toBe('Counter-offer for 123 Main Street, Springfield, IL 62701: $825,000');
    expect(l.letter.split('\n').slice(0, 5)).toEqual([
      'June 15, 2025',
      '',
      'Re: Counter-offer for 123 Main Street, Springfield, IL 62701',
      '',
      'Dear Alex Agent,',
    ]);
    for (const text of [
      'Thank you for the offer of $800,000 submitted on behalf of Bea Buyer',
      'Sam Seller respectfully submits a counter-offer at a purchase price of $825,000.',
      'The property is listed at $850,000. Recent comparable sales in the area show a median sale price of $840,000.',
      "Zillow's current estimate of the home's value is $845,000.",
      '  - Purchase price: $825,000',
      '  - Earnest money deposit: $20,000',
      '  - Closing: within 30 days of acceptance',
      '  - Financing: Conventional mortgage',
      '  - Contingencies: mortgage, inspection, as stated in your offer',
      '  - All other terms of the original offer remain unchanged.',
      'This counter-offer expires at 5:00 PM EDT on June 18, 2025.',
      'Sincerely,\n\nLee Lister\nListing Agent\nSpringfield Realty\n+15551234567\nOn behalf of Sam Seller, Seller',
    ]) {
      expect(l.letter).toContain(text);
    }
    expect(l.expires_at).toBe('2025-06-18T21:00:00.000Z');
  });

  it('never reveals the walk-away price', () => {
    const l = counterOfferLetter(input);
    expect(analysis.walk_away_price).toBe(722_500);
    expect(`${l.letter} ${l.talking_points.join(' ')} ${l.voice_summary}`).not.toContain('722,500');
  });

  it('takes an explicit counter price and omits market facts that do not support it', () => {
    const l = counterOfferLetter({ ...input, counterPrice: 846_000, timeZone: undefined });
    expect(l.letter).toContain('purchase price of $846,000');
    expect(l.letter).not.toContain('comparable sales');
    expect(l.letter).not.toContain('Zillow');
    expect(l.letter).toContain('expires at 9:00 PM UTC on June 18, 2025.');
  });

  it('refuses a letter without a counter price or with an expiry in the past', () => {
    const accepted = analyzeOffer({ listPrice: 850_000, offerPrice: 850_000, zestimate: 800_000 });
    expect(accepted.recommendation).toBe('accept');
    expect(() => counterOfferLetter({ ...input, analysis: accepted })).toThrow(RangeError);
    expect(() => counterOfferLetter({ ...input, expiresAt: input.letterDate })).toThrow(RangeError);
  });
});
