import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { FINANCING_TYPES, OFFER_STATUSES } from '../intelligence/shared.ts';
import { Property } from '../properties/property.entity.ts';

const double = () => p.double().runtimeType('number').$type<number>();

export const Offer = defineEntity({
  name: 'Offer',
  tableName: 'offers',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    property: () => p.manyToOne(Property).deleteRule('cascade'),
    buyerContact: () => p.manyToOne(Contact).nullable().deleteRule('set null'),
    /** The offer this one counters (the chain goes back to the first offer). */
    parentOfferId: p.integer().nullable(),
    offerPrice: double(),
    earnestMoney: double().nullable(),
    financingType: p.enum(FINANCING_TYPES).nullable(),
    closingDays: p.integer().nullable(),
    contingencies: p.json<string[]>().nullable(),
    notes: p.text().nullable(),
    status: p.enum(OFFER_STATUSES).default('submitted'),
    /** Made by our side (a counter from the seller we represent), not received. */
    isOurOffer: p.boolean().default(false),
    maoLow: double().nullable(),
    maoBase: double().nullable(),
    maoHigh: double().nullable(),
    submittedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    respondedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [{ name: 'offers_agent_property_idx', properties: ['agent', 'property', 'status'] }],
});
export type IOffer = InferEntity<typeof Offer>;
