import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildFollowUpQueue,
  priorityFor,
  scoreFollowUp,
  type FollowUpFacts,
} from '../../../src/domain/intelligence/follow-up-queue.ts';
import { SCORE_GRADES } from '../../../src/domain/properties/property.enums.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = new Date('2025-06-15T12:00:00.000Z');
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);
const ahead = (ms: number): Date => new Date(NOW.getTime() + ms);

const facts = (over: Partial<FollowUpFacts> = {}): FollowUpFacts => ({
  propertyId: 1,
  address: '1 Quiet Lane',
  status: 'researched',
  scoreGrade: 'C',
  createdAt: ago(60 * DAY),
  lastActivityAt: ago(5 * DAY),
  snoozedUntil: null,
  contracts: [],
  overdueFollowUpTask: false,
  skipTrace: null,
  callToolLogged: false,
  contacts: [],
  ...over,
});

describe('scoreFollowUp: hand-computed', () => {
  it('scores staleness × grade with the default reason', () => {
    const item = scoreFollowUp(facts({ scoreGrade: 'B', dealScore: 65 }), NOW);
    // 5 days × 10 = 50, × 1.5 (B) = 75 → high
    expect(item).toEqual({
      property_id: 1,
      address: '1 Quiet Lane',
      status: 'researched',
      deal_score: 65,
      score_grade: 'B',
      score: 75,
      priority: 'high',
      reasons: ['No activity in 5 days'],
      suggested_action: 'Check in on this property',
      contact: null,
      days_since_activity: 5,
    });
  });

  it('adds every bonus, takes the action from the first reason and prefers the seller over other contacts', () => {
    const item = scoreFollowUp(
      facts({
        status: 'waiting_for_contracts',
        scoreGrade: 'A',
        lastActivityAt: ago(2 * DAY),
        contracts: [
          { name: 'Lead Paint', required: true, status: 'sent', requiredByDate: ahead(2.9 * DAY), createdAt: ago(DAY) },
          {
            name: 'Purchase Agreement',
            required: true,
            status: 'draft',
            requiredByDate: ahead(2.5 * DAY),
            createdAt: ago(4 * DAY),
          },
        ],
        overdueFollowUpTask: true,
        overdueFollowUpTaskTitle: 'Call the seller about repairs',
        skipTrace: { ownerName: 'Olive Owner', phones: ['+15550001111'] },
        contacts: [
          { name: 'Ivan Inspector', role: 'inspector', phone: '+15550002222' },
          { name: 'Sam Seller', role: 'seller', phone: '+15551234567' },
        ],
      }),
      NOW,
    );
    // 2 days × 10 × 2.0 (A) = 40; + deadline 40 + overdue task 35 + unsigned 30 + skip trace 25 + no buyer 15 = 185
    expect(item?.score).toBe(185);
    expect(item?.priority).toBe('urgent');
    expect(item?.reasons).toEqual([
      "Contract 'Purchase Agreement' due in 2 days", // earliest deadline first
      'Overdue task: Call the seller about repairs',
      'Purchase Agreement unsigned for 3+ days',
      'Skip trace done, no outreach yet',
      'No buyer contact while waiting for contracts',
    ]);
    expect(item?.suggested_action).toBe("Follow up on 'Purchase Agreement' contract");
    expect(item?.contact).toEqual({ name: 'Sam Seller', phone: '+15551234567', role: 'seller' });
  });

  it('reports an overdue deadline', () => {
    const item = scoreFollowUp(
      facts({
        contracts: [
          {
            name: 'Disclosure',
            required: true,
            status: 'in_progress',
            requiredByDate: ago(1.5 * DAY),
            createdAt: ago(9 * DAY),
          },
        ],
      }),
      NOW,
    );
    expect(item?.reasons).toEqual(["Contract 'Disclosure' OVERDUE by 2 days"]);
    expect(item?.score).toBe(90); // 50 + 40
  });

  it('puts the best contact phone into "Call …" actions', () => {
    const owner = scoreFollowUp(facts({ skipTrace: { ownerName: 'Olive Owner', phones: ['+15550001111'] } }), NOW);
    expect(owner?.suggested_action).toBe('Call Olive Owner at +15550001111');
    expect(owner?.contact).toEqual({ name: 'Olive Owner', phone: '+15550001111', role: 'owner' });
    const task = scoreFollowUp(
      facts({
        overdueFollowUpTask: true,
        overdueFollowUpTaskTitle: 'Call back about the appraisal',
        contacts: [
          { name: 'Sam Seller', role: 'seller', phone: '+15551234567' },
          { name: 'Bea Buyer', role: 'buyer', phone: '+15559876543' },
        ],
      }),
      NOW,
    );
    expect(task?.suggested_action).toBe('Call Bea Buyer at +15559876543');
    const noPhone = scoreFollowUp(
      facts({
        skipTrace: { ownerName: 'Olive Owner', phones: [] },
        contacts: [{ name: 'Bo', role: 'other', phone: null }],
      }),
      NOW,
    );
    expect(noPhone?.suggested_action).toBe('Call the property owner');
    expect(noPhone?.contact).toEqual({ name: 'Bo', phone: null, role: 'other' });
  });

  it('does not give the outreach bonus once a call tool was logged, nor the buyer bonus outside waiting_for_contracts', () => {
    const item = scoreFollowUp(facts({ skipTrace: { ownerName: null, phones: [] }, callToolLogged: true }), NOW);
    expect(item?.score).toBe(50);
    expect(item?.contact).toBeNull();
    expect(scoreFollowUp(facts({ status: 'enriched' }), NOW)?.score).toBe(50);
    const withBuyer = facts({ status: 'waiting_for_contracts', contacts: [{ name: 'B', role: 'buyer', phone: null }] });
    expect(scoreFollowUp(withBuyer, NOW)?.score).toBe(50);
    expect(scoreFollowUp(facts({ status: 'waiting_for_contracts' }), NOW)?.score).toBe(65);
  });
});

