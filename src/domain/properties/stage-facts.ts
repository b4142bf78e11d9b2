import type { SqlEntityManager } from '@mikro-orm/sql';
import { NO_FACTS, type StageFacts } from './heartbeat.ts';

/**
 * A table that knows some of the pipeline facts (history, enrichment, skip trace, contracts).
 * Each area registers one; the heartbeat merges what they report.
 */
export type StageFactsSource = (
  em: SqlEntityManager,
  agentId: number,
  propertyIds: readonly number[],
) => Promise<Map<number, Partial<StageFacts>>>;

/** Latest activity per property from the conversation history. */
export const historyFacts: StageFactsSource = async (em, agentId, propertyIds) => {
  const out = new Map<number, Partial<StageFacts>>();
  if (propertyIds.length === 0) return out;
  // em.execute runs inside the caller's transaction (getConnection().execute would not).
  const rows = await em.execute<{ property_id: number; last_at: Date | string }[]>(
    `select property_id, max(created_at) as last_at from conversation_history
       where agent_id = ? and property_id in (${propertyIds.map(() => '?').join(',')})
       group by property_id`,
    [agentId, ...propertyIds],
  );
  for (const r of rows) out.set(Number(r.property_id), { lastActivityAt: new Date(r.last_at) });
  return out;
};

export async function gatherFacts(
  sources: readonly StageFactsSource[],
  em: SqlEntityManager,
  agentId: number,
  propertyIds: readonly number[],
): Promise<Map<number, StageFacts>> {
  const merged = new Map<number, StageFacts>(propertyIds.map((id) => [id, { ...NO_FACTS }]));
  const parts = await Promise.all(sources.map((s) => s(em, agentId, propertyIds)));
  for (const part of parts) {
    for (const [id, facts] of part) {
      const current = merged.get(id);
      if (current) Object.assign(current, facts);
    }
  }
  return merged;
}
