import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeHeartbeat,
  NO_FACTS,
  type HeartbeatSubject,
  type StageFacts,
} from '../../src/domain/properties/heartbeat.ts';
import { PROPERTY_STAGES, type PropertyStatus } from '../../src/domain/properties/property.enums.ts';

const DAY = 86_400_000;
const NOW = new Date('2025-06-15T12:00:00.000Z');
const daysAgo = (d: number): Date => new Date(NOW.getTime() - d * DAY);

const subject = (over: Partial<HeartbeatSubject> = {}): HeartbeatSubject => ({
  id: 7,
  address: '141 Elm St',
  status: 'new_property',
  stageEnteredAt: daysAgo(1),
  createdAt: daysAgo(20),
  ...over,
});

const facts = (over: Partial<StageFacts> = {}): StageFacts => ({ ...NO_FACTS, ...over });

/** All checklist steps done. */
const DONE: StageFacts = {
  enriched: true,
  skipTraced: true,
  contractsAttached: 2,
  requiredContracts: 2,
  requiredCompleted: 2,
  lastActivityAt: null,
};

const THRESHOLDS: [PropertyStatus, number][] = [
  ['new_property', 3],
  ['enriched', 5],
  ['researched', 7],
  ['waiting_for_contracts', 10],
  ['complete', 999],
];

describe('computeHeartbeat: stage metadata', () => {
  it.each(PROPERTY_STAGES.map((s, i) => [s, i] as const))('%s has index %i of 5', (status, index) => {
    const hb = computeHeartbeat(subject({ status }), DONE, NOW);
    expect(hb.stage).toBe(status);
    expect(hb.stage_index).toBe(index);
    expect(hb.total_stages).toBe(5);
  });

  it.each(THRESHOLDS)('%s has a stale threshold of %i days', (status, threshold) => {
    expect(computeHeartbeat(subject({ status }), DONE, NOW).stale_threshold_days).toBe(threshold);
  });

  it.each([
    ['new_property', 'New Property'],
    ['enriched', 'Enriched'],
    ['researched', 'Researched'],
    ['waiting_for_contracts', 'Waiting for Contracts'],
    ['complete', 'Complete'],
  ] as const)('%s is labelled %s', (status, label) => {
    expect(computeHeartbeat(subject({ status }), DONE, NOW).stage_label).toBe(label);
  });

  it('copies id, address and score fields', () => {
    const hb = computeHeartbeat(subject({ id: 42, address: '9 Oak Ave', dealScore: 87, scoreGrade: 'B' }), DONE, NOW);
    expect(hb.property_id).toBe(42);
    expect(hb.address).toBe('9 Oak Ave');
    expect(hb.deal_score).toBe(87);
    expect(hb.score_grade).toBe('B');
  });

  it('defaults missing scores to null', () => {
    const hb = computeHeartbeat(subject(), DONE, NOW);
    expect(hb.deal_score).toBeNull();
    expect(hb.score_grade).toBeNull();
    const hb2 = computeHeartbeat(subject({ dealScore: null, scoreGrade: null }), DONE, NOW);
    expect(hb2.deal_score).toBeNull();
    expect(hb2.score_grade).toBeNull();
  });

  it('keeps a deal score of 0', () => {
    expect(computeHeartbeat(subject({ dealScore: 0 }), DONE, NOW).deal_score).toBe(0);
  });
});

