import { z } from 'zod';
import { Call } from '../calls/call.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import { CallAttempt, CampaignTarget, TARGET_STATUSES, type ICallAttempt } from './campaign.entity.ts';

export const TargetListQuery = z.strictObject({
  status: z.enum(TARGET_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type TargetListQuery = z.infer<typeof TargetListQuery>;

/** A target's latest dial, with the call record's sid when a person answered (its review in the console). */
function lastDial(a: ICallAttempt | undefined, callSids: Map<number, string>) {
  if (!a) return null;
  return {
    attempt_no: a.attemptNo,
    status: a.status,
    answered_by: a.answeredBy,
    outcome: a.outcome,
    duration_sec: a.durationSec,
    started_at: a.startedAt.toISOString(),
    ended_at: a.endedAt?.toISOString() ?? null,
    call_sid: a.callId != null ? (callSids.get(a.callId) ?? null) : null,
  };
}

/**
 * The numbers a campaign calls, in enrolment order, with where each one is (the campaign-target machine's
 * state), its attempts, outcome, next attempt and latest dial. The caller has checked the campaign is the
 * agent's; every query is also scoped by agent.
 */
export async function listTargets(scope: AgentScope, campaignId: number, q: TargetListQuery) {
  const where = { campaign: campaignId, agent: scope.agentId, ...(q.status ? { status: q.status } : {}) };
  const [targets, total] = await scope.em.findAndCount(CampaignTarget, where, {
    orderBy: { id: 'asc' },
    limit: q.limit,
    offset: q.offset,
  });
  const attempts = targets.length
    ? await scope.em.find(
        CallAttempt,
        { target: { $in: targets.map((t) => t.id) }, agent: scope.agentId },
        { orderBy: { attemptNo: 'asc' } },
      )
    : [];
  const latest = new Map<number, ICallAttempt>();
  for (const a of attempts) latest.set(a.target.id, a); // ascending: the last one wins
  const callIds = [...latest.values()].map((a) => a.callId).filter((id): id is number => id != null);
  const calls = callIds.length
    ? await scope.em.find(Call, { id: { $in: callIds }, agent: scope.agentId }, { fields: ['id', 'callSid'] })
    : [];
  const callSids = new Map(calls.map((c) => [c.id, c.callSid]));
  const open = (s: string) => s === 'queued' || s === 'retryScheduled';
  return {
    total,
    limit: q.limit,
    offset: q.offset,
    items: targets.map((t) => ({
      id: t.id,
      phone: t.phone,
      name: t.name,
      contact_id: t.contact?.id ?? null,
      status: t.status,
      attempts: t.attempts,
      next_attempt_at: open(t.status) ? t.nextAttemptAt.toISOString() : null,
      outcome: t.outcome,
      outcome_note: t.outcomeNote,
      last_dial: lastDial(latest.get(t.id), callSids),
    })),
  };
}
