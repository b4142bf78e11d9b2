import type { Orm } from '../db/orm.ts';
import {
  CallAttempt,
  Campaign,
  CampaignTarget,
  type TARGET_STATUSES,
  type ICampaign,
  type ICampaignTarget,
} from '../domain/campaigns/campaign.entity.ts';
import { DialError, type DialEvent, type OutboundDialer } from '../domain/campaigns/dialer.port.ts';
import type { DomainServices } from '../services.ts';
import type { Logger } from '../log.ts';
import {
  isFinalTarget,
  targetTransition,
  type TargetEffect,
  type TargetEvent,
  type TargetStatus,
} from '../../state-machines/campaign-target.machine.ts';
import type { OptOutSource } from '../../state-machines/conversation.ts';
import { abandonmentOf, paceFor } from '../domain/campaigns/abandonment.ts';
import type { OutcomeCode } from '../domain/campaigns/outcomes.ts';
import { CampaignCalls, type ConversationOutcomes } from './campaign-calls.ts';
import { CampaignControl } from './campaign-control.ts';
import { Playbooks } from './playbooks.ts';

type Outcome = OutcomeCode;

/** The stored target statuses are exactly the target machine's states (the domain may not import xstate). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const TARGET_STATUSES_MATCH_MACHINE: Same<(typeof TARGET_STATUSES)[number], TargetStatus> = true;

/** A rule that passes by waiting (calling hours, a cap) is looked at again after this long. */
const RECHECK_MS = 15 * 60_000;
/** How long a claimed target belongs to the instance that claimed it. */
const CLAIM_MS = 60_000;
const IN_CALL: TargetStatus[] = ['dialing', 'ringing', 'answered', 'conversation', 'voicemail'];
/** A conversation whose call ended this long ago without its session's report ends without an outcome. */
const REPORT_OVERDUE_MS = 2 * 60_000;

export interface CampaignDialerDeps {
  orm: Orm;
  services: DomainServices;
  dialer: OutboundDialer;
  /** The playbooks' scripts (default: agents/). */
  playbooks?: Playbooks;
  log: Logger;
  /** This instance's name in claims (host:pid). */
  instanceId: string;
  /** Where the carrier reports progress and where answered calls are connected. */
  urls: { callback: string; answer: string };
  now?: () => Date;
}

export interface TickScope {
  campaignId?: number;
}

export interface TickReport {
  claimed: number;
  dialed: number;
  blocked: number;
  deferred: number;
  failed: number;
}

/** The outcome a final or retried target records, from the event that ended its attempt. */
function outcomeOf(event: TargetEvent): Outcome {
  switch (event.type) {
    case 'NO_ANSWER':
      return 'no_answer';
    case 'BUSY':
      return 'busy';
    case 'FAILED':
    case 'DIAL_FAILED':
      return 'failed';
    case 'BLOCKED':
      return 'blocked_by_rule';
    case 'OPTED_OUT':
      return 'do_not_call';
    case 'OUTCOME':
      return event.code as Outcome;
    default:
      return 'no_outcome';
  }
}

const EVENT_OF: Record<DialEvent['kind'], TargetEvent['type'] | null> = {
  queued: null,
  ringing: null,
  answered: 'ANSWERED',
  human: 'HUMAN',
  machine: 'MACHINE',
  completed: 'COMPLETED',
  busy: 'BUSY',
  'no-answer': 'NO_ANSWER',
  failed: 'FAILED',
  canceled: 'FAILED',
};

/**
 * The campaign dialer. Each tick claims due targets of active campaigns (`FOR UPDATE SKIP LOCKED`, so two
 * instances never claim the same target), within the campaign's pacing (calls per minute) and concurrency,
 * runs the dial gate on each, counts the attempt (a unique attempt row: a target is never dialled twice for
 * one attempt, whatever crashes) and dials. Carrier events move targets through the target machine; a
 * campaign with nothing left completes. Every move is decided by the machines in state-machines/.
 */
export class CampaignDialer implements ConversationOutcomes {
  private readonly now: () => Date;
  private readonly control: CampaignControl;
  /** The answered side: conversations, their report, the CRM write-back. */
  readonly calls: CampaignCalls;