describe('computeHeartbeat: days', () => {
  it('days_in_stage comes from stageEnteredAt, not updatedAt', () => {
    const p = { ...subject({ stageEnteredAt: daysAgo(2) }), updatedAt: daysAgo(0.1) };
    expect(computeHeartbeat(p, DONE, NOW).days_in_stage).toBe(2);
  });

  it('days_in_stage ignores createdAt', () => {
    expect(
      computeHeartbeat(subject({ stageEnteredAt: daysAgo(1.5), createdAt: daysAgo(100) }), DONE, NOW).days_in_stage,
    ).toBe(1.5);
  });

  it('rounds days to one decimal', () => {
    expect(computeHeartbeat(subject({ stageEnteredAt: daysAgo(2.345) }), DONE, NOW).days_in_stage).toBe(2.3);
    expect(computeHeartbeat(subject({ stageEnteredAt: daysAgo(2.36) }), DONE, NOW).days_in_stage).toBe(2.4);
    expect(
      computeHeartbeat(subject({ stageEnteredAt: new Date(NOW.getTime() - 6 * 3600_000) }), DONE, NOW).days_in_stage,
    ).toBe(0.3);
  });

  it('clamps a future stageEnteredAt to 0 days', () => {
    expect(computeHeartbeat(subject({ stageEnteredAt: daysAgo(-3) }), DONE, NOW).days_in_stage).toBe(0);
  });

  it('days_since_activity comes from facts.lastActivityAt when present', () => {
    const hb = computeHeartbeat(subject({ createdAt: daysAgo(30) }), facts({ lastActivityAt: daysAgo(4) }), NOW);
    expect(hb.days_since_activity).toBe(4);
  });

  it('days_since_activity falls back to createdAt', () => {
    const hb = computeHeartbeat(subject({ createdAt: daysAgo(30), stageEnteredAt: daysAgo(1) }), facts(), NOW);
    expect(hb.days_since_activity).toBe(30);
  });

  it('clamps future activity to 0 days', () => {
    expect(computeHeartbeat(subject(), facts({ lastActivityAt: daysAgo(-1) }), NOW).days_since_activity).toBe(0);
  });

  it('is deterministic and does not mutate its inputs', () => {
    const p = subject();
    const f = facts({ enriched: true, lastActivityAt: daysAgo(2) });
    const pCopy = structuredClone(p);
    const fCopy = structuredClone(f);
    const a = computeHeartbeat(p, f, NOW);
    const b = computeHeartbeat(p, f, NOW);
    expect(a).toEqual(b);
    expect(p).toEqual(pCopy);
    expect(f).toEqual(fCopy);
  });
});

describe('computeHeartbeat: checklist', () => {
  it('reports nothing done with NO_FACTS', () => {
    expect(computeHeartbeat(subject(), NO_FACTS, NOW).checklist).toEqual([
      { key: 'enriched', label: 'Zillow Enrichment', done: false },
      { key: 'researched', label: 'Skip Trace', done: false },
      { key: 'contracts_attached', label: 'Contracts Attached', done: false, detail: '0 contracts' },
      { key: 'contracts_completed', label: 'Required Contracts Completed', done: false, detail: '0 of 0' },
    ]);
  });

  it('reports everything done', () => {
    expect(computeHeartbeat(subject(), DONE, NOW).checklist).toEqual([
      { key: 'enriched', label: 'Zillow Enrichment', done: true },
      { key: 'researched', label: 'Skip Trace', done: true },
      { key: 'contracts_attached', label: 'Contracts Attached', done: true, detail: '2 contracts' },
      { key: 'contracts_completed', label: 'Required Contracts Completed', done: true, detail: '2 of 2' },
    ]);
  });

  it('uses the singular for one contract', () => {
    const hb = computeHeartbeat(subject(), facts({ contractsAttached: 1, requiredContracts: 1 }), NOW);
    expect(hb.checklist[2]).toEqual({
      key: 'contracts_attached',
      label: 'Contracts Attached',
      done: true,
      detail: '1 contract',
    });
    expect(hb.checklist[3]).toEqual({
      key: 'contracts_completed',
      label: 'Required Contracts Completed',
      done: false,
      detail: '0 of 1',
    });
  });

  it('required contracts are not complete when none are required', () => {
    const hb = computeHeartbeat(subject(), facts({ contractsAttached: 3, requiredContracts: 0 }), NOW);
    expect(hb.checklist[3]!.done).toBe(false);
  });

  it('more completed than required still counts as complete', () => {
    const hb = computeHeartbeat(
      subject(),
      facts({ contractsAttached: 3, requiredContracts: 2, requiredCompleted: 3 }),
      NOW,
    );
    expect(hb.checklist[3]!.done).toBe(true);
  });
});

