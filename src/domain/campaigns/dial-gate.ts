import type { SqlEntityManager } from '@mikro-orm/sql';
import { checkDial, localTime, type RuleOutcome } from '../dialing/index.ts';
import type { AgentScope } from '../shared/scope.ts';
import {
  CallAttempt,
  ConsentRecord,
  DialDecision,
  DncList,
  DncListNumber,
  DoNotCallEntry,
  type ICampaign,
  type ICampaignTarget,
} from './campaign.entity.ts';

/** An uploaded national or state list older than this may not be relied on (the 31-day scrub rule). */
export const DNC_LIST_MAX_AGE_DAYS = 31;
const DAY_MS = 86_400_000;

/**
 * Rules that pass by waiting (a calling window, a frequency cap): the target is tried again later. Any other
 * failed rule (do-not-call, consent, an invalid number) blocks the target for good.
 */
const WAITABLE = /(^|\.)(window|sunday|holiday|cap\.\d+h)$|^campaign\.window$/;

export interface DialVerdict {
  allowed: boolean;
  /** Every failed rule passes by waiting: try again later. */
  retryable: boolean;
  blockedBy: string[];
  rules: RuleOutcome[];
  zones: string[];
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/**
 * The compliance gate, run immediately before every dial (never only at upload): the calling-hours guard
 * (federal and state windows, Sunday and holiday bans, frequency caps over this number's recent attempts),
 * the campaign's own window, the brokerage's internal do-not-call list, uploaded national/state lists and
 * their age, and the consent ledger (an AI voice needs prior express consent; telemarketing needs it
 * written). Every decision is stored with its rules (`dial_decisions`).
 */
export class DialGate {
  async decide(scope: AgentScope, campaign: ICampaign, target: ICampaignTarget, at: Date): Promise<DialVerdict> {
    const { em } = scope;
    const priorAttempts = await this.recentAttempts(em, target.phone, at);
    const guard = checkDial({
      to: target.phone,
      at,
      ...(target.zip ? { zip: target.zip } : {}),
      ...(target.state ? { state: target.state } : {}),
      priorAttempts,
      subject: `campaign:${campaign.id}`,
    });
    const rules: RuleOutcome[] = [
      ...guard.rules,
      this.campaignWindow(campaign, guard.zones, at),
      ...(await this.doNotCall(em, target.phone, campaign, at)),
      await this.consent(scope, campaign, target.phone, at),
    ];
    const blockedBy = rules.filter((r) => !r.ok).map((r) => r.rule);
    const verdict: DialVerdict = {
      allowed: blockedBy.length === 0,
      retryable: blockedBy.length > 0 && blockedBy.every((r) => WAITABLE.test(r)),
      blockedBy,
      rules,
      zones: guard.zones,
    };
    await em.insert(DialDecision, {
      agent: scope.agentId,
      campaign: campaign.id,
      target: target.id,
      phone: target.phone,
      at,
      allowed: verdict.allowed,
      blockedBy,
      rules,
      zones: guard.zones,
      rulesVersion: guard.rulesVersion,
      createdAt: new Date(),
    });
    return verdict;
  }

  /** This number's dials in the last day, across every campaign of the brokerage (frequency caps). */
  private async recentAttempts(em: SqlEntityManager, phone: string, at: Date) {
    const rows = await em.find(
      CallAttempt,
      { target: { phone }, startedAt: { $gte: new Date(at.getTime() - DAY_MS), $lte: at } },
      { fields: ['startedAt', 'campaign'] },
    );
    return rows.map((r) => ({ at: r.startedAt, subject: `campaign:${r.campaign.id}` }));
  }

  /** The campaign's own hours, in every candidate zone of the number (inside the legal window). */
  private campaignWindow(campaign: ICampaign, zones: string[], at: Date): RuleOutcome {
    const from = minutes(campaign.windowStart) * 60;
    const to = minutes(campaign.windowEnd) * 60;
    const outside = zones
      .map((z) => localTime(z, at.getTime()))
      .filter((t) => t.secondOfDay < from || t.secondOfDay >= to);
    return {
      rule: 'campaign.window',
      ok: zones.length > 0 && outside.length === 0,
      detail: `campaign hours ${campaign.windowStart}–${campaign.windowEnd}${
        outside.length ? `; outside in ${outside.map((t) => `${t.zone} ${t.clock}`).join(', ')}` : ''
      }`,
    };
  }

  private async doNotCall(em: SqlEntityManager, phone: string, campaign: ICampaign, at: Date): Promise<RuleOutcome[]> {
    const internal = await em.findOne(DoNotCallEntry, { phone }, { fields: ['source', 'createdAt'] });
    const out: RuleOutcome[] = [
      {
        rule: 'dnc.internal',
        ok: !internal,
        detail: internal
          ? `on the internal do-not-call list since ${internal.createdAt.toISOString()} (${internal.source})`
          : 'not on the internal list',
      },
    ];
    // The national registry binds telephone solicitations; informational calls are outside it.
    if (!campaign.telemarketing) return out;
    const national = await em.findOne(DncList, { kind: 'national' }, { orderBy: { scrubbedAt: 'desc' } });
    const ageDays = national ? (at.getTime() - national.scrubbedAt.getTime()) / DAY_MS : null;
    out.push({
      rule: 'dnc.national_list_age',
      ok: ageDays !== null && ageDays <= DNC_LIST_MAX_AGE_DAYS,
      detail:
        ageDays === null
          ? 'no national do-not-call list uploaded: telemarketing calls need one scrubbed within 31 days'
          : `national list scrubbed ${Math.floor(ageDays)} days ago (at most ${DNC_LIST_MAX_AGE_DAYS})`,
    });
    const listed = await em.findOne(DncListNumber, { phone }, { populate: ['list'] });
    out.push({
      rule: 'dnc.registry',
      ok: !listed,
      detail: listed
        ? `on the ${listed.list.kind === 'national' ? 'national' : `${listed.list.state} state`} do-not-call list`
        : 'not on an uploaded do-not-call list',
    });
    return out;
  }

  private async consent(scope: AgentScope, campaign: ICampaign, phone: string, at: Date): Promise<RuleOutcome> {
    const needed = campaign.telemarketing ? 'pewc' : 'pec';
    const records = await scope.em.find(ConsentRecord, {
      agent: scope.agentId,
      phone,
      givenAt: { $lte: at },
      $or: [{ revokedAt: null }, { revokedAt: { $gt: at } }],
    });
    // Written consent also covers what plain consent does.
    const ok = records.some((r) => r.type === 'pewc' || needed === 'pec');
    return {
      rule: 'consent',
      ok,
      detail: ok
        ? `${needed === 'pewc' ? 'prior express written consent' : 'prior express consent'} on record`
        : campaign.telemarketing
          ? 'an AI-voice telemarketing call needs prior express written consent: none on record'
          : 'an AI-voice call needs prior express consent: none on record',
    };
  }
}
