import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { OUTCOME_STATUSES } from '../intelligence/shared.ts';

const double = () => p.double().runtimeType('number').$type<number>();

/** How a deal ended, with the scores it had, for learned weights and calibration (reference §2.7). */
export const DealOutcome = defineEntity({
  name: 'DealOutcome',
  tableName: 'deal_outcomes',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    propertyId: p.integer(),
    status: p.enum(OUTCOME_STATUSES),
    finalPrice: double().nullable(),
    daysToClose: p.integer().nullable(),
    /** Dimension scores of the deal score when the outcome was recorded. */
    dimensionScores: p.json<Record<string, number>>().nullable(),
    dealScore: double().nullable(),
    lessons: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'deal_outcomes_agent_idx', properties: ['agent', 'propertyId'] }],
});
export type IDealOutcome = InferEntity<typeof DealOutcome>;

/** Every closing prediction, later joined with the actual outcome. */
export const PredictionLog = defineEntity({
  name: 'PredictionLog',
  tableName: 'prediction_logs',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    propertyId: p.integer(),
    probability: double(),
    confidence: p.enum(['high', 'medium', 'low'] as const),
    daysToClose: p.integer().nullable(),
    dealScore: double().nullable(),
    completionRate: double().nullable(),
    activityLast7Days: p.integer().nullable(),
    actualOutcome: p.enum(OUTCOME_STATUSES).nullable(),
    error: double().nullable(),
    directionCorrect: p.boolean().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'prediction_logs_agent_idx', properties: ['agent', 'propertyId', 'createdAt'] }],
});
export type IPredictionLog = InferEntity<typeof PredictionLog>;
