import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeDealScore,
  DEFAULT_DIMENSION_WEIGHTS,
  gradeFor,
  learnedWeights,
  type DealScoreFacts,
  type ScoredOutcome,
} from '../../../src/domain/intelligence/deal-score.ts';

const EMPTY_ENGAGEMENT = { historyRowsLast7Days: 0, notes: 0, activeTasks: 0, notificationsLast7Days: 0 };

/** Every signal present. */
const FULL: DealScoreFacts = {
  address: '12 Oak Ave',
  price: 400_000,
  squareFeet: 2_000,
  enrichment: {
    zestimate: 440_000,
    rentZestimate: 2_400,
    daysOnZillow: 45,
    priceHistory: [
      { price: 400_000, event: 'Price change' },
      { price: 999_999, event: 'Sold' }, // not a listing event: ignored
      { price: 420_000, event: 'Listed for sale' },
    ],
    schoolRatings: [6, 8, null],
    latestAssessedValue: 300_000,
  },
  contracts: [
    { required: true, status: 'completed' },
    { required: true, status: 'sent' },
    { required: false, status: 'draft' },
  ],
  contacts: [{ role: 'seller' }],
  skipTrace: { ownerName: 'Jane Doe', phoneCount: 1, emailCount: 0 },
  engagement: { historyRowsLast7Days: 3, notes: 2, activeTasks: 1, notificationsLast7Days: 6 },
};

describe('computeDealScore: hand-computed, every signal present', () => {
  const r = computeDealScore(FULL);

  it('scores the market dimension', () => {
    // spread 50 + 250×0.10 = 75; dom 45/90×100 = 50; trend 400k vs 420k: 50 − 250×(−0.047619) = 61.905;
    // schools avg 7 ×10 = 70; tax gap (400k − 300k)/400k ×333 = 83.25
    // (40×75 + 20×50 + 20×61.905 + 10×70 + 10×83.25) / 100 = 67.706 → 67.7
    expect(r.dimensions.market?.score).toBe(67.7);
    expect(r.dimensions.market?.signals).toEqual({
      zestimate_spread: 75,
      days_on_market: 50,
      price_trend: 61.9,
      school_quality: 70,
      tax_gap: 83.3,
    });
  });

  it('scores the financial dimension', () => {
    // upside 50 + 167×0.10 = 66.7; yield 28,800/400,000 = 7.2 % → 7.2/12×100 = 60; $/sqft 200 → (300−200)/2 = 50
    // (40×66.7 + 30×60 + 30×50)/100 = 59.68 → 59.7
    expect(r.dimensions.financial?.score).toBe(59.7);
  });

  it('scores readiness and engagement', () => {
    // contracts 1 of 2 required = 50; seller is a key role = 100; owner 40 + phone 30 = 70
    // (40×50 + 30×100 + 30×70)/100 = 71
    expect(r.dimensions.readiness?.score).toBe(71);
    // history 3×10 = 30; notes 2×20 = 40; tasks 1×25 = 25; notifications 6×20 = 120 → 100
    // (40×30 + 20×40 + 20×25 + 20×100)/100 = 45
    expect(r.dimensions.engagement?.score).toBe(45);
  });

  it('combines the dimensions with the default weights and grades the result', () => {
    // 0.30×67.7 + 0.25×59.7 + 0.25×71 + 0.20×45 = 20.31 + 14.925 + 17.75 + 9 = 61.985 → 62
    expect(r.score).toBe(62);
    expect(r.grade).toBe('B');
    expect(r.weights_source).toBe('default');
    expect(r.breakdown.weights_source).toBe('default');
    expect(r.breakdown.dimensions).toEqual({
      market: { score: 67.7, weight: 0.3 },
      financial: { score: 59.7, weight: 0.25 },
      readiness: { score: 71, weight: 0.25 },
      engagement: { score: 45, weight: 0.2 },
    });
    expect(Object.keys(r.breakdown.components)).toHaveLength(15);
    expect(r.breakdown.components.readiness_skip_trace_reachability).toBe(70);
    expect(r.breakdown.components.engagement_recent_notifications).toBe(100);
  });

  it('speaks the score, grade, strongest and weakest areas', () => {
    expect(r.voice_summary).toBe(
      'The property at 12 Oak Ave scores 62 out of 100, grade B. Strongest area: readiness at 71. Needs work: engagement at 45.',
    );
  });

  it('orders dated price history newest first whatever the input order', () => {
    const dated = computeDealScore({
      ...FULL,
      enrichment: {
        priceHistory: [
          { price: 420_000, event: 'Listed for sale', date: new Date('2025-01-01') },
          { price: 400_000, event: 'Price change', date: new Date('2025-03-01') },
        ],
      },
    });
    expect(dated.dimensions.market?.signals).toEqual({ price_trend: 61.9 });
  });
});

