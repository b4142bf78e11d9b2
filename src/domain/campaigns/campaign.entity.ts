import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { Property } from '../properties/property.entity.ts';

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'completed', 'cancelled'] as const;
export const CAMPAIGN_PURPOSES = [
  'just_listed',
  'just_sold',
  'expired_follow_up',
  'fsbo_follow_up',
  'open_house_rsvp',
  'past_client_check_in',
  'property_update',
] as const;
export const TARGET_STATUSES = [
  'queued',
  'checking',
  'dialing',
  'ringing',
  'answered',
  'conversation',
  'voicemail',
  'retryScheduled',
  'exhausted',
  'blocked',
  'optedOut',
  'done',
  'cancelled',
] as const;
export const OUTCOME_CODES = [
  'interested',
  'not_interested',
  'call_back',
  'wrong_number',
  'do_not_call',
  'voicemail_left',
  'no_answer',
  'busy',
  'failed',
  'blocked_by_rule',
  'no_outcome',
] as const;

/** An outbound calling campaign of one agent. */
export const Campaign = defineEntity({
  name: 'Campaign',
  tableName: 'campaigns',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    name: p.string().length(200),
    purpose: p.enum(CAMPAIGN_PURPOSES),
    /** The playbook (agents/<playbook>.json) that speaks on the calls. */
    playbook: p.string().length(60),
    property: () => p.manyToOne(Property).nullable().deleteRule('set null'),
    /** Contact roles enrolled from the property (lower-cased, sorted). */
    contactRoles: p.json<string[]>().default([]),
    /** The number the calls come from (E.164; it must take call-backs and DNC requests). */
    callerId: p.string().length(20),
    /** Telemarketing (a sales call): an AI voice needs prior express written consent. */
    telemarketing: p.boolean().default(true),
    maxAttempts: p.integer().default(3),
    retryDelayMinutes: p.integer().default(60),
    callsPerMinute: p.integer().default(5),
    maxConcurrent: p.integer().default(2),
    /** The campaign's own calling window in the recipient's local time ("HH:MM"), inside the legal one. */
    windowStart: p.string().length(5).default('09:00'),
    windowEnd: p.string().length(5).default('19:00'),
    status: p.enum(CAMPAIGN_STATUSES).default('draft'),
    startedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [{ name: 'campaigns_agent_status_idx', properties: ['agent', 'status'] }],
});
export type ICampaign = InferEntity<typeof Campaign>;

/** One number a campaign calls; its status is the campaign-target machine's state. */
export const CampaignTarget = defineEntity({
  name: 'CampaignTarget',
  tableName: 'campaign_targets',
  properties: {
    id: p.integer().primary(),
    campaign: () => p.manyToOne(Campaign).deleteRule('cascade'),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    contact: () => p.manyToOne(Contact).nullable().deleteRule('set null'),
    /** E.164. */
    phone: p.string().length(20),
    name: p.string().length(200).nullable(),
    zip: p.string().length(10).nullable(),
    state: p.string().length(2).nullable(),
    status: p.enum(TARGET_STATUSES).default('queued'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    /** Which dialer instance holds the target, until when (a crashed instance's claim lapses). */
    claimedBy: p.string().length(64).nullable(),
    claimedUntil: p.datetime().nullable(),
    outcome: p.enum(OUTCOME_CODES).nullable(),
    outcomeNote: p.text().nullable(),
    lastProviderCallId: p.string().length(64).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  uniques: [{ name: 'campaign_targets_campaign_phone_unique', properties: ['campaign', 'phone'] }],
  indexes: [{ name: 'campaign_targets_due_idx', properties: ['campaign', 'status', 'nextAttemptAt'] }],
});
export type ICampaignTarget = InferEntity<typeof CampaignTarget>;

/** One dial of a target. Unique per (target, attempt): a number is never dialled twice for one attempt. */
export const CallAttempt = defineEntity({
  name: 'CallAttempt',
  tableName: 'call_attempts',
  properties: {
    id: p.integer().primary(),
    target: () => p.manyToOne(CampaignTarget).deleteRule('cascade'),
    campaign: () => p.manyToOne(Campaign).deleteRule('cascade'),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    attemptNo: p.integer(),
    provider: p.string().length(10).nullable(),
    providerCallId: p.string().length(64).nullable(),
    status: p.string().length(20).default('dialing'),
    answeredBy: p.string().length(30).nullable(),
    outcome: p.enum(OUTCOME_CODES).nullable(),
    durationSec: p.integer().nullable(),
    startedAt: p.datetime().onCreate(() => new Date()),
    answeredAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    /** The conversation's call record (a person answered and the playbook spoke). */
    callId: p.integer().nullable(),
    /** When the answered call reached us (the carrier asked what to play). */
    connectedAt: p.datetime().nullable(),
    /** When the opening started playing; more than 2 s after connectedAt is an abandoned call. */
    greetedAt: p.datetime().nullable(),
  },
  uniques: [{ name: 'call_attempts_target_attempt_unique', properties: ['target', 'attemptNo'] }],
  indexes: [
    { name: 'call_attempts_provider_call_idx', properties: ['providerCallId'] },
    { name: 'call_attempts_campaign_connected_idx', properties: ['campaign', 'connectedAt'] },
  ],
});
export type ICallAttempt = InferEntity<typeof CallAttempt>;

/** Every dial decision, allowed or not, with the rules behind it (the campaign's compliance audit). */
export const DialDecision = defineEntity({
  name: 'DialDecision',
  tableName: 'dial_decisions',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    campaign: () => p.manyToOne(Campaign).nullable().deleteRule('cascade'),
    target: () => p.manyToOne(CampaignTarget).nullable().deleteRule('cascade'),
    phone: p.string().length(20),
    at: p.datetime(),
    allowed: p.boolean(),
    /** The rules that refused it (empty when allowed). */
    blockedBy: p.json<string[]>(),
    rules: p.json<{ rule: string; ok: boolean; detail: string }[]>(),
    zones: p.json<string[]>(),
    rulesVersion: p.string().length(40),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'dial_decisions_campaign_idx', properties: ['campaign', 'at'] }],
});
export type IDialDecision = InferEntity<typeof DialDecision>;

