import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchClosingRisk,
  calibrateClosingModel,
  confidenceFor,
  DEFAULT_CLOSING_MODEL,
  predictClosing,
  riskLevel,
  type ClosingFacts,
  type LoggedPrediction,
} from '../../../src/domain/intelligence/closing-probability.ts';
import { PROPERTY_STAGES } from '../../../src/domain/properties/property.enums.ts';

/** A well-worked property. */
const STRONG: ClosingFacts = {
  propertyId: 5,
  address: '5 Elm St',
  status: 'researched',
  price: 500_000,
  dealScore: 70,
  enrichment: { zestimate: 560_000 },
  contracts: { total: 4, required: 3, completed: 2 },
  contactRoles: ['buyer'],
  skipTrace: { hasPhone: true, hasEmail: true },
  activity: { last7Days: 4, previous7Days: 2 },
  offers: [{ status: 'submitted' }],
};

/** Nothing done yet. */
const BARE: ClosingFacts = {
  status: 'new_property',
  price: 400_000,
  dealScore: null,
  enrichment: null,
  contracts: { total: 0, required: 0, completed: 0 },
  contactRoles: ['inspector'],
  skipTrace: null,
  activity: { last7Days: 0, previous7Days: 0 },
  offers: [{ status: 'rejected' }, { status: 'rejected' }, { status: 'rejected' }],
};

describe('predictClosing: hand-computed', () => {
  it('scores a strong property', () => {
    const p = predictClosing(STRONG);
    // 50 + deal (0.70 − 0.5)×35 = 7 + contracts (2/4 − 0.5)×25 = 0 + key contact 7.5 + phone & email 5
    //    + accelerating (4 > 1.5×2) 5 + Zestimate spread 12 % > 10 % 2.5 + active offer 5 = 82
    expect(p.contributions).toEqual({
      deal_score: 7,
      contracts: 0,
      contacts: 7.5,
      skip_trace: 5,
      activity: 5,
      enrichment: 2.5,
      offers: 5,
    });
    expect(p.score).toBe(82);
    expect(p.closing_probability).toBe(0.82);
    expect(p.data_completeness).toBe(100);
    expect(p.confidence).toBe('high');
    expect(p.days_to_close).toBe(25);
    expect(p.risk_level).toBe('low');
    expect(p.recommended_actions.map((r) => r.action)).toEqual(['check_property_contract_readiness']);
    expect(p.voice_summary).toBe(
      'The property at 5 Elm St has an estimated 82% chance of closing, with high confidence. Strengths: Key stakeholders identified, Owner phone and email available. Next step: check property contract readiness, because the deal looks good, verify it is ready to close.',
    );
  });

  it('scores a bare property and recommends every missing step with its lift', () => {
    const p = predictClosing(BARE);
    // 50 − contacts 7.5 − skip trace 5 − stagnant 5 − no Zestimate 2.5 − 3 rejected offers 5 = 25
    expect(p.closing_probability).toBe(0.25);
    expect(p.confidence).toBe('low');
    expect(p.days_to_close).toBe(45);
    expect(p.risk_level).toBe('high');
    expect(p.recommended_actions.map((r) => [r.action, r.expected_impact, r.expected_lift])).toEqual([
      ['enrich_property', '+10-15% closing probability', { min: 0.1, max: 0.15 }],
      ['skip_trace_property', '+20% closing probability', { min: 0.2, max: 0.2 }],
      ['attach_required_contracts', '+15% closing probability', { min: 0.15, max: 0.15 }],
      ['add_contact', '+25% closing probability', { min: 0.25, max: 0.25 }],
      ['make_property_phone_call', '+10% closing probability', { min: 0.1, max: 0.1 }],
    ]);
  });

  it('handles properties with offers (the seed raised here): active wins over rejected', () => {
    const both = predictClosing({
      ...BARE,
      offers: [...BARE.offers, { status: 'countered' }, { status: 'draft' }],
    });
    expect(both.contributions.offers).toBe(5);
    const twoRejected = predictClosing({ ...BARE, offers: BARE.offers.slice(1) });
    expect(twoRejected.contributions).not.toHaveProperty('offers');
    const drafts = predictClosing({ ...BARE, offers: [{ status: 'draft' }, { status: 'accepted' }] });
    expect(drafts.contributions).not.toHaveProperty('offers');
  });

  it('counts contracts only when some are required, over all contracts', () => {
    const p = predictClosing({ ...STRONG, contracts: { total: 5, required: 2, completed: 1 } });
    expect(p.contributions.contracts).toBe(-7.5); // (1/5 − 0.5)×25
    const none = predictClosing({ ...STRONG, contracts: { total: 2, required: 0, completed: 2 } });
    expect(none.contributions).not.toHaveProperty('contracts');
  });

  it('applies the signal thresholds exactly', () => {
    const at = (over: Partial<ClosingFacts>) => predictClosing({ ...STRONG, ...over }).contributions;
    expect(at({ activity: { last7Days: 3, previous7Days: 2 } })).not.toHaveProperty('activity'); // 3 is not > 3
    expect(at({ activity: { last7Days: 1, previous7Days: 0 } }).activity).toBe(5);
    expect(at({ enrichment: { zestimate: 550_000 } })).not.toHaveProperty('enrichment'); // spread exactly 10 %
    expect(at({ enrichment: { zestimate: 550_001 } }).enrichment).toBe(2.5);
    expect(at({ enrichment: { zestimate: null } }).enrichment).toBe(-2.5);
    expect(at({ skipTrace: { hasPhone: true, hasEmail: false } })).not.toHaveProperty('skip_trace');
    expect(at({ dealScore: 0 }).deal_score).toBe(-17.5);
    expect(at({ dealScore: 100 }).deal_score).toBe(17.5);
  });

  it('estimates days to close by stage', () => {
    const days = (status: ClosingFacts['status'], total: number, completed: number): number =>
      predictClosing({ ...STRONG, status, contracts: { total, required: total, completed } }).days_to_close;
    expect(days('new_property', 1, 0)).toBe(45);
    expect(days('enriched', 1, 0)).toBe(35);
    expect(days('researched', 1, 0)).toBe(25);
    expect(days('waiting_for_contracts', 4, 3)).toBe(5); // 0.25 × 20
    expect(days('waiting_for_contracts', 3, 1)).toBe(13); // floor(0.667 × 20)
    expect(days('waiting_for_contracts', 0, 0)).toBe(20);
    expect(days('complete', 2, 2)).toBe(0);
  });
});

