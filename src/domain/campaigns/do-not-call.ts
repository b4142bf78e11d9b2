import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { ValidationError } from '../errors.ts';
import { tryNanpE164 } from '../shared/phone.ts';
import type { AgentScope } from '../shared/scope.ts';
import { ConsentRecord, DoNotCallEntry, type CONSENT_TYPES, type DNC_SOURCES } from './campaign.entity.ts';

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
