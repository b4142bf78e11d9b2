import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { Property } from '../properties/property.entity.ts';

const double = () => p.double().runtimeType('number').$type<number>();

/** Market data about a property (Zillow-style enrichment, an import, or our own valuation). */
export const PropertyEnrichment = defineEntity({
  name: 'PropertyEnrichment',
  tableName: 'property_enrichments',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    property: () => p.manyToOne(Property).deleteRule('cascade'),
    source: p.string().length(40),
    zestimate: double().nullable(),
    zestimateLow: double().nullable(),
    zestimateHigh: double().nullable(),
    rentZestimate: double().nullable(),
    livingArea: p.integer().nullable(),
    daysOnMarket: p.integer().nullable(),
    taxAssessedValue: double().nullable(),
    taxAmount: double().nullable(),
    schoolRating: double().nullable(),
    /** [{date, price, event}] newest last. */
    priceHistory: p.json<{ date: string; price: number; event: string }[]>().nullable(),
    data: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'property_enrichments_property_idx', properties: ['property', 'createdAt'] }],
});
export type IPropertyEnrichment = InferEntity<typeof PropertyEnrichment>;

/** Owner contact data for a property. */
export const SkipTrace = defineEntity({
  name: 'SkipTrace',
  tableName: 'skip_traces',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    property: () => p.manyToOne(Property).deleteRule('cascade'),
    source: p.string().length(40),
    ownerName: p.string().length(200).nullable(),
    phones: p.json<{ number: string; type?: string; status?: string }[]>().nullable(),
    emails: p.json<string[]>().nullable(),
    mailingAddress: p.string().length(300).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'skip_traces_property_idx', properties: ['property', 'createdAt'] }],
});
export type ISkipTrace = InferEntity<typeof SkipTrace>;