  constructor(private readonly deps: CampaignDialerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.control = new CampaignControl(deps.services.campaigns);
    this.calls = new CampaignCalls({ ...deps, playbooks: deps.playbooks ?? new Playbooks() }, this);
  }

  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  /** Ticks every `everyMs` until `stop` (a tick still running is not overlapped). */
  start(everyMs: number, only: TickScope = {}): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = true;
      this.tick(only)
        .catch((err: unknown) => this.deps.log.error({ err }, 'dialer: tick failed'))
        .finally(() => (this.ticking = false));
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass over the active campaigns (or just `only.campaignId`: a manual "process this campaign now"). */
  async tick(only: TickScope = {}): Promise<TickReport> {
    const report: TickReport = { claimed: 0, dialed: 0, blocked: 0, deferred: 0, failed: 0 };
    const em = this.deps.orm.em.fork();
    await this.releaseLapsedClaims();
    const campaigns = await em.find(
      Campaign,
      { status: 'active', ...(only.campaignId ? { id: only.campaignId } : {}) },
      { orderBy: { id: 'asc' } },
    );
    for (const campaign of campaigns) {
      const scope = { em: this.deps.orm.em.fork(), agentId: campaign.agent.id };
      const ids = await this.claim(campaign, await this.budget(campaign));
      report.claimed += ids.length;
      for (const id of ids) {
        const target = await scope.em.findOneOrFail(CampaignTarget, id);
        const r = await this.attempt(scope, campaign, target);
        report[r]++;
      }
      if (!ids.length) await this.control.completeIfDrained(scope, campaign);
    }
    return report;
  }

  /** A carrier event for a dialled call. Unknown calls and events that do not apply are ignored. */
  async onEvent(event: DialEvent): Promise<void> {
    const type = EVENT_OF[event.kind];
    if (!type) return;
    const em = this.deps.orm.em.fork();
    const attempt = await em.findOne(
      CallAttempt,
      { providerCallId: event.providerCallId },
      { populate: ['target', 'campaign'] },
    );
    if (!attempt) {
      this.deps.log.warn(
        { providerCallId: event.providerCallId, kind: event.kind },
        'dialer: event for an unknown call',
      );
      return;
    }
    const target = attempt.target;
    const campaign = attempt.campaign;
    const now = this.now();
    const attemptUpdate: Partial<Record<string, unknown>> = {};
    if (event.answeredBy) attemptUpdate.answeredBy = event.answeredBy;
    if (type === 'ANSWERED') attemptUpdate.answeredAt = now;
    if (event.ended || ['COMPLETED', 'BUSY', 'NO_ANSWER', 'FAILED'].includes(type)) {
      attemptUpdate.endedAt = now;
      attemptUpdate.status = event.kind;
      if (event.durationSec !== undefined) attemptUpdate.durationSec = event.durationSec;
    }
    if (Object.keys(attemptUpdate).length) await em.nativeUpdate(CallAttempt, { id: attempt.id }, attemptUpdate);
    const scope = { em, agentId: campaign.agent.id };
    const session = { sessionReports: attempt.callId !== null };
    await this.move(scope, campaign, target, { type } as TargetEvent, session);
    // An event that also ends the call (Vapi's end report saying "voicemail") ends it here too.
    if (event.ended && !['COMPLETED', 'BUSY', 'NO_ANSWER', 'FAILED'].includes(type)) {
      await this.move(scope, campaign, target, { type: 'COMPLETED' }, session);
    }
    if (isFinalTarget(target.status) || target.status === 'retryScheduled') {
      await this.control.completeIfDrained({ em, agentId: campaign.agent.id }, campaign);
    }
  }

  /** The campaign and target of a dialled call, by the carrier's call id. */
  async attemptOf(providerCallId: string) {
    return this.deps.orm.em
      .fork()
      .findOne(CallAttempt, { providerCallId }, { populate: ['target', 'campaign', 'agent'] });
  }

  /**
   * The person asked not to be called again (said so, or pressed the key): the number goes on the internal
   * do-not-call list at once, whatever state the target is in, and the target ends as opted out.
   */
  async optOut(providerCallId: string, source: OptOutSource): Promise<boolean> {
    const attempt = await this.attemptOf(providerCallId);
    if (!attempt) return false;
    const em = this.deps.orm.em.fork();
    const { target, campaign } = attempt;
    await this.deps.services.doNotCall.add(em, target.phone, source, {
      agentId: campaign.agent.id,
      campaignId: campaign.id,
    });
    await this.move({ em, agentId: campaign.agent.id }, campaign, target, { type: 'OPTED_OUT' });
    return true;
  }

  /** The conversation's report: its outcome ends the target (and goes to the CRM). */
  async conversationEnded(
    providerCallId: string,
    result: { outcome: Outcome; note: string | null; callBackAt: Date | null },
  ): Promise<void> {
    const attempt = await this.attemptOf(providerCallId);
    if (!attempt) return;
    const em = this.deps.orm.em.fork();
    const { target, campaign } = attempt;
    await em.nativeUpdate(CallAttempt, { id: attempt.id }, { outcome: result.outcome });
    await this.move({ em, agentId: campaign.agent.id }, campaign, target, {
      type: 'OUTCOME',
      code: result.outcome,
      note: result.note,
      callBackAt: result.callBackAt,
    });
    if (isFinalTarget(target.status))
      await this.control.completeIfDrained({ em, agentId: campaign.agent.id }, campaign);
  }

