import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calculateDeal,
  GRADE_CUTOFFS,
  gradeFor,
  maoFor,
  REHAB_TIERS,
  scoreStrategy,
  STRATEGIES,
  type DealInput,
} from '../../../src/domain/underwriting/index.ts';

const strategy = fc.constantFrom(...STRATEGIES);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const dealInput: fc.Arbitrary<DealInput> = fc.record({
  zestimate: maybe(fc.integer({ min: 20_000, max: 2_000_000 })),
  list_price: fc.integer({ min: 20_000, max: 2_000_000 }),
  rent_zestimate: maybe(fc.integer({ min: 300, max: 15_000 })),
  square_feet: maybe(fc.integer({ min: 400, max: 6_000 })),
  rehab_tier: fc.constantFrom(...REHAB_TIERS),
  financing: fc.record({
    use_financing: fc.boolean(),
    interest_rate: fc.double({ min: 0, max: 0.15, noNaN: true }),
    down_payment_pct: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
});

describe('properties', () => {
  it('MAO strictly decreases as rehab grows (every strategy)', () => {
    fc.assert(
      fc.property(
        strategy,
        fc.integer({ min: 10_000, max: 3_000_000 }),
        maybe(fc.integer({ min: 100, max: 20_000 })),
        fc.integer({ min: 0, max: 500_000 }),
        fc.integer({ min: 1, max: 500_000 }),
        (s, arv, rent, rehab, extra) => {
          const a = maoFor(s, { arv, rent, rehab });
          const b = maoFor(s, { arv, rent, rehab: rehab + extra });
          expect(b.mao).toBeLessThan(a.mao);
          expect(a.mao - b.mao).toBeCloseTo(extra, 2);
          if (a.viable) expect(a.low).toBeLessThan(a.high);
        },
      ),
    );
  });

  it('grade is consistent with the score and monotone in it', () => {
    const rank = { A: 4, B: 3, C: 2, D: 1, F: 0 } as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (x, y) => {
        const g = gradeFor(x);
        const cutoff = GRADE_CUTOFFS.find(([min]) => x >= min);
        expect(g).toBe(cutoff ? cutoff[1] : 'F');
        if (x >= y) expect(rank[g]).toBeGreaterThanOrEqual(rank[gradeFor(y)]);
      }),
    );
    fc.assert(
      fc.property(
        strategy,
        fc.integer({ min: -100_000, max: 500_000 }),
        maybe(fc.integer({ min: -100_000, max: 200_000 })),
        maybe(fc.double({ min: -100, max: 100, noNaN: true })),
        maybe(fc.integer({ min: -2_000, max: 3_000 })),
        (s, max_offer, net_profit, pct, cf) => {
          const r = scoreStrategy({
            strategy: s,
            max_offer,
            net_profit,
            roi_percent: pct,
            monthly_cash_flow: cf,
            cap_rate: pct,
            cash_on_cash_return: pct,
          });
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(100);
          expect(r.grade).toBe(gradeFor(r.score));
        },
      ),
    );
  });

  it('the recommended strategy has the max score among positive offers', () => {
    fc.assert(
      fc.property(dealInput, (input) => {
        const d = calculateDeal(input);
        const viable = [d.wholesale, d.flip, d.rental, d.brrrr].filter((r) => r !== null && r.max_offer > 0);
        if (viable.length === 0) {
          expect(d.recommended_strategy).toBeNull();
          return;
        }
        const best = d[d.recommended_strategy ?? 'wholesale'];
        expect(best).not.toBeNull();
        expect(best!.max_offer).toBeGreaterThan(0);
        for (const r of viable) {
          expect(best!.score).toBeGreaterThanOrEqual(r!.score);
          if (r!.score === best!.score) expect(best!.net_profit ?? 0).toBeGreaterThanOrEqual(r!.net_profit ?? 0);
        }
      }),
    );
  });

  it('BRRRR exists exactly when the rent is known; every strategy grade matches its score', () => {
    fc.assert(
      fc.property(dealInput, (input) => {
        const d = calculateDeal(input);
        expect(d.brrrr === null).toBe(d.monthly_rent === null);
        for (const r of [d.wholesale, d.flip, d.rental, d.brrrr]) if (r) expect(r.grade).toBe(gradeFor(r.score));
      }),
    );
  });
});

describe('amortisation edge cases', () => {
  it('a rate too small to register is a zero-rate loan, not NaN', async () => {
    const { amortizedPayment } = await import('../../../src/domain/underwriting/math.ts');
    expect(amortizedPayment(120_000, 5e-324, 30)).toBeCloseTo(120_000 / 360, 6);
    expect(amortizedPayment(120_000, 1e-17, 30)).toBeCloseTo(120_000 / 360, 6);
  });
});
