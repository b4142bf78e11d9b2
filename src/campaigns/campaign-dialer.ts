import type { Orm } from '../db/orm.ts';
import { CallAttempt, Campaign, CampaignTarget } from '../domain/campaigns/campaign.entity.ts';
import type { DialEvent, OutboundDialer } from '../domain/campaigns/dialer.port.ts';
import type { DomainServices } from '../services.ts';
import type { Logger } from '../log.ts';
import { isFinalTarget, type TargetEvent } from '../../state-machines/campaign-target.machine.ts';
import type { OptOutSource } from '../../state-machines/conversation.ts';
import type { OutcomeCode } from '../domain/campaigns/outcomes.ts';
import { CampaignCalls, type ConversationOutcomes } from './campaign-calls.ts';
import { CampaignControl } from './campaign-control.ts';
import { DialAttempt } from './dial-attempt.ts';
import { DialClaims } from './dial-claims.ts';
import { Playbooks } from './playbooks.ts';
import { TargetMoves } from './target-moves.ts';

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

/** Carrier events that end the call. */
const CALL_ENDED: TargetEvent['type'][] = ['COMPLETED', 'BUSY', 'NO_ANSWER', 'FAILED'];

/**
 * The campaign dialer. Each tick claims due targets of active campaigns within the campaign's pacing and
 * concurrency (dial-claims.ts) and dials each (dial-attempt.ts: gate, count, carrier call). Carrier events and the
 * conversation's report move targets through the target machine (target-moves.ts); a campaign with nothing left
 * completes. Every move is decided by the machines in state-machines/.
 */
export class CampaignDialer implements ConversationOutcomes {
  private readonly now: () => Date;
  private readonly control: CampaignControl;
  private readonly moves: TargetMoves;
  private readonly claims: DialClaims;
  private readonly attempt: DialAttempt;
  /** The answered side: conversations, their report, the CRM write-back. */
  readonly calls: CampaignCalls;

  constructor(private readonly deps: CampaignDialerDeps) {
    this.now = deps.now ?? (() => new Date());
    const { now } = this;
    this.control = new CampaignControl(deps.services.campaigns);
    this.calls = new CampaignCalls({ ...deps, playbooks: deps.playbooks ?? new Playbooks() }, this);
    this.moves = new TargetMoves({ ...deps, calls: this.calls, now });
    this.claims = new DialClaims({ ...deps, moves: this.moves, now });
    this.attempt = new DialAttempt({ ...deps, calls: this.calls, moves: this.moves, now });
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
    await this.claims.releaseLapsed();
    const campaigns = await em.find(
      Campaign,
      { status: 'active', ...(only.campaignId ? { id: only.campaignId } : {}) },
      { orderBy: { id: 'asc' } },
    );
    for (const campaign of campaigns) {
      const scope = { em: this.deps.orm.em.fork(), agentId: campaign.agent.id };
      const ids = await this.claims.claimWithinBudget(campaign);
      report.claimed += ids.length;
      for (const id of ids) {
        const target = await scope.em.findOneOrFail(CampaignTarget, id);
        const r = await this.attempt.run(scope, campaign, target);
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
    if (event.ended || CALL_ENDED.includes(type)) {
      attemptUpdate.endedAt = now;
      attemptUpdate.status = event.kind;
      if (event.durationSec !== undefined) attemptUpdate.durationSec = event.durationSec;
    }
    if (Object.keys(attemptUpdate).length) await em.nativeUpdate(CallAttempt, { id: attempt.id }, attemptUpdate);
    const scope = { em, agentId: campaign.agent.id };
    const session = { sessionReports: attempt.callId !== null };
    await this.moves.move(scope, campaign, target, { type } as TargetEvent, session);
    // An event that also ends the call (Vapi's end report saying "voicemail") ends it here too.
    if (event.ended && !CALL_ENDED.includes(type)) {
      await this.moves.move(scope, campaign, target, { type: 'COMPLETED' }, session);
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
    await this.moves.move({ em, agentId: campaign.agent.id }, campaign, target, { type: 'OPTED_OUT' });
    return true;
  }

  /** The conversation's report: its outcome ends the target (and goes to the CRM). */
  async conversationEnded(
    providerCallId: string,
    result: { outcome: OutcomeCode; note: string | null; callBackAt: Date | null },
  ): Promise<void> {
    const attempt = await this.attemptOf(providerCallId);
    if (!attempt) return;
    const em = this.deps.orm.em.fork();
    const { target, campaign } = attempt;
    await em.nativeUpdate(CallAttempt, { id: attempt.id }, { outcome: result.outcome });
    await this.moves.move({ em, agentId: campaign.agent.id }, campaign, target, {
      type: 'OUTCOME',
      code: result.outcome,
      note: result.note,
      callBackAt: result.callBackAt,
    });
    if (isFinalTarget(target.status))
      await this.control.completeIfDrained({ em, agentId: campaign.agent.id }, campaign);
  }
}
