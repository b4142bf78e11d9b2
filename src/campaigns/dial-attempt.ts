import {
  CallAttempt,
  CampaignTarget,
  type ICampaign,
  type ICampaignTarget,
} from '../domain/campaigns/campaign.entity.ts';
import { DialError, type OutboundDialer } from '../domain/campaigns/dialer.port.ts';
import type { AgentScope } from '../domain/shared/scope.ts';
import type { Logger } from '../log.ts';
import type { DomainServices } from '../services.ts';
import type { CampaignCalls } from './campaign-calls.ts';
import type { TargetMoves } from './target-moves.ts';

/**
 * One dial of a claimed target: the dial gate (compliance rules), then the attempt counted (a unique attempt row,
 * in one transaction with the target's move to `dialing`: a target is never dialled twice for one attempt,
 * whatever crashes), then the carrier's call, whose id goes on the attempt and the target.
 */

/** What became of a claimed target in a tick. */
export type AttemptResult = 'dialed' | 'blocked' | 'deferred' | 'failed';

export interface DialAttemptDeps {
  services: DomainServices;
  dialer: OutboundDialer;
  /** Where the carrier reports progress and where answered calls are connected. */
  urls: { callback: string; answer: string };
  /** The voicemail a carrier that leaves it itself gets at dial time. */
  calls: CampaignCalls;
  moves: TargetMoves;
  log: Logger;
  now: () => Date;
}

export class DialAttempt {
  constructor(private readonly deps: DialAttemptDeps) {}

  /** Gate, count, dial one claimed target (status `checking`). */
  async run(scope: AgentScope, campaign: ICampaign, target: ICampaignTarget): Promise<AttemptResult> {
    const { moves, dialer } = this.deps;
    const now = this.deps.now();
    const verdict = await this.deps.services.dialGate.decide(scope, campaign, target, now);
    if (!verdict.allowed) {
      await moves.move(scope, campaign, target, { type: verdict.retryable ? 'BLOCKED_FOR_NOW' : 'BLOCKED' });
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
      const result = await dialer.dial({
        attemptKey: `c${campaign.id}-t${target.id}-a${attemptNo}`,
        to: target.phone,
        from: campaign.callerId,
        ringTimeoutSec: 25,
        machineDetection: true,
        callbackUrl: this.deps.urls.callback,
        answerUrl: this.deps.urls.answer,
        // Only a carrier that leaves the voicemail itself needs it now (no playbook read on every Twilio dial).
        ...(dialer.voicemailAtDial ? { voicemailMessage: await this.deps.calls.voicemailFor(campaign, target) } : {}),
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
      await moves.move(scope, campaign, target, { type: 'DIALED' });
      return 'dialed';
    } catch (err) {
      const retryable = err instanceof DialError ? err.retryable : true;
      this.deps.log.warn({ err, targetId: target.id }, 'dialer: dial failed');
      await scope.em.nativeUpdate(
        CallAttempt,
        { target: target.id, attemptNo },
        { status: 'failed', endedAt: this.deps.now() },
      );
      await moves.move(scope, campaign, target, { type: 'DIAL_FAILED', retryable });
      return 'failed';
    }
  }
}
