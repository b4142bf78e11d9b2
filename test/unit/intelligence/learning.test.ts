import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  outcomeValue,
  predictionAccuracy,
  predictionError,
  type PredictionRecord,
} from '../../../src/domain/intelligence/learning.ts';
import { OUTCOME_STATUSES } from '../../../src/domain/intelligence/shared.ts';

const LOGS: PredictionRecord[] = [
  { probability: 0.8, actualOutcome: 'closed_won', confidence: 'high' },
  { probability: 0.3, actualOutcome: 'closed_lost', confidence: 'high' },
  { probability: 0.6, actualOutcome: 'closed_lost', confidence: 'medium' },
  { probability: 0.5, actualOutcome: 'closed_won', confidence: 'low' },
  { probability: 0.4, actualOutcome: 'withdrawn' },
  { probability: 0.9, actualOutcome: null, confidence: 'high' },
  { probability: 0.7, actualOutcome: 'active' },
];

describe('predictionAccuracy', () => {
  it('computes MAE and directional accuracy over predictions with a final outcome', () => {
    const a = predictionAccuracy(LOGS);
    // resolved: |0.8−1| 0.2, |0.3−0| 0.3, |0.6−0| 0.6, |0.5−1| 0.5, |0.4−0| 0.4 → 2.0/5 = 0.4
    // direction: 0.8 won ✓, 0.3 lost ✓, 0.6 lost ✗, 0.5 won ✓ (≥ 0.5 predicts a win), 0.4 withdrawn ✓ → 4/5
    expect(a.total_predictions).toBe(7);
    expect(a.predictions_with_outcomes).toBe(5);
    expect(a.mean_absolute_error).toBe(0.4);
    expect(a.directional_accuracy).toBe(0.8);
    expect(a.by_confidence).toEqual({
      high: { count: 2, mean_absolute_error: 0.25, directional_accuracy: 1 },
      medium: { count: 1, mean_absolute_error: 0.6, directional_accuracy: 0 },
      low: { count: 1, mean_absolute_error: 0.5, directional_accuracy: 1 },
    });
    expect(a.voice_summary).toBe(
      'Across 5 predictions with outcomes, the closing forecast called the direction right 80% of the time, with an average error of 40 percentage points.',
    );
  });

  it('handles an empty history and one without outcomes', () => {
    for (const logs of [[], [{ probability: 0.5, actualOutcome: null }]]) {
      const a = predictionAccuracy(logs);
      expect(a).toMatchObject({ mean_absolute_error: null, directional_accuracy: null, by_confidence: {} });
      expect(a.predictions_with_outcomes).toBe(0);
      expect(a.voice_summary).toBe('No predictions have recorded outcomes yet, so accuracy cannot be measured.');
    }
  });

  it('is perfect for confident, correct predictions', () => {
    const a = predictionAccuracy([
      { probability: 1, actualOutcome: 'closed_won' },
      { probability: 0, actualOutcome: 'closed_lost' },
    ]);
    expect([a.mean_absolute_error, a.directional_accuracy]).toEqual([0, 1]);
  });
});

describe('predictionError', () => {
  it.each([
    [0.5, 'closed_won', -0.5, true],
    [0.5, 'closed_lost', 0.5, false],
    [0.49, 'closed_lost', 0.49, true],
    [0.7, 'closed_won', -0.3, true],
  ] as const)('%d vs %s → error %d, direction %s', (p, outcome, error, right) => {
    expect(predictionError(p, outcome)).toEqual({ probability_error: error, was_correct_direction: right });
  });

  it('is null while the deal is open', () => {
    expect(predictionError(0.7, 'active')).toBeNull();
    expect(predictionError(0.7, 'stalled')).toBeNull();
    expect(predictionError(0.7, null)).toBeNull();
    expect(outcomeValue('withdrawn')).toBe(0);
  });
});

describe('accuracy properties', () => {
  it('keeps MAE and directional accuracy within 0–1', () => {
    const rec = fc.record({
      probability: fc.double({ min: 0, max: 1, noNaN: true }),
      actualOutcome: fc.option(fc.constantFrom(...OUTCOME_STATUSES)),
    });
    fc.assert(
      fc.property(fc.array(rec), (logs) => {
        const a = predictionAccuracy(logs);
        if (a.predictions_with_outcomes === 0) {
          expect(a.mean_absolute_error).toBeNull();
          return;
        }
        expect(a.mean_absolute_error!).toBeGreaterThanOrEqual(0);
        expect(a.mean_absolute_error!).toBeLessThanOrEqual(1);
        expect(a.directional_accuracy!).toBeGreaterThanOrEqual(0);
        expect(a.directional_accuracy!).toBeLessThanOrEqual(1);
      }),
    );
  });
});
