import type { AgentScope } from '../shared/scope.ts';
import { HistoryEntry, type HistorySource, type IHistoryEntry } from './history.entity.ts';

export interface HistoryRecord {
  sessionId: string;
  propertyId: number | null;
  source: HistorySource;
  toolName: string;
  input: Record<string, unknown> | null;
  output: unknown;
  inputSummary: string;
  outputSummary: string;
  success: boolean;
  durationMs: number;
}

export interface HistoryView {
  id: number;
  session_id: string;
  property_id: number | null;
  source: HistorySource;
  tool_name: string;
  input_summary: string;
  output_summary: string;
  success: boolean;
  duration_ms: number;
  created_at: string;
}

function toView(h: IHistoryEntry): HistoryView {
  return {
    id: h.id,
    session_id: h.sessionId,
    property_id: h.propertyId ?? null,
    source: h.source,
    tool_name: h.toolName,
    input_summary: h.inputSummary,
    output_summary: h.outputSummary,
    success: h.success,
    duration_ms: h.durationMs,
    created_at: h.createdAt.toISOString(),
  };
}

export function truncate(s: string, max = 500): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export class HistoryService {
  /** One INSERT (no unit-of-work flush, so no transaction of its own). */
  async record(scope: AgentScope, r: HistoryRecord): Promise<void> {
    await scope.em.insert(HistoryEntry, {
      agent: scope.agentId,
      sessionId: truncate(r.sessionId, 100),
      propertyId: r.propertyId,
      source: r.source,
      toolName: r.toolName,
      inputSummary: truncate(r.inputSummary),
      outputSummary: truncate(r.outputSummary),
      input: r.input,
      output: r.output ?? null,
      success: r.success,
      durationMs: Math.round(r.durationMs),
      createdAt: new Date(),
    });
  }

  forProperty(scope: AgentScope, propertyId: number, limit = 50, offset = 0): Promise<HistoryView[]> {
    return this.page(scope, { propertyId }, limit, offset);
  }

  forSession(scope: AgentScope, sessionId: string, limit = 50, offset = 0): Promise<HistoryView[]> {
    return this.page(scope, { sessionId }, limit, offset);
  }

  private async page(
    scope: AgentScope,
    where: { propertyId: number } | { sessionId: string },
    limit: number,
    offset: number,
  ): Promise<HistoryView[]> {
    const rows = await scope.em.find(
      HistoryEntry,
      { agent: scope.agentId, ...where },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit, offset },
    );
    return rows.map(toView);
  }

  /** The property the conversation was last about ("this property", "it"). */
  async lastPropertyOfSession(scope: AgentScope, sessionId: string): Promise<number | null> {
    const row = await scope.em.findOne(
      HistoryEntry,
      { agent: scope.agentId, sessionId, propertyId: { $ne: null }, success: true },
      { orderBy: { createdAt: 'desc', id: 'desc' }, fields: ['propertyId'] },
    );
    return row?.propertyId ?? null;
  }
}