describe('computeHeartbeat: next_action', () => {
  it.each([
    ['nothing done', facts(), 'Enrich the property with market data'],
    [
      'skip trace done but not enriched',
      facts({ skipTraced: true, contractsAttached: 1 }),
      'Enrich the property with market data',
    ],
    ['enriched only', facts({ enriched: true }), 'Run a skip trace to find the owner'],
    [
      'enriched + contracts but no skip trace',
      facts({ enriched: true, contractsAttached: 2 }),
      'Run a skip trace to find the owner',
    ],
    [
      'no contracts attached',
      facts({ enriched: true, skipTraced: true, requiredContracts: 2 }),
      'Attach required contracts',
    ],
    [
      'one unsigned',
      facts({ enriched: true, skipTraced: true, contractsAttached: 2, requiredContracts: 2, requiredCompleted: 1 }),
      'Follow up on 1 unsigned required contract',
    ],
    [
      'three unsigned',
      facts({ enriched: true, skipTraced: true, contractsAttached: 3, requiredContracts: 3, requiredCompleted: 0 }),
      'Follow up on 3 unsigned required contracts',
    ],
    ['all done', DONE, 'All steps complete'],
    [
      'more signed than required',
      facts({ enriched: true, skipTraced: true, contractsAttached: 3, requiredContracts: 1, requiredCompleted: 3 }),
      'All steps complete',
    ],
  ] as const)('%s → %s', (_name, f, expected) => {
    expect(computeHeartbeat(subject(), f, NOW).next_action).toBe(expected);
  });
});

describe('computeHeartbeat: health', () => {
  it.each(THRESHOLDS.filter(([s]) => s !== 'complete' && s !== 'waiting_for_contracts'))(
    '%s is healthy at exactly its %i-day threshold and stale past it',
    (status, threshold) => {
      const at = computeHeartbeat(subject({ status, stageEnteredAt: daysAgo(threshold) }), DONE, NOW);
      expect(at.health).toBe('healthy');
      expect(at.days_in_stage).toBe(threshold);
      const past = computeHeartbeat(subject({ status, stageEnteredAt: daysAgo(threshold + 0.5) }), DONE, NOW);
      expect(past.health).toBe('stale');
    },
  );

  it('healthy reason names the stage, days and threshold', () => {
    const hb = computeHeartbeat(subject({ status: 'enriched', stageEnteredAt: daysAgo(2.5) }), DONE, NOW);
    expect(hb.health).toBe('healthy');
    expect(hb.health_reason).toBe('In Enriched for 2.5 days (threshold 5)');
  });

  it('stale reason', () => {
    const hb = computeHeartbeat(subject({ status: 'researched', stageEnteredAt: daysAgo(8.25) }), DONE, NOW);
    expect(hb.health).toBe('stale');
    expect(hb.health_reason).toBe('In Researched for 8.3 days, past the 7-day threshold');
  });

  it('complete is always healthy, however long it sits', () => {
    for (const d of [0, 10, 998, 999, 1000, 5000]) {
      const hb = computeHeartbeat(subject({ status: 'complete', stageEnteredAt: daysAgo(d) }), NO_FACTS, NOW);
      expect(hb.health).toBe('healthy');
      expect(hb.health_reason).toBe('Deal is complete');
    }
  });

  it('waiting_for_contracts with zero required contracts is blocked even on day 0', () => {
    const hb = computeHeartbeat(
      subject({ status: 'waiting_for_contracts', stageEnteredAt: NOW }),
      facts({ enriched: true, skipTraced: true, contractsAttached: 2, requiredContracts: 0 }),
      NOW,
    );
    expect(hb.health).toBe('blocked');
    expect(hb.health_reason).toBe('Waiting for contracts but no required contracts are attached');
  });

  it('waiting_for_contracts within 10 days with required contracts is healthy', () => {
    const f = facts({
      enriched: true,
      skipTraced: true,
      contractsAttached: 2,
      requiredContracts: 2,
      requiredCompleted: 1,
    });
    const hb = computeHeartbeat(subject({ status: 'waiting_for_contracts', stageEnteredAt: daysAgo(10) }), f, NOW);
    expect(hb.health).toBe('healthy');
    expect(hb.health_reason).toBe('In Waiting for Contracts for 10 days (threshold 10)');
  });

  it('waiting_for_contracts past 10 days is blocked, not stale', () => {
    const f = facts({
      enriched: true,
      skipTraced: true,
      contractsAttached: 2,
      requiredContracts: 2,
      requiredCompleted: 1,
    });
    const hb = computeHeartbeat(subject({ status: 'waiting_for_contracts', stageEnteredAt: daysAgo(12) }), f, NOW);
    expect(hb.health).toBe('blocked');
    expect(hb.health_reason).toBe('Waiting 12 days with 1 unsigned required contract');
  });

  it('waiting_for_contracts past 10 days with several unsigned uses the plural', () => {
    const f = facts({ enriched: true, skipTraced: true, contractsAttached: 3, requiredContracts: 3 });
    const hb = computeHeartbeat(subject({ status: 'waiting_for_contracts', stageEnteredAt: daysAgo(11.5) }), f, NOW);
    expect(hb.health_reason).toBe('Waiting 11.5 days with 3 unsigned required contracts');
  });

  it('health depends on days in stage, not days since activity', () => {
    const hb = computeHeartbeat(
      subject({ status: 'new_property', stageEnteredAt: daysAgo(1), createdAt: daysAgo(100) }),
      facts({ lastActivityAt: daysAgo(50) }),
      NOW,
    );
    expect(hb.health).toBe('healthy');
    expect(hb.days_since_activity).toBe(50);
  });

  it('an old property that just entered a stage is healthy (stageEnteredAt, not createdAt)', () => {
    const hb = computeHeartbeat(
      subject({ status: 'enriched', createdAt: daysAgo(60), stageEnteredAt: daysAgo(1) }),
      DONE,
      NOW,
    );
    expect(hb.health).toBe('healthy');
  });
});

