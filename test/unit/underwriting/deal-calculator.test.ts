import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors.ts';
import {
  calculateDeal,
  recommendStrategy,
  whatIf,
  type DealInput,
  type StrategyResult,
} from '../../../src/domain/underwriting/index.ts';

/**
 * ARV 300,000 (Zestimate), rent 2,500 (rent Zestimate), 1,500 sqft, medium rehab 1,500 × 35 = 52,500.
 * Fees: 5,000 + 500 × 6 + 1,500 = 9,500 (wholesale + 10,000 = 19,500).
 * Expenses: (8 + 5 + 5 + 5) % × 2,500 = 575 + insurance 150 + tax 300 = 1,025 a month.
 */
const INPUT: DealInput = {
  address: '12 Oak St',
  list_price: 280_000,
  zestimate: 300_000,
  rent_zestimate: 2_500,
  square_feet: 1_500,
};

describe('calculateDeal (cash)', () => {
  const d = calculateDeal(INPUT);

  it('resolves sources and rehab', () => {
    expect(d.data_sources).toEqual({ arv: 'zillow_zestimate', rent: 'zillow_rent_zestimate', sqft: 'property_data' });
    expect(d.rehab).toMatchObject({ tier: 'medium', cost: 52_500 });
    // yield on list price: 2,500 × 12 / 280,000 = 10.71 % → excellent
    expect(d.rental_yield).toMatchObject({ gross_yield_percent: 10.71, category: 'excellent' });
    expect(d.financing_terms).toEqual({
      use_financing: false,
      down_payment_pct: 0.2,
      interest_rate: 0.07,
      loan_term_years: 30,
    });
  });

  it('wholesale: 0.70 × 300,000 − 52,500 − 19,500 = 138,000; profit = 10,000 fee; 50 + 15 = 65 (B)', () => {
    expect(d.wholesale).toMatchObject({
      max_offer: 138_000,
      offer_range: { low: 124_200, high: 151_800 },
      net_profit: 10_000,
      total_investment: 0,
      score: 65,
      grade: 'B',
    });
  });

  it('flip: 0.80 × 300,000 − 62,000 = 178,000; in 240,000, profit 60,000, ROI 25 %; 50 + 25 + 10 = 85 (A)', () => {
    expect(d.flip).toMatchObject({
      max_offer: 178_000,
      total_investment: 240_000,
      net_profit: 60_000,
      roi_percent: 25,
      equity_capture: 122_000,
      holding_costs: 3_000,
      score: 85,
      grade: 'A',
    });
  });

  it('rental: cash flow 2,500 − 1,025 = 1,475; NOI 17,700; cap 17,700/178,000 = 9.9 %; CoC 17,700/240,000 = 7.4 %', () => {
    expect(d.rental).toMatchObject({
      max_offer: 178_000, // min(240,000, 250,000) − 62,000
      monthly_cash_flow: 1_475,
      annual_cash_flow: 17_700,
      noi_annual: 17_700,
      cap_rate: 9.9,
      cash_on_cash_return: 7.4,
      break_even_rent: 1_025,
      score: 80, // 50 + 20 (cf ≥ 400) + 10 (cap ≥ 8)
      grade: 'A',
    });
    expect(d.rental.expense_breakdown).toMatchObject({
      property_management: 200,
      vacancy_reserve: 125,
      debt_service: 0,
    });
  });

  it('BRRRR: refi 0.75 × 300,000 = 225,000 at 7 %/30y = 1,496.93/mo; cash left 240,000 − 225,000 = 15,000', () => {
    expect(d.brrrr?.brrrr).toEqual({
      initial_cash_in: 240_000,
      refi_loan_amount: 225_000,
      cash_back_at_refi: 225_000,
      cash_left_in_deal: 15_000,
      refi_monthly_payment: 1_496.93,
      infinite_return: false,
    });
    // cash flow 2,500 − (1,025 + 1,496.93) = −21.93; CoC −263.16 / 15,000 = −1.8 %
    // score 50 − 15 (cf ≤ 0) + 10 (cap 9.9) + 10 (15,000 < 25 % of 240,000) = 55 (C)
    expect(d.brrrr).toMatchObject({ monthly_cash_flow: -21.93, cash_on_cash_return: -1.8, score: 55, grade: 'C' });
  });

  it('recommends the highest score (flip 85) and says so', () => {
    expect(d.recommended_strategy).toBe('flip');
    expect(d.recommendation_reason).toContain('$60,000');
    expect(d.voice_summary).toContain('I recommend flip');
    expect(d.voice_summary).toContain('12 Oak St');
  });
});

