import type { Orm } from '../db/orm.ts';
import {
  CampaignTarget,
  type TARGET_STATUSES,
  type ICampaign,
  type ICampaignTarget,
} from '../domain/campaigns/campaign.entity.ts';
import type { OutboundDialer } from '../domain/campaigns/dialer.port.ts';
import type { OutcomeCode } from '../domain/campaigns/outcomes.ts';
import type { AgentScope } from '../domain/shared/scope.ts';
import type { Logger } from '../log.ts';
import type { DomainServices } from '../services.ts';
import {
  targetTransition,
  type TargetEffect,
  type TargetEvent,
  type TargetStatus,
} from '../../state-machines/campaign-target.machine.ts';
import type { CampaignCalls } from './campaign-calls.ts';

/**
 * A campaign target's moves: the target machine (state-machines/campaign-target.machine.ts) decides each one from
 * the stored status and the event; the move is stored only if nobody moved the target meanwhile, with the columns
 * its effects set (retry time, outcome); then its effects outside the row run once — the CRM write-back, the
 * do-not-call list, the carrier's voicemail drop or hang-up.
 */

/** The stored target statuses are exactly the target machine's states (the domain may not import xstate). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const TARGET_STATUSES_MATCH_MACHINE: Same<(typeof TARGET_STATUSES)[number], TargetStatus> = true;

/** A rule that passes by waiting (calling hours, a cap) is looked at again after this long. */
const RECHECK_MS = 15 * 60_000;

/** The outcome a final or retried target records, from the event that ended its attempt. */
function outcomeOf(event: TargetEvent): OutcomeCode {
  switch (event.type) {
    case 'NO_ANSWER':
    case 'VOICEMAIL_FAILED':
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
      return event.code as OutcomeCode;
    default:
      return 'no_outcome';
  }
}

export interface TargetMovesDeps {
  orm: Orm;
  services: DomainServices;
  dialer: OutboundDialer;
  /** The answered side: the voicemail left and the CRM write-back. */
  calls: CampaignCalls;
  log: Logger;
  now: () => Date;
}

export class TargetMoves {
  constructor(private readonly deps: TargetMovesDeps) {}

  /**
   * Applies the target machine's move for `event`: the new status (and the columns its effects set) is written
   * only if the stored status is still the one the move was computed from; otherwise (another callback moved the
   * target meanwhile) the move is computed again from the stored status. The effects outside the row (CRM,
   * do-not-call list, carrier) run once, after the move is stored.
   */
  async move(
    scope: AgentScope,
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
      const now = this.deps.now();
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
          outcome: from === 'voicemail' && event.type === 'COMPLETED' ? 'voicemail_left' : outcomeOf(event),
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
    scope: AgentScope,
    campaign: ICampaign,
    target: ICampaignTarget,
    effect: TargetEffect,
    event: TargetEvent,
    columns: Record<string, unknown>,
  ): Promise<void> {
    const outcome = columns.outcome as OutcomeCode;
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
        const message = callId ? await this.deps.calls.voicemailOf(callId) : null;
        if (!callId || !message) return;
        try {
          await this.deps.dialer.dropVoicemail(callId, message);
        } catch (err) {
          this.deps.log.warn({ err, targetId: target.id }, 'dialer: voicemail not left');
          await this.voicemailNotLeft(scope, campaign, target);
        }
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

  /**
   * The carrier could not leave the message (Twilio 21220: the machine hung up first): the target moves on as
   * if nobody answered (a retry while attempts are left). If the call's end was stored first (done with
   * voicemail_left), that outcome is corrected and the property gets a note saying so (its write-back already
   * noted a voicemail), so neither the campaign nor the CRM counts a message that was not left.
   */
  private async voicemailNotLeft(scope: AgentScope, campaign: ICampaign, target: ICampaignTarget): Promise<void> {
    await this.move(scope, campaign, target, { type: 'VOICEMAIL_FAILED' });
    if (target.status !== 'done') return;
    const corrected = await scope.em.nativeUpdate(
      CampaignTarget,
      { id: target.id, status: 'done', outcome: 'voicemail_left' },
      { outcome: 'no_answer', outcomeNote: 'No voicemail was left: the call ended before it played.' },
    );
    const propertyId = campaign.property?.id;
    if (!corrected || !propertyId) return;
    const who = target.name ? `${target.name} (${target.phone})` : target.phone;
    await this.deps.services.notes
      .add({ em: this.deps.orm.em.fork(), agentId: scope.agentId }, propertyId, {
        content: `Correction, campaign «${campaign.name}»: no voicemail was left for ${who}; the call ended before it played.`,
        source: 'phone_call',
        created_by: 'campaign',
      })
      .catch((err: unknown) => this.deps.log.error({ err, targetId: target.id }, 'dialer: correction note failed'));
  }

  /** The outcome into the CRM; a failure there is logged and does not stop the target's move. */
  private async writeBack(
    target: ICampaignTarget,
    result: { outcome: OutcomeCode; note: string | null; callBackAt: Date | null | undefined },
  ): Promise<void> {
    if (!target.lastProviderCallId) return;
    await this.deps.calls
      .writeBack(target.lastProviderCallId, null, { ...result, callBackAt: result.callBackAt ?? null })
      .catch((err: unknown) => this.deps.log.error({ err, targetId: target.id }, 'dialer: CRM write-back failed'));
  }
}
