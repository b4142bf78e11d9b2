import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';

/** Every compliance check is stored with the rule-set version it ran against. */
export const ComplianceCheck = defineEntity({
  name: 'ComplianceCheck',
  tableName: 'compliance_checks',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    propertyId: p.integer(),
    ruleSetVersion: p.string().length(40),
    transactionType: p.string().length(10),
    status: p.enum(['passed', 'needs_review', 'failed'] as const),
    compliant: p.boolean(),
    violations: p.integer(),
    warnings: p.integer(),
    reviewItems: p.integer(),
    result: p.json<Record<string, unknown>>(),
    trigger: p.string().length(40).default('manual'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'compliance_checks_property_idx', properties: ['agent', 'propertyId', 'createdAt'] }],
});
export type IComplianceCheck = InferEntity<typeof ComplianceCheck>;
