import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { ownPropertyRef } from '../properties/ownership.ts';
import type { StageFactsSource } from '../properties/stage-facts.ts';
import { toE164 } from '../shared/phone.ts';
import type { AgentScope } from '../shared/scope.ts';
import { PropertyEnrichment, SkipTrace, type IPropertyEnrichment, type ISkipTrace } from './research.entity.ts';

const money = z.number().finite().nonnegative().max(10_000_000_000);

export const EnrichmentInputSchema = z.strictObject({
  source: z.string().trim().min(1).max(40).default('manual'),
  zestimate: money.nullable().optional(),
  zestimate_low: money.nullable().optional(),
  zestimate_high: money.nullable().optional(),
  rent_zestimate: money.nullable().optional(),
  living_area: z.number().int().min(1).max(10_000_000).nullable().optional(),
  days_on_market: z.number().int().min(0).max(100_000).nullable().optional(),
  tax_assessed_value: money.nullable().optional(),
  tax_amount: money.nullable().optional(),
  school_rating: z.number().min(0).max(10).nullable().optional(),
  price_history: z
    .array(z.strictObject({ date: z.iso.date(), price: money, event: z.string().max(40) }))
    .max(200)
    .nullable()
    .optional(),
});
export type EnrichmentInput = z.input<typeof EnrichmentInputSchema>;

export const SkipTraceInputSchema = z.strictObject({
  source: z.string().trim().min(1).max(40).default('manual'),
  owner_name: z.string().trim().max(200).nullable().optional(),
  phones: z
    .array(
      z.strictObject({
        number: z.string().max(40),
        type: z.string().max(20).optional(),
        status: z.string().max(20).optional(),
      }),
    )
    .max(20)
    .default([]),
  emails: z.array(z.email().max(320)).max(20).default([]),
  mailing_address: z.string().trim().max(300).nullable().optional(),
});
export type SkipTraceInput = z.input<typeof SkipTraceInputSchema>;

export function toEnrichmentView(e: IPropertyEnrichment) {
  return {
    id: e.id,
    property_id: e.property.id,
    source: e.source,
    zestimate: e.zestimate ?? null,
    zestimate_low: e.zestimateLow ?? null,
    zestimate_high: e.zestimateHigh ?? null,
    rent_zestimate: e.rentZestimate ?? null,
    living_area: e.livingArea ?? null,
    days_on_market: e.daysOnMarket ?? null,
    tax_assessed_value: e.taxAssessedValue ?? null,
    tax_amount: e.taxAmount ?? null,
    school_rating: e.schoolRating ?? null,
    price_history: e.priceHistory ?? null,
    created_at: e.createdAt.toISOString(),
  };
}
export type EnrichmentView = ReturnType<typeof toEnrichmentView>;

export function toSkipTraceView(s: ISkipTrace) {
  return {
    id: s.id,
    property_id: s.property.id,
    source: s.source,
    owner_name: s.ownerName ?? null,
    phones: s.phones ?? [],
    emails: s.emails ?? [],
    mailing_address: s.mailingAddress ?? null,
    created_at: s.createdAt.toISOString(),
  };
}
export type SkipTraceView = ReturnType<typeof toSkipTraceView>;

/** Enrichment (market data) and skip traces (owner contact data) recorded against properties. */
export class ResearchService {
  async recordEnrichment(scope: AgentScope, propertyId: number, raw: EnrichmentInput): Promise<EnrichmentView> {
    const i = EnrichmentInputSchema.parse(raw);
    const property = await ownPropertyRef(scope, propertyId);
    const row = scope.em.create(PropertyEnrichment, {
      agent: scope.em.getReference(Agent, scope.agentId),
      property,
      source: i.source,
      zestimate: i.zestimate ?? null,
      zestimateLow: i.zestimate_low ?? null,
      zestimateHigh: i.zestimate_high ?? null,
      rentZestimate: i.rent_zestimate ?? null,
      livingArea: i.living_area ?? null,
      daysOnMarket: i.days_on_market ?? null,
      taxAssessedValue: i.tax_assessed_value ?? null,
      taxAmount: i.tax_amount ?? null,
      schoolRating: i.school_rating ?? null,
      priceHistory: i.price_history ?? null,
    });
    await scope.em.flush();
    return toEnrichmentView(row);
  }

  async recordSkipTrace(scope: AgentScope, propertyId: number, raw: SkipTraceInput): Promise<SkipTraceView> {
    const i = SkipTraceInputSchema.parse(raw);
    const property = await ownPropertyRef(scope, propertyId);
    const row = scope.em.create(SkipTrace, {
      agent: scope.em.getReference(Agent, scope.agentId),
      property,
      source: i.source,
      ownerName: i.owner_name ?? null,
      phones: i.phones.map((p) => ({ ...p, number: toE164(p.number, 'phones.number') })),
      emails: i.emails.map((e) => e.toLowerCase()),
      mailingAddress: i.mailing_address ?? null,
    });
    await scope.em.flush();
    return toSkipTraceView(row);
  }

  async latestEnrichment(scope: AgentScope, propertyId: number): Promise<EnrichmentView | null> {
    await ownPropertyRef(scope, propertyId);
    const row = await scope.em.findOne(
      PropertyEnrichment,
      { agent: scope.agentId, property: propertyId },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    return row ? toEnrichmentView(row) : null;
  }

  async latestSkipTrace(scope: AgentScope, propertyId: number): Promise<SkipTraceView | null> {
    await ownPropertyRef(scope, propertyId);
    const row = await scope.em.findOne(
      SkipTrace,
      { agent: scope.agentId, property: propertyId },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    return row ? toSkipTraceView(row) : null;
  }
}

/** Pipeline facts: whether enrichment and skip-trace rows exist. */
export const researchFacts: StageFactsSource = async (em, agentId, propertyIds) => {
  const out = new Map<number, { enriched?: boolean; skipTraced?: boolean }>();
  if (propertyIds.length === 0) return out;
  const marks = propertyIds.map(() => '?').join(',');
  const [enriched, traced] = await Promise.all([
    em.execute<{ property_id: number }[]>(
      `select distinct property_id from property_enrichments where agent_id = ? and property_id in (${marks})`,
      [agentId, ...propertyIds],
    ),
    em.execute<{ property_id: number }[]>(
      `select distinct property_id from skip_traces where agent_id = ? and property_id in (${marks})`,
      [agentId, ...propertyIds],
    ),
  ]);
  for (const r of enriched) out.set(Number(r.property_id), { enriched: true });
  for (const r of traced) out.set(Number(r.property_id), { ...out.get(Number(r.property_id)), skipTraced: true });
  return out;
};
