import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { Property } from '../properties/property.entity.ts';

/** A booked viewing of a property. */
export const Showing = defineEntity({
  name: 'Showing',
  tableName: 'showings',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    property: () => p.manyToOne(Property).deleteRule('cascade'),
    contact: () => p.manyToOne(Contact).nullable().deleteRule('set null'),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    status: p.enum(['scheduled', 'cancelled', 'completed'] as const).default('scheduled'),
    source: p.string().length(20).default('manual'),
    visitorName: p.string().length(200).nullable(),
    visitorPhone: p.string().length(20).nullable(),
    notes: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'showings_agent_starts_idx', properties: ['agent', 'startsAt'] }],
});
export type IShowing = InferEntity<typeof Showing>;
