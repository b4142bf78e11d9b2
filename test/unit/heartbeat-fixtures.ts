import { NO_FACTS, type HeartbeatSubject, type StageFacts } from '../../src/domain/properties/heartbeat.ts';
import type { PropertyStatus } from '../../src/domain/properties/property.enums.ts';

/** The heartbeat tests' clock, property and checklist facts, and the stale thresholds per stage. */

export const DAY = 86_400_000;
export const NOW = new Date('2025-06-15T12:00:00.000Z');
export const daysAgo = (d: number): Date => new Date(NOW.getTime() - d * DAY);

export const subject = (over: Partial<HeartbeatSubject> = {}): HeartbeatSubject => ({
  id: 7,
  address: '141 Elm St',
  status: 'new_property',
  stageEnteredAt: daysAgo(1),
  createdAt: daysAgo(20),
  ...over,
});

export const facts = (over: Partial<StageFacts> = {}): StageFacts => ({ ...NO_FACTS, ...over });

/** All checklist steps done. */
export const DONE: StageFacts = {
  enriched: true,
  skipTraced: true,
  contractsAttached: 2,
  requiredContracts: 2,
  requiredCompleted: 2,
  lastActivityAt: null,
};

export const THRESHOLDS: [PropertyStatus, number][] = [
  ['new_property', 3],
  ['enriched', 5],
  ['researched', 7],
  ['waiting_for_contracts', 10],
  ['complete', 999],
];
