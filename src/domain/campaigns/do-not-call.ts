import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { Contact } from '../contacts/contact.entity.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { tryNanpE164 } from '../shared/phone.ts';
import type { AgentScope } from '../shared/scope.ts';
import {
  ConsentRecord,
  DncList,
  DncListNumber,
  DoNotCallEntry,
  type CONSENT_TYPES,
  type DNC_SOURCES,
} from './campaign.entity.ts';

function nanp(phone: string): string {
  const number = tryNanpE164(phone);
  if (!number) throw new ValidationError(`not a North American phone number: ${phone}`, { field: 'phone' });
  return number;
}

/** The brokerage's internal do-not-call list and the consent ledger. */
export class DoNotCallService {
  /**
   * Adds a number at once (an opt-out on a call beats the 10-business-day maximum). Idempotent: a number
   * already listed keeps its first entry. Also revokes the number's consents: an opt-out withdraws them.
   */
  async add(
    em: SqlEntityManager,
    phone: string,
    source: (typeof DNC_SOURCES)[number],
    opts: { agentId?: number | null; campaignId?: number | null; reason?: string | null; at?: Date } = {},
  ): Promise<{ phone: string; added: boolean }> {
    const number = nanp(phone);
    const at = opts.at ?? new Date();
    let added = true;
    try {
      await em.insert(DoNotCallEntry, {
        phone: number,
        source,
        reason: opts.reason ?? null,
        agent: opts.agentId ?? null,
        campaignId: opts.campaignId ?? null,
        createdAt: at,
      });
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      added = false;
    }
    await em.nativeUpdate(ConsentRecord, { phone: number, revokedAt: null }, { revokedAt: at });
    return { phone: number, added };
  }

  async isListed(em: SqlEntityManager, phone: string): Promise<boolean> {
    return (await em.count(DoNotCallEntry, { phone: nanp(phone) })) > 0;
  }

  /**
   * Stores an uploaded national or state do-not-call list as of the day it was downloaded (`scrubbedAt`).
   * Numbers that are not North American are reported, not stored. The gate refuses telemarketing dials while
   * the newest national list is older than 31 days.
   */
  async importList(
    em: SqlEntityManager,
    list: { kind: 'national' | 'state'; state?: string | null; scrubbedAt: Date; numbers: string[] },
  ): Promise<{ id: number; stored: number; invalid: string[] }> {
    if (list.kind === 'state' && !/^[A-Z]{2}$/.test(list.state ?? '')) {
      throw new ValidationError('a state list needs its two-letter state', { field: 'state' });
    }
    if (list.scrubbedAt.getTime() > Date.now() + 86_400_000) {
      throw new ValidationError('scrubbed_at is in the future', { field: 'scrubbed_at' });
    }
    const valid = new Set<string>();
    const invalid: string[] = [];
    for (const raw of list.numbers) {
      const n = tryNanpE164(raw);
      if (n) valid.add(n);
      else invalid.push(raw);
    }
    return em.transactional(async (tx) => {
      const id = (await tx.insert(DncList, {
        kind: list.kind,
        state: list.kind === 'state' ? list.state! : null,
        scrubbedAt: list.scrubbedAt,
        numbers: valid.size,
        uploadedAt: new Date(),
      })) as number;
      const rows = [...valid].map((phone) => ({ list: id, phone }));
      for (let i = 0; i < rows.length; i += 5_000) await tx.insertMany(DncListNumber, rows.slice(i, i + 5_000));
      return { id, stored: valid.size, invalid };
    });
  }

  /** Withdraws the agent's consents for a number (revocation by any reasonable means). Returns how many. */
  async revokeConsent(scope: AgentScope, phone: string, at = new Date()): Promise<number> {
    return scope.em.nativeUpdate(
      ConsentRecord,
      { agent: scope.agentId, phone: nanp(phone), revokedAt: null },
      { revokedAt: at },
    );
  }

  /** Records consent to be called, with its evidence. */
  async recordConsent(
    scope: AgentScope,
    c: {
      phone: string;
      type: (typeof CONSENT_TYPES)[number];
      source: string;
      evidence: string;
      givenAt: Date;
      contactId?: number | null;
    },
  ): Promise<number> {
    if (c.contactId && !(await scope.em.count(Contact, { id: c.contactId, agent: scope.agentId }))) {
      throw new NotFoundError('Contact', c.contactId);
    }
    if (!c.evidence.trim())
      throw new ValidationError('consent needs its evidence (text agreed to, form, recording)', { field: 'evidence' });
    return scope.em.insert(ConsentRecord, {
      agent: scope.agentId,
      contact: c.contactId ?? null,
      phone: nanp(c.phone),
      type: c.type,
      source: c.source,
      evidence: c.evidence,
      givenAt: c.givenAt,
      revokedAt: null,
      createdAt: new Date(),
    }) as Promise<number>;
  }
}