  /** Gate, count, dial one claimed target (status `checking`). */
  private async attempt(
    scope: { em: Orm['em']; agentId: number },
    campaign: ICampaign,
    target: ICampaignTarget,
  ): Promise<keyof Omit<TickReport, 'claimed'>> {
    const now = this.now();
    const verdict = await this.deps.services.dialGate.decide(scope, campaign, target, now);
    if (!verdict.allowed) {
      await this.move(scope, campaign, target, { type: verdict.retryable ? 'BLOCKED_FOR_NOW' : 'BLOCKED' });
      return verdict.retryable ? 'deferred' : 'blocked';
    }
    const attemptNo = target.attempts + 1;
    // Count first (one transaction): a crash after this never dials the same attempt again.
    const counted = await scope.em.transactional(async (tx) => {
      const moved = await tx.nativeUpdate(
        CampaignTarget,
        { id: target.id, status: 'checking', attempts: target.attempts },
        { status: 'dialing', attempts: attemptNo, lastProviderCallId: null, updatedAt: now },
      );
      if (!moved) return false;
      await tx.insert(CallAttempt, {
        target: target.id,
        campaign: campaign.id,
        agent: scope.agentId,
        attemptNo,
        status: 'dialing',
        startedAt: now,
      });
      return true;
    });
    if (!counted) return 'failed';
    target.status = 'dialing';
    target.attempts = attemptNo;
    try {
      const result = await this.deps.dialer.dial({
        attemptKey: `c${campaign.id}-t${target.id}-a${attemptNo}`,
        to: target.phone,
        from: campaign.callerId,
        ringTimeoutSec: 25,
        machineDetection: true,
        callbackUrl: this.deps.urls.callback,
        answerUrl: this.deps.urls.answer,
        // Only a carrier that leaves the voicemail itself needs it now (no playbook read on every Twilio dial).
        ...(this.deps.dialer.voicemailAtDial
          ? { voicemailMessage: await this.calls.voicemailFor(campaign, target) }
          : {}),
        metadata: {
          campaignId: String(campaign.id),
          targetId: String(target.id),
          attempt: String(attemptNo),
          purpose: campaign.purpose,
          playbook: campaign.playbook,
          ...(target.name ? { name: target.name } : {}),
        },
      });
      await scope.em.transactional(async (tx) => {
        await tx.nativeUpdate(
          CallAttempt,
          { target: target.id, attemptNo },
          { provider: result.provider, providerCallId: result.providerCallId },
        );
        await tx.nativeUpdate(CampaignTarget, { id: target.id }, { lastProviderCallId: result.providerCallId });
      });
      target.lastProviderCallId = result.providerCallId;
      await this.move(scope, campaign, target, { type: 'DIALED' });
      return 'dialed';
    } catch (err) {
      const retryable = err instanceof DialError ? err.retryable : true;
      this.deps.log.warn({ err, targetId: target.id }, 'dialer: dial failed');
      await scope.em.nativeUpdate(
        CallAttempt,
        { target: target.id, attemptNo },
        { status: 'failed', endedAt: this.now() },
      );
      await this.move(scope, campaign, target, { type: 'DIAL_FAILED', retryable });
      return 'failed';
    }
  }

  /**
   * Applies the target machine's move for `event`: the new status (and the columns its effects set) is written
   * only if the stored status is still the one the move was computed from; otherwise (another callback moved the
   * target meanwhile) the move is computed again from the stored status. The effects outside the row (CRM,
   * do-not-call list, carrier) run once, after the move is stored.
   */
  private async move(
    scope: { em: Orm['em']; agentId: number },
    campaign: ICampaign,
    target: ICampaignTarget,
    event: TargetEvent,
    call: { sessionReports?: boolean } = {},
  ): Promise<void> {
    for (let tries = 0; tries < 5; tries++) {
      const from = target.status;
      const step = targetTransition(
        from,
        { attempts: target.attempts, maxAttempts: campaign.maxAttempts, machineDetection: true, ...call },
        event,
      );
      if (!step) return;
      const now = this.now();
      const columns = Object.assign({}, ...step.effects.map((e) => this.columnsOf(e, campaign, from, event, now)));
      const moved = await scope.em.nativeUpdate(
        CampaignTarget,
        { id: target.id, status: from },
        { status: step.status, updatedAt: now, claimedBy: null, claimedUntil: null, ...columns },
      );
      if (!moved) {
        const stored = await this.deps.orm.em.fork().findOneOrFail(CampaignTarget, target.id);
        Object.assign(target, { status: stored.status, attempts: stored.attempts });
        continue;
      }
      target.status = step.status;
      for (const effect of step.effects) await this.sideEffect(scope, campaign, target, effect, event, columns);
      return;
    }
    this.deps.log.error({ targetId: target.id, event: event.type }, 'dialer: target kept changing; event dropped');
  }