describe('calculateDeal (financed)', () => {
  const d = calculateDeal(INPUT, { use_financing: true });

  it('loan 80 % of 178,000 = 142,400 at 7 %/30y = 947.39/mo', () => {
    expect(d.flip.financing).toEqual({
      loan_amount: 142_400,
      down_payment: 35_600,
      monthly_payment: 947.39,
      interest_rate: 0.07,
      loan_term_years: 30,
    });
  });

  it('flip: carry 6 × 947.39 = 5,684.34; in 35,600 + 5,684.34 + 62,000 = 103,284.34; profit 54,315.66', () => {
    expect(d.flip).toMatchObject({ total_investment: 103_284.34, net_profit: 54_315.66, roi_percent: 52.6 });
  });

  it('rental: cash flow 2,500 − 1,972.39 = 527.61; CoC 6,331.32 / 97,600 = 6.5 %; cap rate unchanged', () => {
    expect(d.rental).toMatchObject({
      monthly_cash_flow: 527.61,
      total_investment: 97_600,
      cash_on_cash_return: 6.5,
      cap_rate: 9.9,
    });
  });

  it('BRRRR pays the purchase loan off from the refi: 225,000 − 142,400 = 82,600 back', () => {
    expect(d.brrrr?.brrrr).toMatchObject({
      initial_cash_in: 97_600,
      cash_back_at_refi: 82_600,
      cash_left_in_deal: 15_000,
    });
  });

  it('uses the what-if rate and down payment', () => {
    // 25 % down on 178,000 = 44,500; loan 133,500
    const e = calculateDeal(INPUT, { use_financing: true, down_payment_pct: 0.25, interest_rate: 0.06 });
    expect(e.rental.financing).toMatchObject({ down_payment: 44_500, loan_amount: 133_500, interest_rate: 0.06 });
  });
});

describe('calculateDeal edge cases', () => {
  it('rent unknown: no BRRRR, rental MAO on 0.75 × ARV, yield unknown', () => {
    const d = calculateDeal({ zestimate: 300_000, square_feet: 1_500 });
    expect(d.monthly_rent).toBeNull();
    expect(d.data_sources.rent).toBe('unknown');
    expect(d.brrrr).toBeNull();
    // 0.75 × 300,000 = 225,000 − 62,000 = 163,000
    expect(d.rental).toMatchObject({ max_offer: 163_000, monthly_cash_flow: null, cap_rate: null, score: 50 });
    expect(d.rental_yield.category).toBe('unknown');
    expect(d.voice_summary).toContain('The rent is unknown');
  });

  it('falls back to comps, flat rehab and list price', () => {
    const d = calculateDeal({ comp_sale_prices: [200_000, 220_000], comp_rents: [1_500, 1_700], rehab_tier: 'light' });
    expect(d.arv).toBe(210_000);
    expect(d.monthly_rent).toBe(1_600);
    expect(d.rehab).toMatchObject({ cost: 25_000, source: 'flat_default' });
    expect(calculateDeal({ list_price: 150_000 }).data_sources.arv).toBe('list_price');
  });

  it('no positive offer: flip/rental floored at 0, wholesale negative, nothing recommended', () => {
    // wholesale 0.70 × 40,000 = 28,000 − 50,000 − 19,500 = −41,500
    const d = calculateDeal({ list_price: 40_000 });
    expect(d.wholesale.max_offer).toBe(-41_500);
    expect(d.flip.max_offer).toBe(0);
    expect(d.wholesale.score).toBe(35); // 50 − 30 + 15 (fee)
    expect(d.recommended_strategy).toBeNull();
    expect(d.voice_summary).toContain('No strategy shows positive numbers');
  });

  it('rejects missing ARV and bad overrides', () => {
    expect(() => calculateDeal({})).toThrow(ValidationError);
    expect(() => calculateDeal(INPUT, { interest_rate: 7 })).toThrow(/fraction/);
    expect(() => calculateDeal(INPUT, { price: -1 })).toThrow(ValidationError);
  });
});

