import { setup, transition } from 'xstate';

/**
 * One campaign target (a phone number) from the queue to its outcome. Pure and stateless between events:
 * the dialer stores the target's status and attempt count, and for each event (its own step, or a
 * carrier callback that may reach another instance) asks `targetTransition` where it goes and which
 * effects to run. The effects are named here and carried out by the dialer.
 *
 *   queued ─CLAIMED─▶ checking ─ALLOWED─▶ dialing ─DIALED─▶ ringing ─ANSWERED─▶ answered ─HUMAN─▶ conversation
 *      ▲                 │ BLOCKED_FOR_NOW (hours, caps)      │ DIAL_FAILED            │ MACHINE      │ OUTCOME / COMPLETED
 *      │                 │ BLOCKED (DNC, no consent) ▶ blocked │                        ▼              ▼ OPTED_OUT ▶ optedOut
 *      └─ retryScheduled ◀┴──── NO_ANSWER | BUSY | FAILED ─────┴──(attempts left)    voicemail ─▶ done
 *                         (no attempts left) ▶ exhausted          ▲                     │ VOICEMAIL_FAILED
 *                                                                  └── (as NO_ANSWER) ───┘
 */

export type TargetStatus =
  | 'queued'
  | 'checking'
  | 'dialing'
  | 'ringing'
  | 'answered'
  | 'conversation'
  | 'voicemail'
  | 'retryScheduled'
  | 'exhausted'
  | 'blocked'
  | 'optedOut'
  | 'done'
  | 'cancelled';

export interface TargetContext {
  /** Dials made so far, this one included once DIALED. */
  attempts: number;
  maxAttempts: number;
  /** Whether the carrier runs answering-machine detection on this call. */
  machineDetection: boolean;
  /**
   * A conversation session runs on this call and will report its outcome: the carrier's end of the call
   * (often first) does not end the target; the session's OUTCOME does.
   */
  sessionReports?: boolean;
}

export type TargetEvent =
  | { type: 'CLAIMED' }
  | { type: 'ALLOWED' }
  /** A rule that passes later (calling hours, a frequency cap): try again at `retryAt`. */
  | { type: 'BLOCKED_FOR_NOW' }
  /** A rule that does not pass by waiting (do-not-call, no consent, invalid number). */
  | { type: 'BLOCKED' }
  | { type: 'DIALED' }
  /** The carrier refused the dial; `retryable` when another attempt may work. */
  | { type: 'DIAL_FAILED'; retryable: boolean }
  | { type: 'ANSWERED' }
  | { type: 'HUMAN' }
  | { type: 'MACHINE' }
  /** The voicemail could not be left (the machine hung up before it was played): as good as no answer. */
  | { type: 'VOICEMAIL_FAILED' }
  | { type: 'NO_ANSWER' }
  | { type: 'BUSY' }
  | { type: 'FAILED' }
  /** The conversation produced its outcome code (interested, call back at…, wrong number…). */
  | { type: 'OUTCOME'; code: string; note?: string | null; callBackAt?: Date | null }
  /** The caller asked not to be called again (spoken or keyed): the internal DNC at once. */
  | { type: 'OPTED_OUT' }
  /** The call ended (Twilio `completed`, Vapi end-of-call report). */
  | { type: 'COMPLETED' }
  | { type: 'CANCEL' };

