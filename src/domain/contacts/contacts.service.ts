import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { NotFoundError } from '../errors.ts';
import { ownPropertyRef } from '../properties/ownership.ts';
import { toE164 } from '../shared/phone.ts';
import type { AgentScope } from '../shared/scope.ts';
import { CONTACT_ROLES, Contact, type IContact } from './contact.entity.ts';

/** "attorney" and "lawyer" are both kept as said; everything unknown is rejected by the schema. */
export const ContactCreateSchema = z.strictObject({
  property_id: z.number().int().positive().nullable().optional(),
  name: z.string().trim().min(1).max(200),
  first_name: z.string().trim().max(100).nullable().optional(),
  last_name: z.string().trim().max(100).nullable().optional(),
  role: z.enum(CONTACT_ROLES).default('other'),
  phone: z.string().trim().min(3).max(40).nullable().optional(),
  email: z.email().max(320).nullable().optional(),
  company: z.string().trim().max(200).nullable().optional(),
  notes: z.string().max(10_000).nullable().optional(),
});
export type ContactCreateInput = z.input<typeof ContactCreateSchema>;

export const ContactUpdateSchema = ContactCreateSchema.omit({ role: true })
  .extend({ role: z.enum(CONTACT_ROLES).optional() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one field to change is required' });
export type ContactUpdateInput = z.input<typeof ContactUpdateSchema>;

export interface ContactView {
  id: number;
  property_id: number | null;
  name: string;
  first_name: string | null;
  last_name: string | null;
  role: IContact['role'];
  phone: string | null;
  email: string | null;
  company: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export function toContactView(c: IContact): ContactView {
  return {
    id: c.id,
    property_id: c.property?.id ?? null,
    name: c.name,
    first_name: c.firstName ?? null,
    last_name: c.lastName ?? null,
    role: c.role,
    phone: c.phone ?? null,
    email: c.email ?? null,
    company: c.company ?? null,
    notes: c.notes ?? null,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

function splitName(name: string): { firstName: string | null; lastName: string | null } {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return { firstName: parts[0] ?? null, lastName: null };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1]! };
}

export class ContactsService {
  async create(scope: AgentScope, raw: ContactCreateInput): Promise<ContactView> {
    const input = ContactCreateSchema.parse(raw);
    const { em, agentId } = scope;
    const property = input.property_id ? await this.ownProperty(scope, input.property_id) : null;
    const split = splitName(input.name);
    const contact = em.create(Contact, {
      agent: em.getReference(Agent, agentId),
      property,
      name: input.name,
      firstName: input.first_name ?? split.firstName,
      lastName: input.last_name ?? split.lastName,
      role: input.role,
      phone: input.phone ? toE164(input.phone) : null,
      email: input.email?.toLowerCase() ?? null,
      company: input.company ?? null,
      notes: input.notes ?? null,
    });
    await em.flush();
    return toContactView(contact);
  }

  async get(scope: AgentScope, id: number): Promise<IContact> {
    const contact = await scope.em.findOne(Contact, { id, agent: scope.agentId });
    if (!contact) throw new NotFoundError('Contact', id);
    return contact;
  }

  async update(scope: AgentScope, id: number, raw: ContactUpdateInput): Promise<ContactView> {
    const input = ContactUpdateSchema.parse(raw);
    const contact = await this.get(scope, id);
    if (input.property_id !== undefined) {
      contact.property = input.property_id ? await this.ownProperty(scope, input.property_id) : null;
    }
    if (input.name !== undefined) contact.name = input.name;
    if (input.first_name !== undefined) contact.firstName = input.first_name;
    if (input.last_name !== undefined) contact.lastName = input.last_name;
    if (input.role !== undefined) contact.role = input.role;
    if (input.phone !== undefined) contact.phone = input.phone ? toE164(input.phone) : null;
    if (input.email !== undefined) contact.email = input.email?.toLowerCase() ?? null;
    if (input.company !== undefined) contact.company = input.company;
    if (input.notes !== undefined) contact.notes = input.notes;
    await scope.em.flush();
    return toContactView(contact);
  }

  async delete(scope: AgentScope, id: number): Promise<void> {
    await this.get(scope, id);
    await scope.em.nativeDelete(Contact, { id, agent: scope.agentId });
  }

  /** The agent's most recent contact with this phone number (any format), or null. */
  async findByPhone(scope: AgentScope, phone: string): Promise<ContactView | null> {
    const contact = await scope.em.findOne(
      Contact,
      { agent: scope.agentId, phone: toE164(phone) },
      { orderBy: { id: 'desc' } },
    );
    return contact ? toContactView(contact) : null;
  }

  async listForProperty(scope: AgentScope, propertyId: number): Promise<ContactView[]> {
    await this.ownProperty(scope, propertyId);
    const rows = await scope.em.find(
      Contact,
      { agent: scope.agentId, property: propertyId },
      { orderBy: { id: 'asc' } },
    );
    return rows.map(toContactView);
  }

  private ownProperty(scope: AgentScope, propertyId: number) {
    return ownPropertyRef(scope, propertyId);
  }
}
