import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { Contract } from '../contracts/contract.entity.ts';
import { NotFoundError } from '../errors.ts';
import { Property } from '../properties/property.entity.ts';
import { PROPERTY_TYPES } from '../properties/property.enums.ts';
import type { AgentScope } from '../shared/scope.ts';
import { US_STATE_CODES } from '../shared/us-states.ts';
import { FINANCING_TYPES, type ComplianceCheckResult } from './check.types.ts';
import { ComplianceCheck } from './compliance-check.entity.ts';
import { checkCompliance } from './engine.ts';
import { COMPLIANCE_RULES, RULE_SET_VERSION } from './rule-set.ts';
import type { ComplianceRule } from './rule.types.ts';

/** The reference's request shape; state and type override the property's own when given. */
export const ComplianceCheckRequestSchema = z.strictObject({
  property_id: z.number().int().positive(),
  state: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(US_STATE_CODES))
    .optional(),
  property_type: z.union([z.enum(PROPERTY_TYPES), z.literal('residential')]).optional(),
  transaction_type: z.enum(['sale', 'lease']).default('sale'),
  financing_type: z.enum(FINANCING_TYPES).optional(),
});
export type ComplianceCheckRequest = z.input<typeof ComplianceCheckRequestSchema>;

export type StoredComplianceCheck = ComplianceCheckResult & { check_id: number; checked_at: string };

export class ComplianceService {
  constructor(private readonly rules: readonly ComplianceRule[] = COMPLIANCE_RULES) {}

  get ruleSetVersion(): string {
    return RULE_SET_VERSION;
  }

  listRules(state?: string): readonly ComplianceRule[] {
    if (!state) return this.rules;
    const s = state.toUpperCase();
    return this.rules.filter((r) => r.jurisdiction.level === 'federal' || r.jurisdiction.state === s);
  }

  /** Checks a property against the rules (its contracts are the documents) and stores the result. */
  async check(scope: AgentScope, raw: ComplianceCheckRequest, trigger = 'manual'): Promise<StoredComplianceCheck> {
    const req = ComplianceCheckRequestSchema.parse(raw);
    const p = await scope.em.findOne(Property, { id: req.property_id, agent: scope.agentId });
    if (!p) throw new NotFoundError('Property', req.property_id);
    const contracts = await scope.em.find(Contract, { agent: scope.agentId, property: p.id });
    const result = checkCompliance(this.rules, {
      property: {
        id: p.id,
        state: req.state ?? p.state,
        city: p.city,
        // "residential" (the reference's wording) keeps the property's own dwelling type.
        property_type: req.property_type && req.property_type !== 'residential' ? req.property_type : p.propertyType,
        price: p.price ?? null,
        year_built: p.yearBuilt ?? null,
        description: p.description ?? null,
        bedrooms: p.bedrooms ?? null,
        bathrooms: p.bathrooms ?? null,
        square_feet: p.squareFeet ?? null,
        lot_size: p.lotSize ?? null,
        deal_type: p.dealType ?? null,
        financing_type: req.financing_type ?? null,
      },
      documents: contracts.map((c) => ({ name: c.name, type_key: c.templateKey ?? null, status: c.status })),
      transaction_type: req.transaction_type,
    });
    const row = scope.em.create(ComplianceCheck, {
      agent: scope.em.getReference(Agent, scope.agentId),
      propertyId: p.id,
      ruleSetVersion: result.rule_set_version,
      transactionType: req.transaction_type,
      status: result.status,
      compliant: result.compliant,
      violations: result.violations.length,
      warnings: result.warnings.length,
      reviewItems: result.needs_review.length,
      result: result as unknown as Record<string, unknown>,
      trigger,
    });
    await scope.em.flush();
    return { ...result, check_id: row.id, checked_at: row.createdAt.toISOString() };
  }

  async history(scope: AgentScope, propertyId: number, limit = 20) {
    const rows = await scope.em.find(
      ComplianceCheck,
      { agent: scope.agentId, propertyId },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit },
    );
    return rows.map((r) => ({
      check_id: r.id,
      status: r.status,
      compliant: r.compliant,
      violations: r.violations,
      warnings: r.warnings,
      review_items: r.reviewItems,
      rule_set_version: r.ruleSetVersion,
      trigger: r.trigger,
      checked_at: r.createdAt.toISOString(),
    }));
  }
}
