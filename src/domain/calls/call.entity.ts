import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';

export const CALL_STATUSES = [
  'queued',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_OUTCOMES = [
  'information_provided',
  'viewing_scheduled',
  'offer_created',
  'message_taken',
  'transferred',
  'no_outcome',
] as const;

/** One phone call, whichever transport carried it. */
export const Call = defineEntity({
  name: 'Call',
  tableName: 'calls',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    callSid: p.string().length(64).unique(),
    direction: p.enum(['inbound', 'outbound'] as const),
    fromNumber: p.string().length(32),
    toNumber: p.string().length(32),
    provider: p.string().length(20).default('twilio'),
    transport: p.enum(['conversation-relay', 'media-stream', 'vapi'] as const),
    status: p.enum(CALL_STATUSES).default('ringing'),
    outcome: p.enum(CALL_OUTCOMES).nullable(),
    summary: p.text().nullable(),
    durationSec: p.integer().nullable(),
    startedAt: p.datetime().onCreate(() => new Date()),
    endedAt: p.datetime().nullable(),
    /** The call machine's persisted snapshot (updated at every state change). */
    machineSnapshot: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [{ name: 'calls_agent_started_idx', properties: ['agent', 'startedAt'] }],
});
export type ICall = InferEntity<typeof Call>;