  /** The target's columns an effect sets, with its new status. */
  private columnsOf(
    effect: TargetEffect,
    campaign: ICampaign,
    from: TargetStatus,
    event: TargetEvent,
    now: Date,
  ): Record<string, unknown> {
    switch (effect) {
      case 'scheduleRetry': {
        const delay = event.type === 'BLOCKED_FOR_NOW' ? RECHECK_MS : campaign.retryDelayMinutes * 60_000;
        return {
          nextAttemptAt: new Date(now.getTime() + delay),
          outcome: event.type === 'BLOCKED_FOR_NOW' ? null : outcomeOf(event),
        };
      }
      case 'recordOutcome':
        return {
          outcome: from === 'voicemail' ? 'voicemail_left' : outcomeOf(event),
          outcomeNote: event.type === 'OUTCOME' ? (event.note ?? null) : null,
        };
      case 'addToDoNotCall':
        return { outcome: 'do_not_call' };
      default:
        return {};
    }
  }

  /** What an effect does outside the target's row. */
  private async sideEffect(
    scope: { em: Orm['em']; agentId: number },
    campaign: ICampaign,
    target: ICampaignTarget,
    effect: TargetEffect,
    event: TargetEvent,
    columns: Record<string, unknown>,
  ): Promise<void> {
    const outcome = columns.outcome as Outcome;
    switch (effect) {
      case 'recordOutcome':
        return this.writeBack(target, {
          outcome,
          note: event.type === 'OUTCOME' ? (event.note ?? null) : null,
          callBackAt: event.type === 'OUTCOME' ? (event.callBackAt ?? null) : null,
        });
      case 'addToDoNotCall':
        await this.deps.services.doNotCall.add(scope.em, target.phone, 'opt_out_spoken', {
          agentId: scope.agentId,
          campaignId: campaign.id,
        });
        return this.writeBack(target, { outcome, note: null, callBackAt: null });
      case 'dropVoicemail': {
        const callId = target.lastProviderCallId;
        const message = callId ? await this.calls.voicemailOf(callId) : null;
        if (callId && message)
          await this.deps.dialer
            .dropVoicemail(callId, message)
            .catch((err: unknown) => this.deps.log.warn({ err, targetId: target.id }, 'dialer: voicemail not left'));
        return;
      }
      case 'hangUp':
        if (target.lastProviderCallId) await this.deps.dialer.hangUp(target.lastProviderCallId).catch(() => undefined);
        return;
      case 'countAttempt':
      case 'scheduleRetry':
        return;
    }
  }

  /** The outcome into the CRM; a failure there is logged and does not stop the target's move. */
  private async writeBack(
    target: ICampaignTarget,
    result: { outcome: Outcome; note: string | null; callBackAt: Date | null | undefined },
  ): Promise<void> {
    if (!target.lastProviderCallId) return;
    await this.calls
      .writeBack(target.lastProviderCallId, null, { ...result, callBackAt: result.callBackAt ?? null })
      .catch((err: unknown) => this.deps.log.error({ err, targetId: target.id }, 'dialer: CRM write-back failed'));
  }

  /**
   * How many new dials the campaign may start now: its per-minute pace and its concurrent calls, halved or stopped
   * by its abandonment meter (domain/campaigns/abandonment.ts).
   */
  private async budget(campaign: ICampaign): Promise<number> {
    const em = this.deps.orm.em.fork();
    const now = this.now();
    const lastMinute = await em.count(CallAttempt, {
      campaign: campaign.id,
      startedAt: { $gt: new Date(now.getTime() - 60_000) },
    });
    const inCall = await em.count(CampaignTarget, { campaign: campaign.id, status: { $in: IN_CALL } });
    const pace = paceFor(await abandonmentOf(em, campaign.id, now), campaign);
    return Math.max(0, Math.min(pace.callsPerMinute - lastMinute, pace.maxConcurrent - inCall));
  }

  /** Claims up to `n` due targets for this instance; another instance skips the rows this one locked. */
  private async claim(campaign: ICampaign, n: number): Promise<number[]> {
    if (n <= 0) return [];
    const now = this.now();
    const rows = await this.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ id: number }[]>(
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
  private async releaseLapsedClaims(): Promise<void> {
    const em = this.deps.orm.em.fork();
    const now = this.now();
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
      await this.move({ em, agentId: target.agent.id }, target.campaign, target, {
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
      await this.move({ em, agentId: attempt.campaign.agent.id }, attempt.campaign, attempt.target, {
        type: 'COMPLETED',
      });
    }
  }
}
