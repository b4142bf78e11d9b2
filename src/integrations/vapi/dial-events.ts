import type { DialEvent, DialEventKind } from '../../domain/campaigns/dialer.port.ts';
import { isObject } from './json.ts';
import { durationSecOf, EndOfCallReportSchema, StatusUpdateSchema } from './messages.ts';

/** Vapi's server messages about a dialled call (`status-update`, `end-of-call-report`) as the dialer's `DialEvent`s. */

const STATUS_KIND: Record<string, DialEventKind> = {
  scheduled: 'queued',
  queued: 'queued',
  ringing: 'ringing',
  'in-progress': 'answered',
};

/**
 * Vapi's `endedReason` as a kind (docs `calls/call-ended-reason`):
 *
 * | endedReason | Kind |
 * |---|---|
 * | customer-busy, …-sip-486-… | busy |
 * | customer-did-not-answer, …-sip-408-…, …-sip-480-… | no-answer |
 * | voicemail | machine |
 * | manually-canceled, scheduled-call-deleted, call-deleted | canceled |
 * | call.start.error-*, *error*, *failed*, *fault*, assistant-not-*, assistant-request-*, assistant-join-timed-out, twilio-reported-customer-misdialed, vonage-rejected, *never-connected*, worker-shutdown, customer-did-not-give-microphone-permission | failed |
 * | anything else (customer-ended-call, assistant-ended-call*, assistant-said-end-call-phrase, assistant-forwarded-call, exceeded-max-duration, silence-timed-out, *-completed-call, vonage-completed, …) and a missing reason | completed |
 *
 * An error after the call was answered is still `failed`: the `answered` event before it tells the two apart.
 */
export function vapiEndedKind(endedReason: string | null | undefined): DialEventKind {
  const r = (endedReason ?? '').trim().toLowerCase();
  if (!r) return 'completed';
  if (r === 'customer-busy' || /sip-486\b/.test(r)) return 'busy';
  if (r === 'customer-did-not-answer' || /sip-(408|480)\b/.test(r)) return 'no-answer';
  if (r === 'voicemail') return 'machine';
  if (r === 'manually-canceled' || r === 'scheduled-call-deleted' || r === 'call-deleted') return 'canceled';
  if (
    r.startsWith('call.start.error') ||
    /error|failed|fault|never-connected/.test(r) ||
    r.startsWith('assistant-not-') ||
    r.startsWith('assistant-request-') ||
    r === 'assistant-join-timed-out' ||
    r === 'twilio-reported-customer-misdialed' ||
    r === 'vonage-rejected' ||
    r === 'worker-shutdown' ||
    r === 'customer-did-not-give-microphone-permission'
  ) {
    return 'failed';
  }
  return 'completed';
}

/**
 * A Vapi server message (the `{message}` envelope or the message itself, already authenticated) as a `DialEvent`;
 * null for other message types or shapes.
 *
 * | Message | Kind |
 * |---|---|
 * | status-update scheduled / queued | queued |
 * | status-update ringing | ringing |
 * | status-update in-progress | answered |
 * | status-update forwarding | null (nothing for the dialer) |
 * | status-update ended | `vapiEndedKind(endedReason)` |
 * | end-of-call-report | `vapiEndedKind(endedReason)`, with durationSec |
 *
 * Both `status-update ended` and `end-of-call-report` report the end: consumers handle a repeated terminal event
 * per call (carriers repeat callbacks anyway). `attemptKey` comes from the assistant's metadata as echoed in the
 * message; `reason` is the endedReason.
 */
export function vapiDialEvent(input: unknown): DialEvent | null {
  const message = isObject(input) && isObject(input.message) ? input.message : input;
  if (!isObject(message)) return null;
  let id: string;
  let kind: DialEventKind;
  let reason: string | undefined;
  let durationSec: number | undefined;
  let ended = false;
  if (message.type === 'status-update') {
    const parsed = StatusUpdateSchema.safeParse(message);
    if (!parsed.success) return null;
    const m = parsed.data;
    id = m.call.id;
    const status = m.status.toLowerCase();
    if (status === 'ended') {
      ended = true;
      reason = m.endedReason ?? m.call.endedReason ?? undefined;
      kind = vapiEndedKind(reason);
    } else {
      const mapped = STATUS_KIND[status];
      if (!mapped) return null;
      kind = mapped;
    }
  } else if (message.type === 'end-of-call-report') {
    const parsed = EndOfCallReportSchema.safeParse(message);
    if (!parsed.success) return null;
    const m = parsed.data;
    id = m.call.id;
    ended = true;
    reason = m.endedReason ?? m.call.endedReason ?? undefined;
    kind = vapiEndedKind(reason);
    durationSec = durationSecOf(m) ?? undefined;
  } else {
    return null;
  }
  const event: DialEvent = { provider: 'vapi', providerCallId: id, kind };
  if (ended) event.ended = true;
  if (reason) event.reason = reason;
  if (durationSec !== undefined) event.durationSec = durationSec;
  const attemptKey = attemptKeyOf(message);
  if (attemptKey) event.attemptKey = attemptKey;
  return event;
}

/** Our attempt key as Vapi echoes the assistant's metadata (message.assistant, call.assistant, overrides). */
function attemptKeyOf(message: Record<string, unknown>): string | undefined {
  const call = isObject(message.call) ? message.call : {};
  const holders = [message.assistant, call.assistant, call.assistantOverrides, call, message];
  for (const holder of holders) {
    if (!isObject(holder) || !isObject(holder.metadata)) continue;
    const key = holder.metadata.attemptKey;
    if (typeof key === 'string' && key.trim() && key.length <= 200) return key;
  }
  return undefined;
}