export const campaignTargetMachine = setup({
  types: { context: {} as TargetContext, events: {} as TargetEvent, input: {} as TargetContext },
  guards: {
    attemptsLeft: ({ context }) => context.attempts < context.maxAttempts,
    retryableAndAttemptsLeft: ({ context, event }) =>
      event.type === 'DIAL_FAILED' && event.retryable && context.attempts < context.maxAttempts,
    detectsMachines: ({ context }) => context.machineDetection,
    sessionReports: ({ context }) => context.sessionReports === true,
  },
  actions: {
    /** Count the dial on the target (before the carrier is asked: a crash never dials twice uncounted). */
    countAttempt: () => undefined,
    /** Put the target back in the queue for later (retry delay, or the next allowed time). */
    scheduleRetry: () => undefined,
    /** Write the outcome to the CRM (note, follow-up task, contact update, notification). */
    recordOutcome: () => undefined,
    /** Add the number to the internal do-not-call list and end the call politely. */
    addToDoNotCall: () => undefined,
    /** Leave the voicemail message (identity, call-back number, opt-out). */
    dropVoicemail: () => undefined,
    /** Hang up a call in progress (campaign cancelled). */
    hangUp: () => undefined,
  },
}).createMachine({
  id: 'campaignTarget',
  context: ({ input }) => input,
  initial: 'queued',
  // Cancelling the campaign: targets not in a call just stop; a call in progress is hung up.
  on: { CANCEL: { target: '.cancelled' } },
  states: {
    queued: { on: { CLAIMED: 'checking' } },
    checking: {
      on: {
        ALLOWED: { target: 'dialing', actions: 'countAttempt' },
        BLOCKED_FOR_NOW: { target: 'retryScheduled', actions: 'scheduleRetry' },
        BLOCKED: 'blocked',
      },
    },
    dialing: {
      on: {
        DIALED: 'ringing',
        DIAL_FAILED: [
          { guard: 'retryableAndAttemptsLeft', target: 'retryScheduled', actions: 'scheduleRetry' },
          { target: 'exhausted' },
        ],
      },
    },
    ringing: {
      on: {
        CANCEL: { target: 'cancelled', actions: 'hangUp' },
        ANSWERED: [{ guard: 'detectsMachines', target: 'answered' }, { target: 'conversation' }],
        HUMAN: 'conversation',
        MACHINE: { target: 'voicemail', actions: 'dropVoicemail' },
        // A person answered, talked and opted out or finished before the carrier's "answered" callback came.
        OPTED_OUT: { target: 'optedOut', actions: 'addToDoNotCall' },
        OUTCOME: { target: 'done', actions: 'recordOutcome' },
        NO_ANSWER: [
          { guard: 'attemptsLeft', target: 'retryScheduled', actions: 'scheduleRetry' },
          { target: 'exhausted' },
        ],
        BUSY: [{ guard: 'attemptsLeft', target: 'retryScheduled', actions: 'scheduleRetry' }, { target: 'exhausted' }],
        FAILED: [
          { guard: 'attemptsLeft', target: 'retryScheduled', actions: 'scheduleRetry' },
          { target: 'exhausted' },
        ],
      },
    },
    answered: {
      on: {
        CANCEL: { target: 'cancelled', actions: 'hangUp' },
        HUMAN: 'conversation',
        MACHINE: { target: 'voicemail', actions: 'dropVoicemail' },
        OPTED_OUT: { target: 'optedOut', actions: 'addToDoNotCall' },
        // The conversation may end before answering-machine detection has decided.
        OUTCOME: { target: 'done', actions: 'recordOutcome' },
        COMPLETED: [{ guard: 'sessionReports' }, { target: 'done', actions: 'recordOutcome' }],
      },
    },
    conversation: {
      on: {
        CANCEL: { target: 'cancelled', actions: 'hangUp' },
        OUTCOME: { target: 'done', actions: 'recordOutcome' },
        OPTED_OUT: { target: 'optedOut', actions: 'addToDoNotCall' },
        COMPLETED: [{ guard: 'sessionReports' }, { target: 'done', actions: 'recordOutcome' }],
      },
    },
    voicemail: {
      on: {
        CANCEL: { target: 'cancelled', actions: 'hangUp' },
        COMPLETED: { target: 'done', actions: 'recordOutcome' },
        VOICEMAIL_FAILED: [
          { guard: 'attemptsLeft', target: 'retryScheduled', actions: 'scheduleRetry' },
          { target: 'exhausted' },
        ],
      },
    },
    retryScheduled: { on: { CLAIMED: 'checking' } },
    exhausted: { type: 'final', entry: 'recordOutcome' },
    blocked: { type: 'final', entry: 'recordOutcome' },
    optedOut: { type: 'final' },
    done: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

export type TargetEffect =
  'countAttempt' | 'scheduleRetry' | 'recordOutcome' | 'addToDoNotCall' | 'dropVoicemail' | 'hangUp';

const FINAL: ReadonlySet<TargetStatus> = new Set(['exhausted', 'blocked', 'optedOut', 'done', 'cancelled']);

/**
 * Where `event` takes a target stored as `status` with `context`, and the effects to run; null when the
 * event does not apply (a late or repeated carrier callback), so it is ignored.
 */
export function targetTransition(
  status: TargetStatus,
  context: TargetContext,
  event: TargetEvent,
): { status: TargetStatus; effects: TargetEffect[] } | null {
  // An ended target stays ended: a cancel or a late callback does not reopen it.
  if (FINAL.has(status)) return null;
  const from = campaignTargetMachine.resolveState({ value: status, context });
  const [next, actions] = transition(campaignTargetMachine, from, event);
  const effects = actions.map((a) => a.type as TargetEffect);
  if (next.value === status && !effects.length) return null;
  return { status: next.value as TargetStatus, effects };
}

export function isFinalTarget(status: TargetStatus): boolean {
  return FINAL.has(status);
}