describe('computeHeartbeat: voice_summary', () => {
  it('healthy', () => {
    const hb = computeHeartbeat(subject({ stageEnteredAt: daysAgo(1) }), NO_FACTS, NOW);
    expect(hb.voice_summary).toBe(
      'Property #7 at 141 Elm St is New Property and healthy. Next step: enrich the property with market data.',
    );
  });

  it('healthy and all steps complete', () => {
    const hb = computeHeartbeat(subject({ status: 'complete', stageEnteredAt: daysAgo(40) }), DONE, NOW);
    expect(hb.voice_summary).toBe('Property #7 at 141 Elm St is Complete and healthy. All steps are complete.');
  });

  it('stale, with whole days', () => {
    const hb = computeHeartbeat(
      subject({ status: 'new_property', stageEnteredAt: daysAgo(4.6) }),
      facts({ enriched: true }),
      NOW,
    );
    expect(hb.health).toBe('stale');
    expect(hb.days_in_stage).toBe(4.6);
    expect(hb.voice_summary).toBe(
      'Property #7 at 141 Elm St has been New Property for 4 days, past its 3-day threshold. Next step: run a skip trace to find the owner.',
    );
  });

  it('blocked with no required contracts', () => {
    const hb = computeHeartbeat(
      subject({ status: 'waiting_for_contracts', stageEnteredAt: daysAgo(2) }),
      facts({ enriched: true, skipTraced: true }),
      NOW,
    );
    expect(hb.voice_summary).toBe(
      'Property #7 at 141 Elm St is blocked in Waiting for Contracts: waiting for contracts but no required contracts are attached. Next step: attach required contracts.',
    );
  });

  it('blocked past the threshold', () => {
    const hb = computeHeartbeat(
      subject({ status: 'waiting_for_contracts', stageEnteredAt: daysAgo(14) }),
      facts({ enriched: true, skipTraced: true, contractsAttached: 2, requiredContracts: 2 }),
      NOW,
    );
    expect(hb.voice_summary).toBe(
      'Property #7 at 141 Elm St is blocked in Waiting for Contracts: waiting 14 days with 2 unsigned required contracts. Next step: follow up on 2 unsigned required contracts.',
    );
  });
});