describe('computeDealScore: missing signals and dimensions are re-normalised', () => {
  it('uses only the signals present inside each dimension', () => {
    const r = computeDealScore({
      price: 500_000,
      enrichment: { zestimate: 550_000 },
      contracts: [],
      contacts: [{ role: 'buyer' }, { role: 'inspector' }],
      skipTrace: { ownerName: 'Unknown Owner', phoneCount: 2, emailCount: 1 },
      engagement: EMPTY_ENGAGEMENT,
    });
    // market: only spread 50 + 250×0.1 = 75; financial: only upside 50 + 16.7 = 66.7
    // readiness: no contracts → signal dropped; (30×100 + 30×60)/60 = 80 ("Unknown Owner" earns nothing)
    // engagement: 0 → 0.30×75 + 0.25×66.7 + 0.25×80 + 0.20×0 = 59.175 → 59.2
    expect(r.dimensions.market?.score).toBe(75);
    expect(r.dimensions.financial?.score).toBe(66.7);
    expect(r.dimensions.readiness?.score).toBe(80);
    expect(r.breakdown.components).not.toHaveProperty('readiness_contracts_completed');
    expect(r.score).toBe(59.2);
    expect(r.grade).toBe('C');
  });

  it('drops market and financial without enrichment, price per sqft or price', () => {
    const r = computeDealScore({
      price: null,
      enrichment: null,
      contracts: [],
      contacts: [],
      skipTrace: null,
      engagement: { ...EMPTY_ENGAGEMENT, historyRowsLast7Days: 5 },
    });
    // readiness (30×0 + 30×0)/60 = 0; engagement 40×50/100 = 20; (0.25×0 + 0.20×20)/0.45 = 8.89 → 8.9
    expect(Object.keys(r.dimensions)).toEqual(['readiness', 'engagement']);
    expect(r.dimensions.readiness?.effective_weight).toBe(0.556);
    expect(r.score).toBe(8.9);
    expect(r.grade).toBe('F');
    expect(r.voice_summary).toBe(
      'This property scores 8.9 out of 100, grade F. Strongest area: engagement at 20. Needs work: readiness at 0.',
    );
  });

  it('gives 30 for contracts when some exist but none is required, and 60 for contacts without a key role', () => {
    const r = computeDealScore({
      price: null,
      enrichment: null,
      contracts: [{ required: false, status: 'completed' }],
      contacts: [{ role: 'photographer' }],
      skipTrace: { ownerName: null, phoneCount: 0, emailCount: 1 },
      engagement: EMPTY_ENGAGEMENT,
    });
    // (40×30 + 30×60 + 30×30)/100 = 39
    expect(r.dimensions.readiness?.signals).toEqual({
      contracts_completed: 30,
      contact_coverage: 60,
      skip_trace_reachability: 30,
    });
    expect(r.dimensions.readiness?.score).toBe(39);
  });

  it('clamps signals to 0–100', () => {
    const r = computeDealScore({
      ...FULL,
      squareFeet: 100, // $4,000/sqft → negative → 0
      enrichment: { zestimate: 1_000_000, latestAssessedValue: 10 }, // spread +150 % → 100; tax gap ≈ 333 → 100
    });
    expect(r.dimensions.market?.signals).toEqual({ zestimate_spread: 100, tax_gap: 100 });
    expect(r.dimensions.financial?.signals).toEqual({ zestimate_upside: 100, price_per_sqft: 0 });
  });
});

describe('gradeFor boundaries', () => {
  it.each([
    [100, 'A'],
    [80, 'A'],
    [79.9, 'B'],
    [60, 'B'],
    [59.9, 'C'],
    [40, 'C'],
    [39.9, 'D'],
    [20, 'D'],
    [19.9, 'F'],
    [0, 'F'],
  ] as const)('%d → %s', (score, grade) => {
    expect(gradeFor(score)).toBe(grade);
  });
});

const scored = (
  propertyId: number,
  status: ScoredOutcome['status'],
  market: number,
  readiness: number,
): ScoredOutcome => ({
  propertyId,
  status,
  dimensionScores: { market, financial: 50, readiness, engagement: 40 },
});