describe('confidence and risk boundaries', () => {
  it.each([
    [100, 'high'],
    [75, 'high'],
    [74, 'medium'],
    [50, 'medium'],
    [49, 'low'],
  ] as const)('completeness %d → %s', (c, level) => {
    expect(confidenceFor(c)).toBe(level);
  });

  it('derives completeness from the data present', () => {
    const p = predictClosing({ ...BARE, dealScore: 40, contracts: { total: 1, required: 0, completed: 0 } });
    expect(p.data_completeness).toBe(55);
    expect(p.confidence).toBe('medium');
    expect(predictClosing({ ...BARE, enrichment: { zestimate: null } }).data_completeness).toBe(25);
  });

  it.each([
    [0.39, 'high'],
    [0.4, 'medium'],
    [0.69, 'medium'],
    [0.7, 'low'],
  ] as const)('probability %d → %s risk', (p, level) => {
    expect(riskLevel(p)).toBe(level);
  });
});

const won = (dealScore: number, completionRate: number, activity: number): LoggedPrediction => ({
  dealScore,
  completionRate,
  activityLast7Days: activity,
  actualOutcome: 'closed_won',
});
const lost = (dealScore: number, completionRate: number, activity: number): LoggedPrediction => ({
  ...won(dealScore, completionRate, activity),
  actualOutcome: 'closed_lost',
});
const OUTCOMES = [
  { status: 'closed_won' as const },
  { status: 'closed_won' as const },
  { status: 'closed_won' as const },
  { status: 'closed_lost' as const },
  { status: 'closed_lost' as const },
  { status: 'stalled' as const },
];
const PREDICTIONS = [won(80, 90, 6), won(70, 70, 4), won(75, 80, 5), lost(40, 30, 1), lost(50, 50, 1)];

