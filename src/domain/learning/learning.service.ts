import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import {
  calibrateClosingModel,
  type ClosingModel,
  type ClosingPrediction,
} from '../intelligence/closing-probability.ts';
import { learnedWeights, type DimensionWeighting } from '../intelligence/deal-score.ts';
import { predictionAccuracy, type PredictionAccuracy } from '../intelligence/learning.ts';
import { OUTCOME_STATUSES, type OutcomeStatus } from '../intelligence/shared.ts';
import { ownPropertyRef } from '../properties/ownership.ts';
import { Property } from '../properties/property.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import { DealOutcome, PredictionLog } from './learning.entity.ts';

export const OutcomeInputSchema = z.strictObject({
  status: z.enum(OUTCOME_STATUSES),
  final_price: z.number().finite().positive().max(10_000_000_000).nullable().optional(),
  days_to_close: z.number().int().min(0).max(3650).nullable().optional(),
  lessons: z.string().max(5_000).nullable().optional(),
});

const actualValue = (s: OutcomeStatus): number | null =>
  s === 'closed_won' ? 1 : s === 'closed_lost' || s === 'withdrawn' ? 0 : null;

/** The learning loop: outcomes, logged predictions, accuracy, learned weights and calibration. */
export class LearningService {
  async recordOutcome(scope: AgentScope, propertyId: number, raw: z.input<typeof OutcomeInputSchema>) {
    const input = OutcomeInputSchema.parse(raw);
    await ownPropertyRef(scope, propertyId);
    const property = await scope.em.findOneOrFail(Property, { id: propertyId, agent: scope.agentId });
    const dims =
      (property.scoreBreakdown as { dimensions?: Record<string, { score: number }> } | null)?.dimensions ?? null;
    const outcome = scope.em.create(DealOutcome, {
      agent: scope.em.getReference(Agent, scope.agentId),
      propertyId,
      status: input.status,
      finalPrice: input.final_price ?? null,
      daysToClose: input.days_to_close ?? null,
      dimensionScores: dims ? Object.fromEntries(Object.entries(dims).map(([k, v]) => [k, v.score])) : null,
      dealScore: property.dealScore ?? null,
      lessons: input.lessons ?? null,
    });
    // Close the loop on every prediction made for this property.
    const actual = actualValue(input.status);
    const logs = await scope.em.find(PredictionLog, { agent: scope.agentId, propertyId });
    for (const log of logs) {
      log.actualOutcome = input.status;
      log.error = actual === null ? null : Math.round(Math.abs(log.probability - actual) * 1000) / 1000;
      log.directionCorrect = actual === null ? null : log.probability >= 0.5 === (actual === 1);
    }
    await scope.em.flush();
    return {
      id: outcome.id,
      property_id: propertyId,
      status: outcome.status,
      final_price: outcome.finalPrice ?? null,
      days_to_close: outcome.daysToClose ?? null,
      predictions_resolved: logs.length,
    };
  }

  async logPrediction(
    scope: AgentScope,
    p: ClosingPrediction,
    features: { dealScore: number | null; completionRate: number | null; activityLast7Days: number },
  ) {
    if (p.property_id === null) return;
    scope.em.create(PredictionLog, {
      agent: scope.em.getReference(Agent, scope.agentId),
      propertyId: p.property_id,
      probability: p.closing_probability,
      confidence: p.confidence,
      daysToClose: p.days_to_close,
      dealScore: features.dealScore,
      completionRate: features.completionRate,
      activityLast7Days: features.activityLast7Days,
    });
    await scope.em.flush();
  }

  async accuracy(scope: AgentScope): Promise<PredictionAccuracy> {
    const logs = await scope.em.find(
      PredictionLog,
      { agent: scope.agentId },
      { limit: 5_000, orderBy: { createdAt: 'desc' } },
    );
    return predictionAccuracy(
      logs.map((l) => ({
        probability: l.probability,
        confidence: l.confidence,
        actualOutcome: l.actualOutcome ?? null,
      })),
    );
  }

  /** Deal-score dimension weights learned from outcomes (defaults until there is enough history). */
  async dealWeights(scope: AgentScope): Promise<DimensionWeighting> {
    const outcomes = await scope.em.find(
      DealOutcome,
      { agent: scope.agentId },
      { limit: 2_000, orderBy: { createdAt: 'desc' } },
    );
    return learnedWeights(
      outcomes.map((o) => ({ propertyId: o.propertyId, status: o.status, dimensionScores: o.dimensionScores ?? null })),
    );
  }

  /** The closing model calibrated on this agent's outcomes and predictions. */
  async closingModel(scope: AgentScope): Promise<ClosingModel> {
    const [outcomes, logs] = await Promise.all([
      scope.em.find(DealOutcome, { agent: scope.agentId }, { fields: ['status'], limit: 2_000 }),
      scope.em.find(PredictionLog, { agent: scope.agentId }, { limit: 5_000 }),
    ]);
    const { gaps: _gaps, ...model } = calibrateClosingModel({
      outcomes: outcomes.map((o) => ({ status: o.status })),
      predictions: logs.map((l) => ({
        dealScore: l.dealScore ?? null,
        completionRate: l.completionRate ?? null,
        activityLast7Days: l.activityLast7Days ?? null,
        actualOutcome: l.actualOutcome ?? null,
      })),
    });
    return model;
  }
}
