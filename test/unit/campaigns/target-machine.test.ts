import { describe, expect, it } from 'vitest';
import {
  targetTransition,
  type TargetContext,
  type TargetEvent,
  type TargetStatus,
} from '../../../state-machines/campaign-target.machine.ts';

const ctx = (attempts: number, maxAttempts = 3, machineDetection = true): TargetContext => ({
  attempts,
  maxAttempts,
  machineDetection,
});

/** Runs events from `status`, counting attempts the way the dialer does (countAttempt). */
function run(status: TargetStatus, c: TargetContext, events: TargetEvent[]) {
  const trail: string[] = [];
  let context = c;
  for (const e of events) {
    const step = targetTransition(status, context, e);
    if (!step) {
      trail.push(`${e.type}: ignored`);
      continue;
    }
    if (step.effects.includes('countAttempt')) context = { ...context, attempts: context.attempts + 1 };
    status = step.status;
    trail.push(`${e.type} → ${status}${step.effects.length ? ` [${step.effects.join(', ')}]` : ''}`);
  }
  return { status, trail, attempts: context.attempts };
}

describe('campaign target machine', () => {
  it('a human answers and the conversation ends with an outcome', () => {
    const r = run('queued', ctx(0), [
      { type: 'CLAIMED' },
      { type: 'ALLOWED' },
      { type: 'DIALED' },
      { type: 'ANSWERED' },
      { type: 'HUMAN' },
      { type: 'OUTCOME', code: 'interested' },
      { type: 'COMPLETED' },
    ]);
    expect(r.trail).toEqual([
      'CLAIMED → checking',
      'ALLOWED → dialing [countAttempt]',
      'DIALED → ringing',
      'ANSWERED → answered',
      'HUMAN → conversation',
      'OUTCOME → done [recordOutcome]',
      'COMPLETED: ignored',
    ]);
    expect(r.attempts).toBe(1);
  });

  it("a conversation session reports the outcome: the carrier's end of the call does not end the target first", () => {
    const session = { ...ctx(1), sessionReports: true };
    const r = run('conversation', session, [{ type: 'COMPLETED' }, { type: 'OUTCOME', code: 'call_back' }]);
    expect(r.trail).toEqual(['COMPLETED: ignored', 'OUTCOME → done [recordOutcome]']);
    // Without a session (it never opened, or its report is overdue) the carrier's end ends the target.
    expect(run('conversation', ctx(1), [{ type: 'COMPLETED' }]).status).toBe('done');
    // A short conversation may end before detection decided, or before the "answered" callback came.
    expect(run('answered', session, [{ type: 'OUTCOME', code: 'not_interested' }]).status).toBe('done');
    expect(run('ringing', session, [{ type: 'OUTCOME', code: 'not_interested' }]).status).toBe('done');
  });

  it('without machine detection an answer is the conversation; a machine gets the voicemail drop', () => {
    expect(run('ringing', ctx(1, 3, false), [{ type: 'ANSWERED' }]).status).toBe('conversation');
    const vm = run('ringing', ctx(1), [{ type: 'ANSWERED' }, { type: 'MACHINE' }, { type: 'COMPLETED' }]);
    expect(vm.trail).toEqual([
      'ANSWERED → answered',
      'MACHINE → voicemail [dropVoicemail]',
      'COMPLETED → done [recordOutcome]',
    ]);
  });

  it('a voicemail that could not be left counts as no answer: a retry while attempts are left, else exhausted', () => {
    const vm = [{ type: 'ANSWERED' }, { type: 'MACHINE' }, { type: 'VOICEMAIL_FAILED' }] as TargetEvent[];
    expect(run('ringing', ctx(1), vm).trail.slice(2)).toEqual(['VOICEMAIL_FAILED → retryScheduled [scheduleRetry]']);
    expect(run('ringing', ctx(3), vm).trail.slice(2)).toEqual(['VOICEMAIL_FAILED → exhausted [recordOutcome]']);
    // Once the call's end has been stored the target is over: a late failure does not reopen it.
    expect(run('voicemail', ctx(1), [{ type: 'COMPLETED' }, { type: 'VOICEMAIL_FAILED' }]).trail).toEqual([
      'COMPLETED → done [recordOutcome]',
      'VOICEMAIL_FAILED: ignored',
    ]);
  });

  it('no answer, busy and failed retry while attempts are left, then exhaust', () => {
    const r = run('queued', ctx(0, 2), [
      { type: 'CLAIMED' },
      { type: 'ALLOWED' },
      { type: 'DIALED' },
      { type: 'NO_ANSWER' },
      { type: 'CLAIMED' },
      { type: 'ALLOWED' },
      { type: 'DIALED' },
      { type: 'BUSY' },
    ]);
    expect(r.trail.slice(3)).toEqual([
      'NO_ANSWER → retryScheduled [scheduleRetry]',
      'CLAIMED → checking',
      'ALLOWED → dialing [countAttempt]',
      'DIALED → ringing',
      'BUSY → exhausted [recordOutcome]',
    ]);
    expect(r.attempts).toBe(2);
  });

  it('a refused dial retries only when the carrier says it may work and attempts are left', () => {
    expect(run('dialing', ctx(1), [{ type: 'DIAL_FAILED', retryable: true }]).status).toBe('retryScheduled');
    expect(run('dialing', ctx(1), [{ type: 'DIAL_FAILED', retryable: false }]).status).toBe('exhausted');
    expect(run('dialing', ctx(3), [{ type: 'DIAL_FAILED', retryable: true }]).status).toBe('exhausted');
  });

  it('rules: outside hours waits for later, do-not-call or no consent blocks for good', () => {
    expect(run('checking', ctx(0), [{ type: 'BLOCKED_FOR_NOW' }]).trail).toEqual([
      'BLOCKED_FOR_NOW → retryScheduled [scheduleRetry]',
    ]);
    const blocked = run('checking', ctx(0), [{ type: 'BLOCKED' }, { type: 'CLAIMED' }]);
    expect(blocked.trail).toEqual(['BLOCKED → blocked [recordOutcome]', 'CLAIMED: ignored']);
  });

  it('an opt-out during the call writes the do-not-call list; nothing reopens it', () => {
    const r = run('conversation', ctx(1), [{ type: 'OPTED_OUT' }, { type: 'CLAIMED' }, { type: 'CANCEL' }]);
    expect(r.trail).toEqual(['OPTED_OUT → optedOut [addToDoNotCall]', 'CLAIMED: ignored', 'CANCEL: ignored']);
  });

  it('cancelling hangs up a call in progress and simply stops a queued target', () => {
    expect(targetTransition('conversation', ctx(1), { type: 'CANCEL' })).toEqual({
      status: 'cancelled',
      effects: ['hangUp'],
    });
    expect(targetTransition('queued', ctx(0), { type: 'CANCEL' })).toEqual({ status: 'cancelled', effects: [] });
    expect(targetTransition('done', ctx(1), { type: 'CANCEL' })).toBeNull();
  });

  it('ignores callbacks that do not apply (late or repeated)', () => {
    expect(targetTransition('queued', ctx(0), { type: 'HUMAN' })).toBeNull();
    expect(targetTransition('retryScheduled', ctx(1), { type: 'NO_ANSWER' })).toBeNull();
  });
});
