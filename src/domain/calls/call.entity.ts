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
    /** Why the call ended (caller_hung_up, goodbye, silence, max_duration, transferred, …). */
    endedReason: p.string().length(40).nullable(),
    /** The property the caller was asking about, last one wins. */
    propertyId: p.integer().nullable(),
    recordingUrl: p.text().nullable(),
    /** Fair-housing questions the agent declined on this call. */
    fairHousingDeflections: p.integer().default(0),
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

export const TURN_ROLES = ['caller', 'agent', 'tool'] as const;

/** One turn of a call as it happened: what the caller said, what the agent said (as heard), each tool call. */
export const CallTurn = defineEntity({
  name: 'CallTurn',
  tableName: 'call_turns',
  properties: {
    id: p.integer().primary(),
    call: () => p.manyToOne(Call).deleteRule('cascade'),
    seq: p.integer(),
    role: p.enum(TURN_ROLES),
    text: p.text(),
    /** The machine state when the turn happened ("property.responding"). */
    state: p.string().length(60).nullable(),
    intent: p.string().length(40).nullable(),
    toolName: p.string().length(60).nullable(),
    toolArguments: p.json<Record<string, unknown>>().nullable(),
    toolResult: p.json<Record<string, unknown>>().nullable(),
    ok: p.boolean().nullable(),
    /** The caller barged in: `text` holds only what they heard. */
    interrupted: p.boolean().default(false),
    /** Milliseconds: brain first text, tool time, whole turn. */
    timings: p.json<Record<string, number>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'call_turns_call_seq_idx', properties: ['call', 'seq'] }],
});
export type ICallTurn = InferEntity<typeof CallTurn>;
