import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const Agent = defineEntity({
  name: 'Agent',
  tableName: 'agents',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(200),
    email: p.string().length(320).unique(),
    brokerageName: p.string().length(200).nullable(),
    timezone: p.string().length(64).default('America/New_York'),
    /** The realtor's personal mobile (E.164); used later to recognise the realtor calling in. */
    mobilePhone: p.string().length(20).nullable(),
    /** Local time ("HH:MM", in `timezone`) at which the daily digest is generated. */
    digestTime: p.string().length(5).default('08:00'),
    /** Voice PIN as "scrypt$<salt>$<hash>" (base64url; salt random per agent); null until one is set. */
    pinHash: p.text().nullable(),
    /** Consecutive wrong PINs; a right PIN (or a new PIN) resets it. */
    pinFailures: p.integer().default(0),
    /** Voice commands are refused until this time (set by the 5th consecutive wrong PIN). */
    pinLockedUntil: p.datetime().nullable(),
    /**
     * Inverse side of VoicePinAttempt.agent (no column). Also lets the ORM discover VoicePinAttempt
     * through Agent even where only Agent is listed among the entities.
     */
    pinAttempts: () => p.oneToMany(VoicePinAttempt).mappedBy('agent'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IAgent = InferEntity<typeof Agent>;

/** A phone number that rings this agent's line (inbound routing key; unique across agents). */
export const AgentPhoneNumber = defineEntity({
  name: 'AgentPhoneNumber',
  tableName: 'agent_phone_numbers',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    number: p.string().length(20).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAgentPhoneNumber = InferEntity<typeof AgentPhoneNumber>;

/** API keys are shown once at creation; only their SHA-256 hash is stored. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    label: p.string().length(100).default('default'),
    /** First characters of the key, for display ("rk_3fA9…"). */
    prefix: p.string().length(16),
    keyHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type IApiKey = InferEntity<typeof ApiKey>;

/** One voice PIN attempt (right, wrong, or refused while locked), kept for audit. */
export const VoicePinAttempt = defineEntity({
  name: 'VoicePinAttempt',
  tableName: 'voice_pin_attempts',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    /** Caller ID as received (E.164 when it parses). */
    callerPhone: p.string().length(40),
    ok: p.boolean(),
    /** Voice commands were locked after this attempt (refused while locked, or this failure locked them). */
    locked: p.boolean(),
    at: p.datetime(),
  },
  indexes: [{ name: 'voice_pin_attempts_agent_at_idx', properties: ['agent', 'at'] }],
});
export type IVoicePinAttempt = InferEntity<typeof VoicePinAttempt>;
