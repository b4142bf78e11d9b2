import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeHeartbeat } from '../../src/domain/properties/heartbeat.ts';
import { PROPERTY_STAGES, type PropertyStatus } from '../../src/domain/properties/property.enums.ts';
import { DAY, NOW, subject, THRESHOLDS } from './heartbeat-fixtures.ts';

/** Property-based checks of computeHeartbeat: health and the next action follow the reference rules for any input. */

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
