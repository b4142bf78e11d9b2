import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

const double = () => p.double().runtimeType('number').$type<number>();

/**
 * Recorded sales of a market (public records: King County, Ames …). Market data is shared by all
 * agents, so it is not agent-scoped; one row per (market, source id, sale date).
 */
export const Sale = defineEntity({
  name: 'Sale',
  tableName: 'sales',
  properties: {
    id: p.integer().primary(),
    market: p.string().length(40),
    sourceId: p.string().length(40),
    saleDate: p.string().length(10).$type<string>(),
    price: double(),
    bedrooms: p.integer().nullable(),
    bathrooms: double().nullable(),
    sqft: p.integer().nullable(),
    lotSqft: p.integer().nullable(),
    yearBuilt: p.integer().nullable(),
    yearRenovated: p.integer().nullable(),
    /** King County building grade (1–13). */
    grade: p.integer().nullable(),
    /** Condition on a 1–5 scale (KC as recorded; Ames' Overall_Cond mapped). */
    condition: p.integer().nullable(),
    waterfront: p.boolean().nullable(),
    view: p.integer().nullable(),
    zip: p.string().length(10).nullable(),
    neighborhood: p.string().length(60).nullable(),
    lat: double().nullable(),
    lon: double().nullable(),
    raw: p.json<Record<string, string>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ name: 'sales_market_source_date_unique', properties: ['market', 'sourceId', 'saleDate'] }],
  indexes: [
    { name: 'sales_market_date_idx', properties: ['market', 'saleDate'] },
    { name: 'sales_market_zip_idx', properties: ['market', 'zip', 'saleDate'] },
  ],
});
export type ISale = InferEntity<typeof Sale>;