describe('scoreFollowUp: candidates and exclusions', () => {
  it('excludes complete, snoozed and recently touched properties', () => {
    expect(scoreFollowUp(facts({ status: 'complete' }), NOW)).toBeNull();
    expect(scoreFollowUp(facts({ snoozedUntil: ahead(HOUR) }), NOW)).toBeNull();
    expect(scoreFollowUp(facts({ snoozedUntil: ago(HOUR) }), NOW)).not.toBeNull();
    expect(scoreFollowUp(facts({ lastActivityAt: ago(23 * HOUR) }), NOW)).toBeNull();
    expect(scoreFollowUp(facts({ lastActivityAt: ago(24 * HOUR) }), NOW)?.score).toBe(10);
  });

  it('falls back to created_at without history', () => {
    expect(scoreFollowUp(facts({ lastActivityAt: null, createdAt: ago(3 * DAY) }), NOW)?.score).toBe(30);
    expect(scoreFollowUp(facts({ lastActivityAt: null, createdAt: ago(HOUR) }), NOW)).toBeNull();
  });

  it.each([
    ['A', 200],
    ['B', 150],
    ['C', 100],
    ['D', 80],
    ['F', 50],
    [null, 100],
  ] as const)('grade %s multiplies a 100 base to %d', (grade, score) => {
    expect(scoreFollowUp(facts({ scoreGrade: grade, lastActivityAt: ago(10 * DAY) }), NOW)?.score).toBe(score);
  });

  it('caps the base at 300', () => {
    expect(scoreFollowUp(facts({ scoreGrade: 'F', lastActivityAt: ago(100 * DAY) }), NOW)?.score).toBe(150);
  });

  it('applies the deadline window and contract states exactly', () => {
    const due = (requiredByDate: Date, over: Partial<FollowUpFacts['contracts'][number]> = {}) =>
      scoreFollowUp(
        facts({
          contracts: [{ name: 'X', required: true, status: 'sent', requiredByDate, createdAt: ago(DAY), ...over }],
        }),
        NOW,
      )?.score;
    expect(due(ahead(3 * DAY))).toBe(90);
    expect(due(ahead(3 * DAY + 1))).toBe(50);
    expect(due(ahead(DAY), { status: 'completed' })).toBe(50);
    expect(due(ahead(DAY), { status: 'cancelled' })).toBe(50);
    expect(due(ahead(DAY), { required: false })).toBe(50);
  });

  it('applies the unsigned-contract age and states exactly', () => {
    const unsigned = (createdAt: Date, status: FollowUpFacts['contracts'][number]['status'] = 'draft') =>
      scoreFollowUp(facts({ contracts: [{ name: 'X', required: true, status, requiredByDate: null, createdAt }] }), NOW)
        ?.score;
    expect(unsigned(ago(3 * DAY + 1))).toBe(80);
    expect(unsigned(ago(3 * DAY))).toBe(50);
    expect(unsigned(ago(10 * DAY), 'in_progress')).toBe(50);
  });
});

