import { describe, expect, it } from 'vitest';
import { gradeFor, scoreStrategy, type ScoreInput } from '../../../src/domain/underwriting/index.ts';

const base: ScoreInput = {
  strategy: 'wholesale',
  max_offer: 100_000,
  net_profit: null,
  roi_percent: null,
  monthly_cash_flow: null,
  cap_rate: null,
  cash_on_cash_return: null,
  brrrr: null,
};
const score = (patch: Partial<ScoreInput>): number => scoreStrategy({ ...base, ...patch }).score;

describe('gradeFor', () => {
  it.each([
    [100, 'A'],
    [80, 'A'],
    [79, 'B'],
    [65, 'B'],
    [64, 'C'],
    [50, 'C'],
    [49, 'D'],
    [35, 'D'],
    [34, 'F'],
    [0, 'F'],
  ] as const)('score %i → %s', (s, g) => expect(gradeFor(s)).toBe(g));
});

describe('scoreStrategy', () => {
  it('starts at 50 and takes 30 off when the offer is not positive', () => {
    expect(score({})).toBe(50);
    expect(score({ max_offer: 0 })).toBe(20); // 50 − 30
    expect(score({ max_offer: -1 })).toBe(20);
    expect(score({ max_offer: 0.01 })).toBe(50);
  });

  it('wholesale: fee ≥ 10k +15, ≥ 5k +5', () => {
    expect(score({ net_profit: 10_000 })).toBe(65);
    expect(score({ net_profit: 9_999.99 })).toBe(55);
    expect(score({ net_profit: 5_000 })).toBe(55);
    expect(score({ net_profit: 4_999.99 })).toBe(50);
  });

  it('flip: ROI ≥ 25 +25, ≥ 15 +15, ≥ 10 +5, else −10; profit ≥ 50k +10', () => {
    const flip = (roi: number | null, profit = 0) => score({ strategy: 'flip', roi_percent: roi, net_profit: profit });
    expect(flip(25)).toBe(75);
    expect(flip(24.9)).toBe(65);
    expect(flip(15)).toBe(65);
    expect(flip(14.9)).toBe(55);
    expect(flip(10)).toBe(55);
    expect(flip(9.9)).toBe(40);
    expect(flip(null)).toBe(50);
    expect(flip(25, 50_000)).toBe(85); // 50 + 25 + 10
    expect(flip(25, 49_999.99)).toBe(75);
  });

  it('wholesale and flip ignore the rental adjustments', () => {
    expect(score({ strategy: 'flip', roi_percent: 10, monthly_cash_flow: 1_000, cap_rate: 20 })).toBe(55);
    expect(score({ strategy: 'rental', net_profit: 10_000, roi_percent: 30 })).toBe(50);
  });

  it.each(['rental', 'brrrr'] as const)('%s: cash flow ≥400 +20, ≥200 +10, >0 +2, else −15', (strategy) => {
    const cf = (v: number) => score({ strategy, monthly_cash_flow: v });
    expect(cf(400)).toBe(70);
    expect(cf(399.99)).toBe(60);
    expect(cf(200)).toBe(60);
    expect(cf(199.99)).toBe(52);
    expect(cf(0.01)).toBe(52);
    expect(cf(0)).toBe(35);
    expect(cf(-50)).toBe(35);
  });

  it.each(['rental', 'brrrr'] as const)('%s: cap rate ≥8 +10, ≥5 +5, else −5; CoC ≥12 +10', (strategy) => {
    const cap = (v: number) => score({ strategy, cap_rate: v });
    expect(cap(8)).toBe(60);
    expect(cap(7.9)).toBe(55);
    expect(cap(5)).toBe(55);
    expect(cap(4.9)).toBe(45);
    expect(score({ strategy, cash_on_cash_return: 12 })).toBe(60);
    expect(score({ strategy, cash_on_cash_return: 11.9 })).toBe(50);
  });

  it('BRRRR: infinite return +20, else > 75 % of cash recovered +10', () => {
    const b = (infinite_return: boolean, cash_left_in_deal: number) =>
      score({ strategy: 'brrrr', brrrr: { infinite_return, cash_left_in_deal, initial_cash_in: 100_000 } });
    expect(b(true, 0)).toBe(70);
    // cash left must be below 25 % of 100,000 = 25,000
    expect(b(false, 24_999.99)).toBe(60);
    expect(b(false, 25_000)).toBe(50);
    // a rental never gets the BRRRR bonus
    expect(
      score({ strategy: 'rental', brrrr: { infinite_return: true, cash_left_in_deal: 0, initial_cash_in: 1 } }),
    ).toBe(50);
  });

  it('clamps to 0–100 and keeps grade and factors consistent', () => {
    // 50 + 20 + 10 + 10 + 20 = 110 → 100
    const top = scoreStrategy({
      ...base,
      strategy: 'brrrr',
      monthly_cash_flow: 500,
      cap_rate: 9,
      cash_on_cash_return: 15,
      brrrr: { infinite_return: true, cash_left_in_deal: 0, initial_cash_in: 50_000 },
    });
    expect(top).toMatchObject({ score: 100, grade: 'A' });
    expect(top.factors).toHaveLength(5);
    // 50 − 30 − 15 − 5 = 0
    const bottom = scoreStrategy({ ...base, strategy: 'rental', max_offer: 0, monthly_cash_flow: -10, cap_rate: 1 });
    expect(bottom).toMatchObject({ score: 0, grade: 'F' });
  });
});
