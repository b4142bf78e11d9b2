import { z } from 'zod';
import { CONTACT_ROLES } from '../domain/contacts/contact.entity.ts';
import { NOTE_SOURCES } from '../domain/notes/note.entity.ts';
import { propertyRefShape, resolveProperty } from './property-ref.ts';
import { defineTool } from './registry.ts';

export const addNote = defineTool({
  name: 'add_note',
  title: 'Add a note',
  description: 'Add a note to a property ("note that the seller wants to close before June").',
  input: z.strictObject({
    ...propertyRefShape,
    content: z.string().min(1).max(20_000),
    source: z.enum(NOTE_SOURCES).optional(),
  }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const source = input.source ?? (ctx.source === 'call' ? 'phone_call' : ctx.source === 'mcp' ? 'ai' : 'manual');
    const note = await ctx.services.notes.add(ctx.scope, property.id, {
      content: input.content,
      source,
      created_by: ctx.source,
    });
    return {
      data: note,
      voice_summary: `Added a note to property #${property.id} at ${property.address}.`,
      property_id: property.id,
    };
  },
});

export const listNotes = defineTool({
  name: 'list_notes',
  title: 'List notes',
  description: 'The latest notes on a property, newest first.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape, limit: z.number().int().min(1).max(50).default(10) }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const notes = await ctx.services.notes.list(ctx.scope, property.id, input.limit);
    const latest = notes[0];
    const voice =
      notes.length === 0
        ? `There are no notes on property #${property.id}.`
        : `Property #${property.id} has ${notes.length === input.limit ? `at least ${notes.length}` : notes.length} note${notes.length === 1 ? '' : 's'}. The latest says: ${latest!.content.slice(0, 200)}`;
    return { data: notes, voice_summary: voice, property_id: property.id };
  },
});

export const addContact = defineTool({
  name: 'add_contact',
  title: 'Add a contact',
  description: 'Attach a contact (buyer, seller, lawyer, lender, tenant, …) to a property.',
  input: z.strictObject({
    ...propertyRefShape,
    name: z.string().min(1).max(200),
    role: z.enum(CONTACT_ROLES).default('other'),
    phone: z.string().max(40).optional(),
    email: z.string().max(320).optional(),
    company: z.string().max(200).optional(),
    notes: z.string().max(10_000).optional(),
  }),
  async run(ctx, input) {
    const { property_id: _id, property: _ref, ...fields } = input;
    const property = await resolveProperty(ctx, input);
    const contact = await ctx.services.contacts.create(ctx.scope, { ...fields, property_id: property.id });
    const role = contact.role.replace(/_/g, ' ');
    return {
      data: contact,
      voice_summary: `Added ${contact.name} as the ${role} on property #${property.id} at ${property.address}.`,
      property_id: property.id,
    };
  },
});

export const propertyHistory = defineTool({
  name: 'property_history',
  title: 'Property history',
  description: 'What has been done on a property: the tool calls and automated actions, newest first.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape, limit: z.number().int().min(1).max(100).default(20) }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const rows = await ctx.services.history.forProperty(ctx.scope, property.id, input.limit);
    const latest = rows[0];
    const voice = latest
      ? `Property #${property.id} has ${rows.length} recent action${rows.length === 1 ? '' : 's'}. The latest was ${latest.tool_name.replace(/_/g, ' ')}: ${latest.output_summary}`
      : `Nothing has been recorded on property #${property.id} yet.`;
    return { data: rows, voice_summary: voice, property_id: property.id };
  },
});

export const crmTools = [addNote, listNotes, addContact, propertyHistory];