describe('recommendStrategy', () => {
  const r = (strategy: StrategyResult['strategy'], score: number, net_profit: number, max_offer = 1) =>
    ({ strategy, score, net_profit, max_offer }) as StrategyResult;

  it('breaks score ties by profit and skips non-positive offers', () => {
    expect(recommendStrategy([r('wholesale', 70, 10_000), r('flip', 70, 40_000), null])?.strategy).toBe('flip');
    expect(recommendStrategy([r('flip', 90, 1, 0), r('rental', 60, 1)])?.strategy).toBe('rental');
    expect(recommendStrategy([r('wholesale', 70, 5), r('flip', 70, 5)])?.strategy).toBe('wholesale');
    expect(recommendStrategy([r('flip', 90, 1, -5)])).toBeNull();
  });
});

describe('whatIf', () => {
  it('price 150,000 instead of each MAO', () => {
    const w = whatIf(INPUT, { price: 150_000 });
    // flip profit 300,000 − 150,000 − 52,500 − 9,500 = 88,000 (+28,000); ROI 88,000 / 212,000 = 41.5 %
    expect(w.scenario.flip).toMatchObject({
      offer_price: 150_000,
      max_offer: 178_000,
      net_profit: 88_000,
      roi_percent: 41.5,
    });
    expect(w.deltas.flip).toMatchObject({ offer_price: -28_000, net_profit: 28_000, score: 0 });
    // wholesale profit 10,000 + (138,000 − 150,000) = −2,000; score 65 → 50
    expect(w.deltas.wholesale).toMatchObject({ net_profit: -12_000, score: -15, grade_before: 'B', grade_after: 'C' });
    // rental cap 17,700 / 150,000 = 11.8 % (+1.9)
    expect(w.deltas.rental.cap_rate).toBe(1.9);
    // BRRRR cash in 212,000 < refi 225,000 → infinite return: 55 − 10 + 20 = 65
    expect(w.scenario.brrrr?.brrrr?.infinite_return).toBe(true);
    expect(w.deltas.brrrr).toMatchObject({ score: 10, grade_after: 'B', cash_on_cash_return: null });
    expect(w.recommended_after).toBe('flip');
    expect(w.voice_summary).toContain('profit up $28,000');
  });

  it('rehab and ARV overrides move the numbers and can change the recommendation', () => {
    // heavy rehab 1,500 × 60 = 90,000 (+37,500); flip MAO 240,000 − 99,500 = 140,500
    const w = whatIf(INPUT, { rehab_tier: 'heavy' });
    expect(w.deltas.rehab_cost).toBe(37_500);
    expect(w.deltas.flip.offer_price).toBe(-37_500);
    const a = whatIf(INPUT, { arv: 330_000, rent: 3_000, rehab_amount: 10_000 });
    expect(a.deltas).toMatchObject({ arv: 30_000, monthly_rent: 500, rehab_cost: -42_500 });
    const none = whatIf(INPUT, { arv: 50_000 });
    expect(none.recommended_after).toBeNull();
    expect(none.voice_summary).toContain('no strategy');
  });
});
