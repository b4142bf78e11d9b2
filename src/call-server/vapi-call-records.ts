import { Call, type CallStatus, type ICall } from '../domain/calls/call.entity.ts';
import {
  durationSecOf,
  endedAtOf,
  recordingUrlOf,
  vapiNoteOf,
  type EndOfCallReport,
} from '../integrations/vapi/messages.ts';
import type { AppContext } from '../services.ts';

/**
 * Our call record as Vapi reports the call: its status from `status-update` (never backwards), its end from
 * `end-of-call-report`, and a campaign call's record when the person answered.
 */

const STATUS_RANK: Record<CallStatus, number> = {
  queued: 0,
  ringing: 1,
  'in-progress': 2,
  completed: 3,
  busy: 3,
  failed: 3,
  'no-answer': 3,
  canceled: 3,
};

/**
 * A `status-update`, already mapped to our status. Webhooks can arrive out of order: a status never goes backwards.
 * Returns the record (null: no such call).
 */
export async function recordVapiStatus(
  ctx: AppContext,
  callSid: string,
  status: CallStatus,
  endedReason: string | null | undefined,
): Promise<ICall | null> {
  return ctx.orm.em.fork().transactional(async (em) => {
    const row = await em.findOne(Call, { callSid });
    if (!row || STATUS_RANK[status] < STATUS_RANK[row.status as CallStatus]) return row;
    await ctx.services.calls.updateStatus(em, callSid, status);
    if (status === 'completed') row.endedReason = vapiEndedReason(row.endedReason, endedReason);
    await em.flush();
    return row;
  });
}

/** An `end-of-call-report`: the call is completed, with its duration, end, recording and note. */
export async function recordVapiEndOfCall(ctx: AppContext, callSid: string, m: EndOfCallReport): Promise<ICall | null> {
  return ctx.orm.em.fork().transactional(async (em) => {
    const row = await em.findOne(Call, { callSid });
    if (!row) return null;
    const hadEnded = row.endedAt;
    await ctx.services.calls.updateStatus(em, callSid, 'completed', durationSecOf(m) ?? undefined);
    if (!hadEnded) row.endedAt = endedAtOf(m) ?? row.endedAt ?? new Date();
    row.recordingUrl = recordingUrlOf(m) ?? row.recordingUrl ?? null;
    row.endedReason = vapiEndedReason(row.endedReason, m.endedReason);
    // The session's own summary wins; a call it never summarised gets Vapi's note.
    row.summary ??= vapiNoteOf(m);
    await em.flush();
    return row;
  });
}

/** A campaign call the person answered: its record and its playbook conversation (false: no campaign dialled it). */
export async function campaignCallAnswered(ctx: AppContext, providerCallId: string, callSid: string): Promise<boolean> {
  const answered = await ctx.dialer?.calls.answered({
    providerCallId,
    callSid,
    transport: 'vapi',
    carrierSpeaksGreeting: true,
  });
  if (answered) ctx.calls.admit(answered.call, answered.agent, answered.conversation);
  return !!answered;
}

/**
 * Vapi's endedReason is kept when ours says nothing more: none yet, or only that the caller hung up (which our
 * session records when Vapi reports the end). Ours ("goodbye", "transferred", "silence") is more telling than
 * Vapi's "assistant-ended-call" for the same end.
 */
function vapiEndedReason(current: string | null | undefined, vapi: string | null | undefined): string | null {
  if (vapi && (!current || current === 'caller_hung_up')) return vapi.slice(0, 40);
  return current ?? null;
}
