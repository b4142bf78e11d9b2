import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { ownPropertyRef } from '../properties/ownership.ts';
import type { AgentScope } from '../shared/scope.ts';
import { NOTE_SOURCES, Note, type INote } from './note.entity.ts';

export const NoteCreateSchema = z.strictObject({
  content: z.string().trim().min(1, 'must not be empty').max(20_000),
  source: z.enum(NOTE_SOURCES).default('manual'),
  created_by: z.string().trim().max(100).nullable().optional(),
});
export type NoteCreateInput = z.input<typeof NoteCreateSchema>;

export interface NoteView {
  id: number;
  property_id: number;
  content: string;
  source: INote['source'];
  created_by: string | null;
  created_at: string;
}

export function toNoteView(n: INote): NoteView {
  return {
    id: n.id,
    property_id: n.property.id,
    content: n.content,
    source: n.source,
    created_by: n.createdBy ?? null,
    created_at: n.createdAt.toISOString(),
  };
}

export class NotesService {
  async add(scope: AgentScope, propertyId: number, raw: NoteCreateInput): Promise<NoteView> {
    const input = NoteCreateSchema.parse(raw);
    const property = await ownPropertyRef(scope, propertyId);
    const note = scope.em.create(Note, {
      agent: scope.em.getReference(Agent, scope.agentId),
      property,
      content: input.content,
      source: input.source,
      createdBy: input.created_by ?? null,
    });
    await scope.em.flush();
    return toNoteView(note);
  }

  async list(scope: AgentScope, propertyId: number, limit = 50): Promise<NoteView[]> {
    await ownPropertyRef(scope, propertyId);
    const rows = await scope.em.find(
      Note,
      { agent: scope.agentId, property: propertyId },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit },
    );
    return rows.map(toNoteView);
  }
}
