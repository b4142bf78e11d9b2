import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { Property } from '../properties/property.entity.ts';

export const NOTE_SOURCES = ['voice', 'manual', 'ai', 'phone_call', 'system'] as const;
export type NoteSource = (typeof NOTE_SOURCES)[number];

export const Note = defineEntity({
  name: 'Note',
  tableName: 'property_notes',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    property: () => p.manyToOne(Property).deleteRule('cascade'),
    content: p.text(),
    source: p.enum(NOTE_SOURCES).default('manual'),
    createdBy: p.string().length(100).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'property_notes_property_created_idx', properties: ['property', 'createdAt'] }],
});
export type INote = InferEntity<typeof Note>;