describe('learnedWeights', () => {
  const outcomes: ScoredOutcome[] = [
    scored(1, 'closed_won', 80, 70),
    scored(2, 'closed_won', 60, 90),
    scored(3, 'closed_won', 70, 80),
    scored(4, 'closed_lost', 50, 40),
    scored(5, 'closed_lost', 50, 60),
    scored(6, 'withdrawn', 0, 0), // not a closed outcome
  ];

  it('blends 50 % default with 50 % gap share, normalised', () => {
    // gaps: market |70 − 50| = 20, financial 0, readiness |80 − 50| = 30, engagement 0; total 50
    // market 0.5×0.30 + 0.5×20/50 = 0.35; financial 0.125; readiness 0.125 + 0.5×30/50 = 0.425; engagement 0.10
    expect(learnedWeights(outcomes)).toEqual({
      weights: { market: 0.35, financial: 0.125, readiness: 0.425, engagement: 0.1 },
      source: 'learned',
    });
  });

  it('feeds computeDealScore, which reports the learned source', () => {
    const r = computeDealScore(FULL, learnedWeights(outcomes));
    // 0.35×67.7 + 0.125×59.7 + 0.425×71 + 0.10×45 = 23.695 + 7.4625 + 30.175 + 4.5 = 65.83 → 65.8
    expect(r.score).toBe(65.8);
    expect(r.weights_source).toBe('learned');
    expect(r.breakdown.weights_source).toBe('learned');
  });

  it('keeps the defaults with fewer than 5 closed outcomes', () => {
    expect(learnedWeights(outcomes.slice(0, 4))).toEqual({ weights: DEFAULT_DIMENSION_WEIGHTS, source: 'default' });
  });

  it('keeps the defaults with fewer than 2 scored properties on a side', () => {
    const oneLostScored = outcomes.map((o) => (o.propertyId === 5 ? { ...o, dimensionScores: null } : o));
    expect(learnedWeights(oneLostScored).source).toBe('default');
    const sameProperty = [...outcomes.slice(0, 4), { ...outcomes[3]!, propertyId: 4 }];
    expect(learnedWeights(sameProperty).source).toBe('default');
  });

  it('keeps the defaults when the total gap is below 1.0', () => {
    const close = [
      scored(1, 'closed_won', 50.9, 50),
      scored(2, 'closed_won', 50.9, 50),
      scored(3, 'closed_won', 50.9, 50),
      scored(4, 'closed_lost', 50, 50),
      scored(5, 'closed_lost', 50, 50),
    ];
    expect(learnedWeights(close).source).toBe('default');
    const justEnough = close.map((o) => (o.status === 'closed_won' ? scored(o.propertyId, o.status, 51, 50) : o));
    expect(learnedWeights(justEnough).source).toBe('learned');
  });
});

const arbFacts: fc.Arbitrary<DealScoreFacts> = fc.record({
  price: fc.option(fc.double({ min: -1e6, max: 1e7, noNaN: true })),
  squareFeet: fc.option(fc.double({ min: -10, max: 20_000, noNaN: true })),
  enrichment: fc.option(
    fc.record({
      zestimate: fc.option(fc.double({ min: -1e6, max: 1e8, noNaN: true })),
      rentZestimate: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
      daysOnZillow: fc.option(fc.integer({ min: -5, max: 2000 })),
      priceHistory: fc.array(fc.record({ price: fc.option(fc.double({ min: 0, max: 1e8, noNaN: true })) })),
      schoolRatings: fc.array(fc.option(fc.double({ min: 0, max: 10, noNaN: true }))),
      latestAssessedValue: fc.option(fc.double({ min: 0, max: 1e8, noNaN: true })),
    }),
  ),
  contracts: fc.array(
    fc.record({ required: fc.boolean(), status: fc.constantFrom('draft', 'sent', 'completed', 'cancelled' as const) }),
  ),
  contacts: fc.array(fc.record({ role: fc.constantFrom('buyer', 'other', 'stager' as const) })),
  skipTrace: fc.option(fc.record({ ownerName: fc.option(fc.string()), phoneCount: fc.nat(5), emailCount: fc.nat(5) })),
  engagement: fc.record({
    historyRowsLast7Days: fc.nat(50),
    notes: fc.nat(50),
    activeTasks: fc.nat(50),
    notificationsLast7Days: fc.nat(50),
  }),
});

describe('deal score properties', () => {
  it('is always within 0–100 with a grade that matches the score', () => {
    fc.assert(
      fc.property(arbFacts, (facts) => {
        const r = computeDealScore(facts);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.grade).toBe(gradeFor(r.score));
        for (const v of Object.values(r.breakdown.components)) expect(v >= 0 && v <= 100).toBe(true);
      }),
    );
  });
});
