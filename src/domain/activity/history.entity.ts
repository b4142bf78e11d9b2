import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';

export const HISTORY_SOURCES = ['mcp', 'call', 'rest', 'system'] as const;
export type HistorySource = (typeof HISTORY_SOURCES)[number];

/**
 * The activity spine: one row per tool call or automated action, per property and per session.
 * property_id is a plain column so history survives deletion of the property it mentions.
 */
export const HistoryEntry = defineEntity({
  name: 'HistoryEntry',
  tableName: 'conversation_history',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    sessionId: p.string().length(100),
    propertyId: p.integer().nullable(),
    source: p.enum(HISTORY_SOURCES),
    toolName: p.string().length(100),
    inputSummary: p.string().length(500),
    outputSummary: p.string().length(500),
    input: p.json<Record<string, unknown>>().nullable(),
    output: p.json<unknown>().nullable(),
    success: p.boolean(),
    durationMs: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [
    { name: 'history_agent_property_created_idx', properties: ['agent', 'propertyId', 'createdAt'] },
    { name: 'history_agent_session_created_idx', properties: ['agent', 'sessionId', 'createdAt'] },
  ],
});
export type IHistoryEntry = InferEntity<typeof HistoryEntry>;
