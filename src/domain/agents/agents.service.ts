import { createHash, randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { toE164 } from '../shared/phone.ts';
import { isValidTimeZone, type AgentScope } from '../shared/scope.ts';
import { Agent, AgentPhoneNumber, ApiKey, type IAgent } from './agent.entity.ts';
import { setPin, validatePin } from './voice-pin.ts';

export interface AgentInput {
  name: string;
  email: string;
  brokerageName?: string | null;
  timezone?: string;
  mobilePhone?: string | null;
  /** Numbers that ring this agent's line (inbound routing). */
  lineNumbers?: string[];
  /** Local "HH:MM" of the daily digest. */
  digestTime?: string;
  /** Voice PIN (4–8 digits), stored hashed; only at creation here, else setPin. */
  pin?: string;
}

export interface AgentView {
  id: number;
  name: string;
  email: string;
  brokerage_name: string | null;
  timezone: string;
  mobile_phone: string | null;
  line_numbers: string[];
  digest_time: string;
  /** Whether a voice PIN is set (the PIN and its hash are never shown). */
  voice_pin_set: boolean;
  created_at: string;
  updated_at: string;
}

const KEY_PREFIX = 'rk_';
const KEY_CACHE_MS = 10_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function normaliseInput(input: Partial<AgentInput>): Partial<AgentInput> {
  const out: Partial<AgentInput> = { ...input };
  if (input.email !== undefined) out.email = input.email.trim().toLowerCase();
  if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
    throw new ValidationError(`timezone: "${input.timezone}" is not an IANA time zone`, { field: 'timezone' });
  }
  if (input.mobilePhone) out.mobilePhone = toE164(input.mobilePhone, 'mobile_phone');
  if (input.digestTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(input.digestTime)) {
    throw new ValidationError(`digest_time: "${input.digestTime}" is not a time like 08:00`, { field: 'digest_time' });
  }
  if (input.lineNumbers) {
    out.lineNumbers = [...new Set(input.lineNumbers.map((n) => toE164(n, 'line_numbers')))];
  }
  return out;
}

export class AgentsService {
  /** Creates an agent and its first API key; the key is returned once and stored hashed. */
  async create(em: SqlEntityManager, raw: AgentInput): Promise<{ agent: AgentView; apiKey: string }> {
    const input = normaliseInput(raw) as AgentInput;
    if (input.pin !== undefined) validatePin(input.pin);
    if (await em.count(Agent, { email: input.email })) {
      throw new ConflictError(`An agent with email ${input.email} already exists`, { field: 'email' });
    }
    return em
      .transactional(async (tx) => {
        const agent = tx.create(Agent, {
          name: input.name.trim(),
          email: input.email,
          brokerageName: input.brokerageName ?? null,
          timezone: input.timezone ?? 'America/New_York',
          mobilePhone: input.mobilePhone ?? null,
        });
        await tx.flush();
        await this.replaceLineNumbers(tx, agent.id, input.lineNumbers ?? []);
        if (input.pin !== undefined) await setPin({ em: tx, agentId: agent.id }, input.pin);
        const apiKey = await this.issueKey(tx, agent.id, 'default');
        return { agent: await this.view(tx, agent.id), apiKey };
      })
      .catch((err: unknown) => {
        // Two creations of the same email at once: the loser gets the same 409.
        if (err instanceof UniqueConstraintViolationException) {
          throw new ConflictError(`An agent with email ${input.email} already exists`, { field: 'email' });
        }
        throw err;
      });
  }

  async issueKey(em: SqlEntityManager, agentId: number, label: string): Promise<string> {
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    em.create(ApiKey, {
      agent: em.getReference(Agent, agentId),
      label,
      prefix: key.slice(0, 10),
      keyHash: hashApiKey(key),
    });
    await em.flush();
    return key;
  }

  /**
   * Recently verified keys (hash → agent id), so a burst of requests costs one lookup.
   * Kept briefly: a revoked key stops working within KEY_CACHE_MS.
   */
  private readonly keyCache = new Map<string, { agentId: number; until: number }>();

