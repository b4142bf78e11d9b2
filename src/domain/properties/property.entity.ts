import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { DEAL_TYPES, PROPERTY_STAGES, PROPERTY_TYPES, SCORE_GRADES } from './property.enums.ts';

/** DOUBLE PRECISION read as a JS number (MikroORM's default is number | string). */
const double = () => p.double().runtimeType('number').$type<number>();

export const Property = defineEntity({
  name: 'Property',
  tableName: 'properties',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    title: p.string().length(300).nullable(),
    description: p.text().nullable(),
    address: p.string().length(300),
    /** Canonical form of address + city + state, for duplicate detection and matching. */
    addressKey: p.string().length(400),
    city: p.string().length(100),
    state: p.string().length(2),
    zipCode: p.string().length(10).nullable(),
    price: double().nullable(),
    bedrooms: p.integer().nullable(),
    bathrooms: double().nullable(),
    squareFeet: p.integer().nullable(),
    lotSize: double().nullable(),
    yearBuilt: p.integer().nullable(),
    /** Location for comps; when absent the ZIP's centroid from sales data is used. */
    latitude: double().nullable(),
    longitude: double().nullable(),
    propertyType: p.enum(PROPERTY_TYPES).default('house'),
    status: p.enum(PROPERTY_STAGES).default('new_property'),
    dealType: p.enum(DEAL_TYPES).nullable(),
    dealScore: double().nullable(),
    scoreGrade: p.enum(SCORE_GRADES).nullable(),
    scoreBreakdown: p.json<Record<string, unknown>>().nullable(),
    /** When the property entered its current stage (edits do not reset it). */
    stageEnteredAt: p.datetime().onCreate(() => new Date()),
    /** Who set the current stage: a person (grace period for automation) or the pipeline. */
    stageSource: p.enum(['created', 'manual', 'pipeline'] as const).default('created'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  uniques: [{ name: 'properties_agent_address_key_unique', properties: ['agent', 'addressKey'] }],
  // Shaped for the list endpoint: equality filters first, then the sort key in the direction the
  // API sorts (price desc nulls last, id desc), with city included so counts stay index-only.
  indexes: [
    { name: 'properties_agent_created_idx', properties: ['agent', 'createdAt', 'id'] },
    {
      name: 'properties_agent_status_city_price_idx',
      expression:
        'create index "properties_agent_status_city_price_idx" on "properties" ("agent_id", "status", lower("city"), "price" desc nulls last, "id" desc) include ("city")',
    },
    {
      name: 'properties_agent_city_price_idx',
      expression:
        'create index "properties_agent_city_price_idx" on "properties" ("agent_id", lower("city"), "price" desc nulls last, "id" desc) include ("city")',
    },
    {
      name: 'properties_agent_status_price_idx',
      expression:
        'create index "properties_agent_status_price_idx" on "properties" ("agent_id", "status", "price" desc nulls last, "id" desc)',
    },
    {
      name: 'properties_agent_price_idx',
      expression:
        'create index "properties_agent_price_idx" on "properties" ("agent_id", "price" desc nulls last, "id" desc)',
    },
  ],
});
export type IProperty = InferEntity<typeof Property>;