describe('calibrateClosingModel', () => {
  it('shifts weights by the won/lost gaps and uses the win rate as base', () => {
    const m = calibrateClosingModel({ outcomes: OUTCOMES, predictions: PREDICTIONS });
    // gaps: deal score 75 − 45 = 30 > 20 → 45; completion 80 − 40 = 40 > 30 → 35; activity 5 − 1 = 4 > 3 → 20
    // win rate 3/5 = 0.6 → base 60 (the stalled outcome is not closed)
    expect(m).toEqual({
      base: 60,
      weights: { dealScore: 45, contracts: 35, contacts: 15, skipTrace: 10, activity: 20, enrichment: 5 },
      source: 'calibrated',
      win_rate: 0.6,
      gaps: { dealScore: 30, contracts: 40, activity: 4 },
    });
    // 60 + 0.2×45 + 0 + 7.5 + 5 + 20/2 + 2.5 + 5 = 99
    const p = predictClosing(STRONG, m);
    expect(p.closing_probability).toBe(0.99);
    expect(p.model_source).toBe('calibrated');
  });

  it('lowers the deal-score weight when it does not separate wins from losses', () => {
    const flat = [won(60, 50, 2), won(60, 50, 2), won(62, 50, 2), lost(58, 50, 2), lost(60, 50, 2)];
    const m = calibrateClosingModel({ outcomes: OUTCOMES, predictions: flat });
    // deal gap 60.67 − 59 = 1.67 < 5 → 25; contracts gap 0 → 25; activity gap 0 → 10
    expect(m.weights).toEqual({
      dealScore: 25,
      contracts: 25,
      contacts: 15,
      skipTrace: 10,
      activity: 10,
      enrichment: 5,
    });
    const mid = [won(70, 50, 2), won(70, 50, 2), won(70, 50, 2), lost(50, 50, 2), lost(50, 50, 2)];
    expect(calibrateClosingModel({ outcomes: OUTCOMES, predictions: mid }).weights.dealScore).toBe(35); // gap 20
  });

  it('needs 5 closed outcomes and 5 predictions with closed outcomes', () => {
    expect(calibrateClosingModel({ outcomes: OUTCOMES.slice(1), predictions: PREDICTIONS }).source).toBe('default');
    const open = PREDICTIONS.map((p, i) => (i === 0 ? { ...p, actualOutcome: null } : p));
    const m = calibrateClosingModel({ outcomes: OUTCOMES, predictions: open });
    expect(m.source).toBe('default');
    expect(m.base).toBe(50);
    expect(m.weights).toEqual(DEFAULT_CLOSING_MODEL.weights);
  });

  it('keeps a default weight when a feature is missing on one side', () => {
    const noLostScores = PREDICTIONS.map((p) => (p.actualOutcome === 'closed_lost' ? { ...p, dealScore: null } : p));
    const m = calibrateClosingModel({ outcomes: OUTCOMES, predictions: noLostScores });
    expect(m.gaps.dealScore).toBeNull();
    expect(m.weights.dealScore).toBe(35);
  });
});

describe('batchClosingRisk', () => {
  it('sorts riskiest first and buckets at 0.4 / 0.7', () => {
    const b = batchClosingRisk([
      { property_id: 1, address: 'A', closing_probability: 0.7 },
      { property_id: 2, address: 'B', closing_probability: 0.39 },
      { property_id: 3, address: 'C', closing_probability: 0.4 },
      { property_id: 4, address: 'D', closing_probability: 0.69 },
    ]);
    expect(b.predictions.map((p) => [p.property_id, p.risk_level])).toEqual([
      [2, 'high'],
      [3, 'medium'],
      [4, 'medium'],
      [1, 'low'],
    ]);
    expect([b.high_risk_count, b.medium_risk_count, b.low_risk_count]).toEqual([1, 2, 1]);
    expect(b.high_priority_properties.map((p) => p.property_id)).toEqual([2]);
    expect(b.voice_summary).toBe(
      'Analyzed 4 properties: 1 high-risk, 2 medium-risk, 1 low-risk. Focus on the high-risk property first.',
    );
  });

  it('handles an empty batch', () => {
    expect(batchClosingRisk([]).voice_summary).toBe('There are no active properties to analyze.');
  });
});

const arbFacts: fc.Arbitrary<ClosingFacts> = fc.record({
  status: fc.constantFrom(...PROPERTY_STAGES),
  price: fc.option(fc.double({ min: 0, max: 1e7, noNaN: true })),
  dealScore: fc.option(fc.double({ min: 0, max: 100, noNaN: true })),
  enrichment: fc.option(fc.record({ zestimate: fc.option(fc.double({ min: 0, max: 1e7, noNaN: true })) })),
  contracts: fc
    .tuple(fc.nat(10), fc.nat(10), fc.nat(10))
    .map(([total, a, b]) => ({ total, required: Math.min(a, total), completed: Math.min(b, total) })),
  contactRoles: fc.array(fc.constantFrom('buyer', 'seller', 'other', 'stager' as const)),
  skipTrace: fc.option(fc.record({ hasPhone: fc.boolean(), hasEmail: fc.boolean() })),
  activity: fc.record({ last7Days: fc.nat(30), previous7Days: fc.nat(30) }),
  offers: fc.array(fc.record({ status: fc.constantFrom('draft', 'submitted', 'countered', 'rejected' as const) })),
});

describe('closing probability properties', () => {
  it('stays within 0–1 for any facts and any calibrated base', () => {
    fc.assert(
      fc.property(arbFacts, fc.double({ min: 0, max: 100, noNaN: true }), (facts, base) => {
        const p = predictClosing(facts, { ...DEFAULT_CLOSING_MODEL, base });
        expect(p.closing_probability).toBeGreaterThanOrEqual(0);
        expect(p.closing_probability).toBeLessThanOrEqual(1);
        expect(p.risk_level).toBe(riskLevel(p.closing_probability));
        expect(p.days_to_close).toBeGreaterThanOrEqual(0);
        expect(p.days_to_close).toBeLessThanOrEqual(45);
      }),
    );
  });
});