  /** Returns the agent id owning an active key, or null. */
  async authenticate(em: SqlEntityManager, key: string): Promise<number | null> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
    const hash = hashApiKey(key);
    const cached = this.keyCache.get(hash);
    if (cached && cached.until > Date.now()) return cached.agentId;
    const agentId = await this.lookupKey(em, hash);
    if (agentId === null) this.keyCache.delete(hash);
    else {
      if (this.keyCache.size >= 10_000) this.keyCache.clear();
      this.keyCache.set(hash, { agentId, until: Date.now() + KEY_CACHE_MS });
    }
    return agentId;
  }

  private async lookupKey(em: SqlEntityManager, hash: string): Promise<number | null> {
    const row = await em.findOne(ApiKey, { keyHash: hash, revokedAt: null }, { fields: ['id', 'agent', 'lastUsedAt'] });
    if (!row) return null;
    const hourAgo = Date.now() - 3_600_000;
    if (!row.lastUsedAt || row.lastUsedAt.getTime() < hourAgo) {
      await em.nativeUpdate(ApiKey, { id: row.id }, { lastUsedAt: new Date() });
    }
    return row.agent.id;
  }

  async get(em: SqlEntityManager, agentId: number): Promise<AgentView> {
    return this.view(em, agentId);
  }

  async update(em: SqlEntityManager, agentId: number, raw: Partial<AgentInput>): Promise<AgentView> {
    const input = normaliseInput(raw);
    return em.transactional(async (tx) => {
      const agent = await tx.findOne(Agent, agentId);
      if (!agent) throw new NotFoundError('Agent', agentId);
      if (input.email !== undefined && input.email !== agent.email) {
        if (await tx.count(Agent, { email: input.email, id: { $ne: agentId } })) {
          throw new ConflictError(`An agent with email ${input.email} already exists`, { field: 'email' });
        }
        agent.email = input.email;
      }
      if (input.name !== undefined) agent.name = input.name.trim();
      if (input.brokerageName !== undefined) agent.brokerageName = input.brokerageName;
      if (input.timezone !== undefined) agent.timezone = input.timezone;
      if (input.mobilePhone !== undefined) agent.mobilePhone = input.mobilePhone;
      if (input.digestTime !== undefined) agent.digestTime = input.digestTime;
      await tx.flush();
      if (input.lineNumbers) await this.replaceLineNumbers(tx, agentId, input.lineNumbers);
      return this.view(tx, agentId);
    });
  }

  /** Sets or replaces the agent's voice PIN (ValidationError for a weak or malformed one). */
  async setPin(scope: AgentScope, pin: string): Promise<void> {
    await setPin(scope, pin);
  }

  /** Which agent's line a dialled number rings (for inbound calls). */
  async findByLineNumber(em: SqlEntityManager, number: string): Promise<IAgent | null> {
    const row = await em.findOne(AgentPhoneNumber, { number: toE164(number, 'number') }, { populate: ['agent'] });
    return row ? row.agent : null;
  }

  async findByEmail(em: SqlEntityManager, email: string): Promise<IAgent | null> {
    return em.findOne(Agent, { email: email.trim().toLowerCase() });
  }

  private async replaceLineNumbers(em: SqlEntityManager, agentId: number, numbers: string[]): Promise<void> {
    const taken = await em.find(AgentPhoneNumber, { number: { $in: numbers }, agent: { $ne: agentId } });
    if (taken.length > 0) {
      throw new ConflictError(`Line number ${taken[0]!.number} already rings another agent`, { field: 'line_numbers' });
    }
    await em.nativeDelete(AgentPhoneNumber, { agent: agentId, number: { $nin: numbers } });
    const existing = new Set((await em.find(AgentPhoneNumber, { agent: agentId })).map((r) => r.number));
    for (const number of numbers) {
      if (!existing.has(number)) em.create(AgentPhoneNumber, { agent: em.getReference(Agent, agentId), number });
    }
    try {
      await em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new ConflictError('A line number already rings another agent', { field: 'line_numbers' });
      }
      throw err;
    }
  }

  private async view(em: SqlEntityManager, agentId: number): Promise<AgentView> {
    const agent = await em.findOne(Agent, agentId);
    if (!agent) throw new NotFoundError('Agent', agentId);
    const numbers = await em.find(AgentPhoneNumber, { agent: agentId }, { orderBy: { id: 'asc' } });
    return {
      id: agent.id,
      name: agent.name,
      email: agent.email,
      brokerage_name: agent.brokerageName ?? null,
      timezone: agent.timezone,
      mobile_phone: agent.mobilePhone ?? null,
      line_numbers: numbers.map((n) => n.number),
      digest_time: agent.digestTime,
      voice_pin_set: agent.pinHash != null,
      created_at: agent.createdAt.toISOString(),
      updated_at: agent.updatedAt.toISOString(),
    };
  }
}
