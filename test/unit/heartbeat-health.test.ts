import { describe, expect, it } from 'vitest';
import { computeHeartbeat, NO_FACTS } from '../../src/domain/properties/heartbeat.ts';
import { daysAgo, DONE, facts, NOW, subject, THRESHOLDS } from './heartbeat-fixtures.ts';

/** computeHeartbeat: health (healthy, stale, blocked), its reason, and the spoken summary. */

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
