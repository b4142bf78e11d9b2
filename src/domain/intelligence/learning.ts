/**
 * Learning loop (reference §2.7): accuracy of logged closing predictions against recorded outcomes —
 * mean absolute error of the probability (won = 1, lost = 0) and directional accuracy
 * (probability ≥ 0.5 predicts a win).
 */
import { round3, type Confidence, type OutcomeStatus } from './shared.ts';

export interface PredictionRecord {
  probability: number;
  confidence?: Confidence | null;
  /** Null (or active/stalled) while the deal is still open. */
  actualOutcome: OutcomeStatus | null;
}

export interface AccuracyBucket {
  count: number;
  mean_absolute_error: number;
  directional_accuracy: number;
}

export interface PredictionAccuracy {
  total_predictions: number;
  predictions_with_outcomes: number;
  /** Null when no prediction has an outcome. */
  mean_absolute_error: number | null;
  /** Share (0–1) of predictions on the right side of 0.5; null when none has an outcome. */
  directional_accuracy: number | null;
  by_confidence: Partial<Record<Confidence, AccuracyBucket>>;
  voice_summary: string;
}

export const DIRECTION_THRESHOLD = 0.5;

/** Actual value of a final outcome: won 1; lost or withdrawn 0; null while open (active, stalled, unknown). */
export function outcomeValue(outcome: OutcomeStatus | null): 1 | 0 | null {
  if (outcome === 'closed_won') return 1;
  if (outcome === 'closed_lost' || outcome === 'withdrawn') return 0;
  return null;
}

/** Signed error and direction of one prediction, as back-filled on a prediction log; null while open. */
export function predictionError(
  probability: number,
  outcome: OutcomeStatus | null,
): { probability_error: number; was_correct_direction: boolean } | null {
  const actual = outcomeValue(outcome);
  if (actual === null) return null;
  return {
    probability_error: round3(probability - actual),
    was_correct_direction: probability >= DIRECTION_THRESHOLD === (actual === 1),
  };
}

function bucket(rows: readonly { probability: number; actual: 0 | 1 }[]): AccuracyBucket {
  const abs = rows.reduce((s, r) => s + Math.abs(r.probability - r.actual), 0);
  const right = rows.filter((r) => r.probability >= DIRECTION_THRESHOLD === (r.actual === 1)).length;
  return {
    count: rows.length,
    mean_absolute_error: round3(abs / rows.length),
    directional_accuracy: round3(right / rows.length),
  };
}

/** Accuracy over logged predictions that have a final outcome; handles an empty history. */
export function predictionAccuracy(predictions: readonly PredictionRecord[]): PredictionAccuracy {
  const rows = predictions.flatMap((p) => {
    const actual = outcomeValue(p.actualOutcome);
    return actual === null || !Number.isFinite(p.probability)
      ? []
      : [{ probability: p.probability, actual, confidence: p.confidence ?? null }];
  });
  if (rows.length === 0) {
    return {
      total_predictions: predictions.length,
      predictions_with_outcomes: 0,
      mean_absolute_error: null,
      directional_accuracy: null,
      by_confidence: {},
      voice_summary: 'No predictions have recorded outcomes yet, so accuracy cannot be measured.',
    };
  }
  const all = bucket(rows);
  const byConfidence: Partial<Record<Confidence, AccuracyBucket>> = {};
  for (const c of ['high', 'medium', 'low'] as const) {
    const xs = rows.filter((r) => r.confidence === c);
    if (xs.length > 0) byConfidence[c] = bucket(xs);
  }
  return {
    total_predictions: predictions.length,
    predictions_with_outcomes: rows.length,
    mean_absolute_error: all.mean_absolute_error,
    directional_accuracy: all.directional_accuracy,
    by_confidence: byConfidence,
    voice_summary: `Across ${rows.length} ${rows.length === 1 ? 'prediction' : 'predictions'} with outcomes, the closing forecast called the direction right ${Math.round(all.directional_accuracy * 100)}% of the time, with an average error of ${Math.round(all.mean_absolute_error * 100)} percentage points.`,
  };
}