describe('computeHeartbeat: properties', () => {
  const arbStatus = fc.constantFrom(...PROPERTY_STAGES);
  const arbFacts = fc.record({
    enriched: fc.boolean(),
    skipTraced: fc.boolean(),
    contractsAttached: fc.integer({ min: 0, max: 5 }),
    requiredContracts: fc.integer({ min: 0, max: 5 }),
    requiredCompleted: fc.integer({ min: 0, max: 5 }),
    lastActivityAt: fc.option(
      fc.integer({ min: -5 * DAY, max: 400 * DAY }).map((ms) => new Date(NOW.getTime() - ms)),
      { nil: null },
    ),
  });
  const arbDaysMs = fc.integer({ min: -5 * DAY, max: 2000 * DAY });

  it('health follows the reference rules for any input', () => {
    const threshold = Object.fromEntries(THRESHOLDS) as Record<PropertyStatus, number>;
    fc.assert(
      fc.property(arbStatus, arbFacts, arbDaysMs, (status, f, ms) => {
        const hb = computeHeartbeat(subject({ status, stageEnteredAt: new Date(NOW.getTime() - ms) }), f, NOW);
        const days = hb.days_in_stage;
        expect(days).toBe(Math.round((Math.max(0, ms) / DAY) * 10) / 10);
        let expected: string;
        if (status === 'complete') expected = 'healthy';
        else if (status === 'waiting_for_contracts' && f.requiredContracts === 0) expected = 'blocked';
        else if (status === 'waiting_for_contracts' && days > threshold[status]) expected = 'blocked';
        else if (days > threshold[status]) expected = 'stale';
        else expected = 'healthy';
        expect(hb.health).toBe(expected);
      }),
    );
  });

  it('next_action is the first unchecked step', () => {
    fc.assert(
      fc.property(arbFacts, (f) => {
        const hb = computeHeartbeat(subject(), f, NOW);
        const allDone = f.requiredContracts > 0 && f.requiredCompleted >= f.requiredContracts;
        if (!f.enriched) expect(hb.next_action).toBe('Enrich the property with market data');
        else if (!f.skipTraced) expect(hb.next_action).toBe('Run a skip trace to find the owner');
        else if (f.contractsAttached === 0) expect(hb.next_action).toBe('Attach required contracts');
        else if (f.requiredContracts === 0) expect(hb.next_action).toBe('Mark which attached contracts are required');
        else if (!allDone) expect(hb.next_action).toMatch(/^Follow up on \d+ unsigned required contracts?$/);
        else expect(hb.next_action).toBe('All steps complete');
      }),
    );
  });

  it('days are never negative', () => {
    fc.assert(
      fc.property(arbStatus, arbFacts, arbDaysMs, (status, f, ms) => {
        const hb = computeHeartbeat(subject({ status, stageEnteredAt: new Date(NOW.getTime() - ms) }), f, NOW);
        expect(hb.days_in_stage).toBeGreaterThanOrEqual(0);
        expect(hb.days_since_activity).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('computeHeartbeat: wording', () => {
  // With contracts attached but none marked required there is nothing unsigned to follow up on.
  it('does not ask to follow up on 0 unsigned contracts', () => {
    const hb = computeHeartbeat(
      subject(),
      facts({ enriched: true, skipTraced: true, contractsAttached: 2, requiredContracts: 0 }),
      NOW,
    );
    expect(hb.next_action).toBe('Mark which attached contracts are required');
  });

  it('health_reason says "1 day", not "1 days"', () => {
    const hb = computeHeartbeat(subject({ status: 'enriched', stageEnteredAt: daysAgo(1) }), DONE, NOW);
    expect(hb.health_reason).toBe('In Enriched for 1 day (threshold 5)');
  });
});
