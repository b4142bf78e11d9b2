import { describe, expect, it } from 'vitest';
import {
  amortizedPayment,
  arvFromComps,
  arvFromValuation,
  maoFor,
  rehabEstimate,
  rentalYield,
  rentFromComps,
  resolveArv,
  resolveRent,
  resolveSqft,
  totalFees,
} from '../../../src/domain/underwriting/index.ts';

describe('arvFromComps / arvFromValuation / rentFromComps', () => {
  it('takes the mean of plain comp prices, low ×0.9, high ×1.1', () => {
    // (300,000 + 320,000 + 340,000) / 3 = 320,000; ×0.9 = 288,000; ×1.1 = 352,000
    const a = arvFromComps([300_000, 320_000, 340_000]);
    expect(a).toMatchObject({ base: 320_000, low: 288_000, high: 352_000, source: 'comps', comp_count: 3 });
    expect(a?.voice_summary).toContain('$320,000');
  });

  it('weights adjusted prices and ignores unusable rows', () => {
    // (400,000×3 + 300,000×1) / (3 + 1) = 1,500,000 / 4 = 375,000; the 0-weight and negative rows are dropped
    const a = arvFromComps([
      { adjusted_price: 400_000, weight: 3 },
      { adjusted_price: 300_000, weight: 1 },
      { adjusted_price: 900_000, weight: 0 },
      { adjusted_price: -5, weight: 2 },
    ]);
    expect(a).toMatchObject({ base: 375_000, low: 337_500, high: 412_500, comp_count: 2 });
  });

  it('returns null without usable comps', () => {
    expect(arvFromComps([])).toBeNull();
    expect(arvFromComps([{ adjusted_price: 100_000, weight: 0 }])).toBeNull();
  });

  it('uses the valuation estimate with its own band, or ×0.9/×1.1', () => {
    expect(arvFromValuation({ estimate: 250_000, low: 240_000, high: 270_000 })).toMatchObject({
      base: 250_000,
      low: 240_000,
      high: 270_000,
      source: 'valuation',
    });
    // 250,000 × 0.9 = 225,000; × 1.1 = 275,000
    expect(arvFromValuation({ estimate: 250_000 })).toMatchObject({ low: 225_000, high: 275_000 });
    expect(arvFromValuation({ estimate: null })).toBeNull();
  });

  it('rent from rental comps is the mean ±10 %, null when none', () => {
    // (1,800 + 2,200) / 2 = 2,000 → 1,800 / 2,200
    expect(rentFromComps([1_800, 2_200])).toEqual({ base: 2_000, low: 1_800, high: 2_200, source: 'comps' });
    expect(rentFromComps([])).toBeNull();
  });
});

describe('source chains', () => {
  it('ARV: override → underwriting → Zestimate → comps mean → list price', () => {
    const all = { override: 1, underwriting: 2, zestimate: 3, comps_mean: 4, list_price: 5 };
    expect(resolveArv(all)).toEqual({ value: 1, source: 'user_override' });
    expect(resolveArv({ ...all, override: null })).toEqual({ value: 2, source: 'agentic_underwriting' });
    expect(resolveArv({ ...all, override: null, underwriting: 0 })).toEqual({ value: 3, source: 'zillow_zestimate' });
    expect(resolveArv({ comps_mean: 4, list_price: 5 })).toEqual({ value: 4, source: 'comp_sales_avg' });
    expect(resolveArv({ list_price: 5 })).toEqual({ value: 5, source: 'list_price' });
    expect(resolveArv({})).toEqual({ value: null, source: 'unknown' });
  });

  it('rent: override → underwriting → rent Zestimate → comps mean, else unknown', () => {
    expect(resolveRent({ rent_zestimate: 2_100, comps_mean: 1_900 })).toEqual({
      value: 2_100,
      source: 'zillow_rent_zestimate',
    });
    expect(resolveRent({ comps_mean: 1_900 })).toEqual({ value: 1_900, source: 'comp_rentals_avg' });
    expect(resolveRent({ underwriting: 2_000, override: 2_500 })).toEqual({ value: 2_500, source: 'user_override' });
    expect(resolveRent({})).toEqual({ value: null, source: 'unknown' });
  });

  it('sqft: override → property → Zillow living area', () => {
    expect(resolveSqft({ property: 1_400, zillow_living_area: 1_450 })).toEqual({
      value: 1_400,
      source: 'property_data',
    });
    expect(resolveSqft({ zillow_living_area: 1_450 })).toEqual({ value: 1_450, source: 'zillow_enrichment' });
    expect(resolveSqft({ property: null })).toEqual({ value: null, source: 'unknown' });
  });
});

describe('rehabEstimate', () => {
  it('per sqft 15/35/60 with ×0.8/×1.2 range', () => {
    // 2,000 × 60 = 120,000; ×0.8 = 96,000; ×1.2 = 144,000
    expect(rehabEstimate(2_000, 'heavy')).toMatchObject({
      cost: 120_000,
      low: 96_000,
      high: 144_000,
      per_sqft: 60,
      source: 'per_sqft',
    });
    expect(rehabEstimate(1_000, 'light').cost).toBe(15_000); // 1,000 × 15
    expect(rehabEstimate(1_000, 'medium').cost).toBe(35_000); // 1,000 × 35
  });

  it('flat 25k/50k/100k when sqft is unknown', () => {
    expect(rehabEstimate(null, 'light')).toMatchObject({ cost: 25_000, low: 20_000, high: 30_000 });
    expect(rehabEstimate(undefined, 'medium').cost).toBe(50_000);
    expect(rehabEstimate(0, 'heavy')).toMatchObject({ cost: 100_000, source: 'flat_default', per_sqft: null });
  });

  it('an override wins and has no range', () => {
    expect(rehabEstimate(2_000, 'heavy', 42_000)).toMatchObject({
      cost: 42_000,
      low: 42_000,
      high: 42_000,
      source: 'user_override',
    });
  });
});

