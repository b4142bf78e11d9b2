import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  CONTRACT_STATUSES,
  IllegalTransitionError,
  isTerminal,
  nextStatuses,
  type ContractStatus,
} from '../../../src/domain/contracts/templates/contract-status.ts';

const ALLOWED: [ContractStatus, ContractStatus][] = [
  ['draft', 'sent'],
  ['sent', 'in_progress'],
  ['in_progress', 'pending_signature'],
  ['pending_signature', 'completed'],
  ...(['draft', 'sent', 'in_progress', 'pending_signature'] as const).flatMap(
    (s): [ContractStatus, ContractStatus][] => [
      [s, 'cancelled'],
      [s, 'expired'],
    ],
  ),
  ['completed', 'archived'],
  ['cancelled', 'archived'],
  ['expired', 'archived'],
];

describe('contract lifecycle', () => {
  it.each(ALLOWED)('%s → %s is allowed', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
    expect(nextStatuses(from)).toContain(to);
  });

  it('allows exactly those 15 transitions and nothing else', () => {
    const allowed = new Set(ALLOWED.map(([a, b]) => `${a}>${b}`));
    let refused = 0;
    for (const from of CONTRACT_STATUSES) {
      for (const to of CONTRACT_STATUSES) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(allowed.has(`${from}>${to}`));
        if (!allowed.has(`${from}>${to}`)) refused++;
      }
    }
    expect(allowed.size).toBe(15);
    expect(refused).toBe(64 - 15);
  });

  it.each([
    ['draft', 'completed'],
    ['sent', 'pending_signature'],
    ['completed', 'draft'],
    ['completed', 'cancelled'],
    ['archived', 'draft'],
    ['cancelled', 'sent'],
    ['expired', 'sent'],
    ['in_progress', 'in_progress'],
  ] as [ContractStatus, ContractStatus][])('%s → %s is refused with the allowed list', (from, to) => {
    let error: unknown;
    try {
      assertTransition(from, to);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IllegalTransitionError);
    const e = error as IllegalTransitionError;
    expect(e).toMatchObject({ from, to, allowed: nextStatuses(from), code: 'illegal_transition' });
    expect(e.message).toContain(`from ${from} to ${to}`);
  });

  it('archived is final; terminal statuses can only be archived', () => {
    expect(nextStatuses('archived')).toEqual([]);
    expect(() => assertTransition('archived', 'completed')).toThrow(/none \(final status\)/);
    for (const s of CONTRACT_STATUSES) {
      if (isTerminal(s) && s !== 'archived') expect(nextStatuses(s)).toEqual(['archived']);
    }
    expect(CONTRACT_STATUSES.filter((s) => !isTerminal(s))).toEqual([
      'draft',
      'sent',
      'in_progress',
      'pending_signature',
    ]);
  });
});
