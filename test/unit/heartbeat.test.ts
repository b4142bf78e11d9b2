import { describe, expect, it } from 'vitest';
import { computeHeartbeat, NO_FACTS } from '../../src/domain/properties/heartbeat.ts';
import { PROPERTY_STAGES } from '../../src/domain/properties/property.enums.ts';
import { daysAgo, DONE, facts, NOW, subject, THRESHOLDS } from './heartbeat-fixtures.ts';

/** computeHeartbeat: stage metadata, days, the checklist and the next action (health: heartbeat-health.test.ts). */

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
