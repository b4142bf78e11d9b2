import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { Property } from '../properties/property.entity.ts';

export const CONTACT_ROLES = [
  'buyer',
  'seller',
  'lawyer',
  'attorney',
  'lender',
  'mortgage_broker',
  'title_company',
  'contractor',
  'inspector',
  'appraiser',
  'tenant',
  'landlord',
  'property_manager',
  'handyman',
  'plumber',
  'electrician',
  'photographer',
  'stager',
  'other',
] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const Contact = defineEntity({
  name: 'Contact',
  tableName: 'contacts',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    property: () => p.manyToOne(Property).nullable().deleteRule('cascade'),
    name: p.string().length(200),
    firstName: p.string().length(100).nullable(),
    lastName: p.string().length(100).nullable(),
    role: p.enum(CONTACT_ROLES).default('other'),
    phone: p.string().length(20).nullable(),
    email: p.string().length(320).nullable(),
    company: p.string().length(200).nullable(),
    notes: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [{ name: 'contacts_agent_property_idx', properties: ['agent', 'property'] }],
});
export type IContact = InferEntity<typeof Contact>;