describe('maoFor', () => {
  it('fees: closing 5,000 + holding 500×6 + misc 1,500 = 9,500; wholesale + assignment 10,000 = 19,500', () => {
    expect(totalFees('flip')).toBe(9_500);
    expect(totalFees('wholesale')).toBe(19_500);
    expect(totalFees('rental', { holding_months: 4 })).toBe(8_500);
  });

  it('wholesale = 0.70 × ARV − rehab − fees, range ±10 %', () => {
    // 0.70 × 200,000 = 140,000 − 30,000 − 19,500 = 90,500; 81,450 / 99,550
    expect(maoFor('wholesale', { arv: 200_000, rehab: 30_000 })).toMatchObject({
      mao: 90_500,
      low: 81_450,
      high: 99_550,
      viable: true,
    });
  });

  it('wholesale uses the high end of a rehab estimate', () => {
    // 140,000 − 36,000 − 19,500 = 84,500
    expect(maoFor('wholesale', { arv: 200_000, rehab: { cost: 30_000, high: 36_000 } }).mao).toBe(84_500);
    // flip keeps the base: 0.80 × 200,000 = 160,000 − 30,000 − 9,500 = 120,500
    expect(maoFor('flip', { arv: 200_000, rehab: { cost: 30_000, high: 36_000 } }).mao).toBe(120_500);
  });

  it('rental = min(0.80 × ARV, 100 × rent) − rehab − fees; 0.75 × ARV without rent', () => {
    // min(160,000, 140,000) = 140,000 − 30,000 − 9,500 = 100,500
    expect(maoFor('rental', { arv: 200_000, rehab: 30_000, rent: 1_400 }).mao).toBe(100_500);
    // min(160,000, 250,000) = 160,000 − 39,500 = 120,500
    expect(maoFor('rental', { arv: 200_000, rehab: 30_000, rent: 2_500 }).mao).toBe(120_500);
    // 0.75 × 200,000 = 150,000 − 39,500 = 110,500
    expect(maoFor('rental', { arv: 200_000, rehab: 30_000, rent: null }).mao).toBe(110_500);
  });

  it('accepts a total fee amount and reports a non-viable MAO without a band', () => {
    // 0.70 × 50,000 = 35,000 − 30,000 − 19,500 = −14,500
    expect(maoFor('wholesale', { arv: 50_000, rehab: 30_000 })).toMatchObject({
      mao: -14_500,
      low: -14_500,
      high: -14_500,
      viable: false,
    });
    // 160,000 − 30,000 − 1,000 = 129,000
    expect(maoFor('flip', { arv: 200_000, rehab: 30_000, fees: 1_000 }).mao).toBe(129_000);
  });
});

describe('rentalYield', () => {
  it('gross yield = rent × 12 / price with WP categories at the boundaries', () => {
    // 2,000 × 12 = 24,000 / 240,000 = 10 % → excellent
    expect(rentalYield(2_000, 240_000)).toMatchObject({ gross_yield_percent: 10, category: 'excellent' });
    // 1,600 × 12 = 19,200 / 240,000 = 8 % exactly → good (excellent is > 8)
    expect(rentalYield(1_600, 240_000).category).toBe('good');
    // 1,602 × 12 / 240,000 = 8.01 % → excellent
    expect(rentalYield(1_602, 240_000).category).toBe('excellent');
    // 1,000 × 12 / 240,000 = 5 % → good
    expect(rentalYield(1_000, 240_000).category).toBe('good');
    // 998 × 12 / 240,000 = 4.99 % → average
    expect(rentalYield(998, 240_000).category).toBe('average');
    // 600 × 12 / 240,000 = 3 % → average
    expect(rentalYield(600, 240_000).category).toBe('average');
    // 598 × 12 / 240,000 = 2.99 % → poor
    expect(rentalYield(598, 240_000)).toMatchObject({ gross_yield_percent: 2.99, category: 'poor' });
  });

  it('is unknown without a rent or a price', () => {
    expect(rentalYield(null, 240_000)).toMatchObject({ gross_yield_percent: null, category: 'unknown' });
    expect(rentalYield(2_000, 0).category).toBe('unknown');
    expect(rentalYield(null, 1).voice_summary).toMatch(/rent is unknown/);
  });
});

describe('amortizedPayment', () => {
  it('matches the known $200,000 at 7 % over 30 years ≈ $1,330.60', () => {
    // r = 0.07/12, n = 360: 200,000 × r(1+r)^360 / ((1+r)^360 − 1) = 1,330.60
    expect(amortizedPayment(200_000, 0.07, 30)).toBeCloseTo(1_330.6, 2);
    // $100,000 at 6 % over 30 years = $599.55 (standard table value)
    expect(amortizedPayment(100_000, 0.06, 30)).toBeCloseTo(599.55, 2);
  });

  it('repays P / n at 0 % and nothing without a principal', () => {
    expect(amortizedPayment(120_000, 0, 10)).toBe(1_000); // 120,000 / 120
    expect(amortizedPayment(0, 0.07, 30)).toBe(0);
  });
});
