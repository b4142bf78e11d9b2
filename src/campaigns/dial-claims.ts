import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Orm } from '../db/orm.ts';
import { abandonmentOf, paceFor } from '../domain/campaigns/abandonment.ts';
import { CallAttempt, CampaignTarget, type ICampaign } from '../domain/campaigns/campaign.entity.ts';
import type { TargetStatus } from '../../state-machines/campaign-target.machine.ts';
import type { TargetMoves } from './target-moves.ts';

/**
 * Which targets a dialer instance may dial now: the campaign's budget (its pace and concurrency, slowed or stopped
 * by its abandonment meter), the claims (each held for a minute), and the claims of an instance that died, taken
 * back safely. Budget and claim are one transaction under a per-campaign advisory lock, and a claimed target not
 * dialled yet counts as a dial: instances take turns, so together they keep to the pace and the concurrency.
 */

/** How long a claimed target belongs to the instance that claimed it. */
const CLAIM_MS = 60_000;
const IN_CALL: TargetStatus[] = ['dialing', 'ringing', 'answered', 'conversation', 'voicemail'];
/** The first key of the claims' advisory lock (the second is the campaign id). */
const CLAIM_LOCK = 7_401;
/** A conversation whose call ended this long ago without its session's report ends without an outcome. */
const REPORT_OVERDUE_MS = 2 * 60_000;

export interface DialClaimsDeps {
  orm: Orm;
  /** This instance's name in claims (host:pid). */
  instanceId: string;
  moves: TargetMoves;
  now: () => Date;
}

export class DialClaims {
  constructor(private readonly deps: DialClaimsDeps) {}

  /** Claims as many due targets of the campaign for this instance as its budget allows now. */
  async claimWithinBudget(campaign: ICampaign): Promise<number[]> {
    return this.deps.orm.em.fork().transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(?, ?)', [CLAIM_LOCK, campaign.id]);
      return this.claim(em, campaign, await this.budget(em, campaign));
    });
  }

  /**
   * How many new dials the campaign may start now: its per-minute pace and its concurrent calls, halved or stopped
   * by its abandonment meter (domain/campaigns/abandonment.ts). Claimed targets not dialled yet count as dials.
   */
  private async budget(em: SqlEntityManager, campaign: ICampaign): Promise<number> {
    const now = this.deps.now();
    const lastMinute = await em.count(CallAttempt, {
      campaign: campaign.id,
      startedAt: { $gt: new Date(now.getTime() - 60_000) },
    });
    const claimed = await em.count(CampaignTarget, { campaign: campaign.id, status: 'checking' });
    const inCall = await em.count(CampaignTarget, { campaign: campaign.id, status: { $in: IN_CALL } });
    const pace = paceFor(await abandonmentOf(em, campaign.id, now), campaign);
    return Math.max(0, Math.min(pace.callsPerMinute - lastMinute - claimed, pace.maxConcurrent - inCall - claimed));
  }

  /** Claims up to `n` due targets for this instance (`FOR UPDATE SKIP LOCKED`: never a row another holds). */
  private async claim(em: SqlEntityManager, campaign: ICampaign, n: number): Promise<number[]> {
    if (n <= 0) return [];
    const now = this.deps.now();
    const rows = await em.execute<{ id: number }[]>(
      `update campaign_targets set status = 'checking', claimed_by = ?, claimed_until = ?, updated_at = ?
       where id in (
         select id from campaign_targets
         where campaign_id = ? and status in ('queued', 'retryScheduled') and next_attempt_at <= ?
         order by next_attempt_at, id
         limit ? for update skip locked)
       returning id`,
      [this.deps.instanceId, new Date(now.getTime() + CLAIM_MS), now, campaign.id, now, n],
    );
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  /**
   * An instance that died holding claims: targets it was only checking go back to the queue; a target it
   * had counted a dial for but has no carrier id is treated as a failed attempt (retried later, counted) —
   * never redialled at once.
   */
  async releaseLapsed(): Promise<void> {
    const { moves } = this.deps;
    const em = this.deps.orm.em.fork();
    const now = this.deps.now();
    await em.nativeUpdate(
      CampaignTarget,
      { status: 'checking', claimedUntil: { $lt: now } },
      { status: 'queued', claimedBy: null, claimedUntil: null },
    );
    const stuck = await em.find(
      CampaignTarget,
      { status: 'dialing', claimedUntil: { $lt: now }, lastProviderCallId: null },
      { populate: ['campaign'] },
    );
    for (const target of stuck) {
      await moves.move({ em, agentId: target.agent.id }, target.campaign, target, {
        type: 'DIAL_FAILED',
        retryable: true,
      });
    }
    // A conversation whose session never reported (its instance died): the call's end ends it, without an outcome.
    const overdue = await em.find(
      CallAttempt,
      {
        endedAt: { $lt: new Date(now.getTime() - REPORT_OVERDUE_MS) },
        target: { status: { $in: ['answered', 'conversation'] } },
      },
      { populate: ['target', 'campaign'] },
    );
    for (const attempt of overdue) {
      if (attempt.providerCallId !== attempt.target.lastProviderCallId) continue;
      await moves.move({ em, agentId: attempt.campaign.agent.id }, attempt.campaign, attempt.target, {
        type: 'COMPLETED',
      });
    }
  }
}