describe('priorityFor boundaries', () => {
  it.each([
    [100, 'urgent'],
    [99.9, 'high'],
    [60, 'high'],
    [59.9, 'medium'],
    [30, 'medium'],
    [29.9, 'low'],
    [0, 'low'],
  ] as const)('%d → %s', (score, priority) => {
    expect(priorityFor(score)).toBe(priority);
  });
});

describe('buildFollowUpQueue', () => {
  const props = [
    facts({ propertyId: 1, address: '1 Quiet Lane', lastActivityAt: ago(2 * DAY) }), // 20 low
    facts({ propertyId: 2, address: '2 Busy Rd', scoreGrade: 'A', lastActivityAt: ago(6 * DAY) }), // 120 urgent
    facts({ propertyId: 3, address: '3 Done Ct', status: 'complete' }),
    facts({ propertyId: 4, address: '4 Mid St', lastActivityAt: ago(4 * DAY) }), // 40 medium
    facts({ propertyId: 5, address: '5 Twin St', lastActivityAt: ago(4 * DAY) }), // 40 medium, ties by id
  ];

  it('ranks by score, then property id, and limits', () => {
    const q = buildFollowUpQueue(props, NOW, { limit: 3 });
    expect(q.items.map((i) => [i.rank, i.property_id, i.score, i.priority])).toEqual([
      [1, 2, 120, 'urgent'],
      [2, 4, 40, 'medium'],
      [3, 5, 40, 'medium'],
    ]);
    expect(q.total).toBe(4);
    expect(q.voice_summary).toBe(
      'You have 4 properties to follow up on, 1 urgent. Top priority: 2 Busy Rd. No activity in 6 days. Suggested: Check in on this property.',
    );
  });

  it('filters by priority', () => {
    const q = buildFollowUpQueue(props, NOW, { priority: 'medium' });
    expect(q.items.map((i) => i.property_id)).toEqual([4, 5]);
    expect(q.total).toBe(2);
  });

  it('says so when nothing needs attention', () => {
    expect(buildFollowUpQueue([props[2]!], NOW)).toEqual({
      items: [],
      total: 0,
      voice_summary: 'No follow-ups needed right now.',
    });
  });
});

describe('follow-up properties', () => {
  const arb = fc.record({
    inactiveHours: fc.double({ min: 0, max: 24 * 400, noNaN: true }),
    grade: fc.constantFrom(...SCORE_GRADES, null),
    overdueFollowUpTask: fc.boolean(),
    skipTrace: fc.boolean(),
    callToolLogged: fc.boolean(),
    waiting: fc.boolean(),
  });

  it('keeps the priority band consistent with the score and excludes anything touched in the last 24 h', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const item = scoreFollowUp(
          facts({
            lastActivityAt: ago(a.inactiveHours * HOUR),
            scoreGrade: a.grade,
            overdueFollowUpTask: a.overdueFollowUpTask,
            skipTrace: a.skipTrace ? { ownerName: 'O', phones: [] } : null,
            callToolLogged: a.callToolLogged,
            status: a.waiting ? 'waiting_for_contracts' : 'researched',
          }),
          NOW,
        );
        if (a.inactiveHours < 24) {
          expect(item).toBeNull();
          return;
        }
        expect(item).not.toBeNull();
        expect(item!.priority).toBe(priorityFor(item!.score));
        expect(item!.score).toBeGreaterThanOrEqual(0);
        expect(item!.score).toBeLessThanOrEqual(300 * 2 + 40 + 35 + 30 + 25 + 15);
      }),
    );
  });
});