export const DNC_SOURCES = ['opt_out_spoken', 'opt_out_keyed', 'manual', 'complaint'] as const;

/**
 * The brokerage's internal do-not-call list: one service serves one brokerage, so an entry binds every
 * agent and campaign (the agent who recorded it is kept for the record).
 */
export const DoNotCallEntry = defineEntity({
  name: 'DoNotCallEntry',
  tableName: 'do_not_call',
  properties: {
    id: p.integer().primary(),
    phone: p.string().length(20).unique(),
    source: p.enum(DNC_SOURCES),
    reason: p.text().nullable(),
    agent: () => p.manyToOne(Agent).nullable().deleteRule('set null'),
    campaignId: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IDoNotCallEntry = InferEntity<typeof DoNotCallEntry>;

/** An uploaded national or state do-not-call list, as of the day it was downloaded (scrubbed). */
export const DncList = defineEntity({
  name: 'DncList',
  tableName: 'dnc_lists',
  properties: {
    id: p.integer().primary(),
    kind: p.enum(['national', 'state'] as const),
    state: p.string().length(2).nullable(),
    scrubbedAt: p.datetime(),
    numbers: p.integer().default(0),
    uploadedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IDncList = InferEntity<typeof DncList>;

export const DncListNumber = defineEntity({
  name: 'DncListNumber',
  tableName: 'dnc_list_numbers',
  properties: {
    id: p.bigint('number').primary(),
    list: () => p.manyToOne(DncList).deleteRule('cascade'),
    phone: p.string().length(20),
  },
  indexes: [{ name: 'dnc_list_numbers_phone_idx', properties: ['phone'] }],
});

export const CONSENT_TYPES = ['pec', 'pewc'] as const;

/** The consent ledger: prior express (written) consent to be called, with its evidence. */
export const ConsentRecord = defineEntity({
  name: 'ConsentRecord',
  tableName: 'consents',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    contact: () => p.manyToOne(Contact).nullable().deleteRule('set null'),
    phone: p.string().length(20),
    /** pec: prior express consent (informational calls); pewc: prior express written consent (telemarketing). */
    type: p.enum(CONSENT_TYPES),
    /** Where it was given: web form URL, signed paper, recorded call… */
    source: p.string().length(200),
    /** The text the person agreed to, an IP address, a recording link. */
    evidence: p.text(),
    givenAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'consents_agent_phone_idx', properties: ['agent', 'phone'] }],
});
export type IConsentRecord = InferEntity<typeof ConsentRecord>;
