import {
  PROPERTY_STAGES,
  STAGE_LABELS,
  STALE_THRESHOLD_DAYS,
  type PropertyStatus,
  type ScoreGrade,
} from './property.enums.ts';

/** What the pipeline knows about one property, gathered from the tables that hold each fact. */
export interface StageFacts {
  /** A Zillow-style enrichment row exists. */
  enriched: boolean;
  /** A skip-trace row exists. */
  skipTraced: boolean;
  contractsAttached: number;
  requiredContracts: number;
  requiredCompleted: number;
  /** Latest conversation-history row for the property, if any. */
  lastActivityAt: Date | null;
}

export const NO_FACTS: StageFacts = {
  enriched: false,
  skipTraced: false,
  contractsAttached: 0,
  requiredContracts: 0,
  requiredCompleted: 0,
  lastActivityAt: null,
};

export interface HeartbeatSubject {
  id: number;
  address: string;
  status: PropertyStatus;
  stageEnteredAt: Date;
  createdAt: Date;
  dealScore?: number | null;
  scoreGrade?: ScoreGrade | null;
}

export type Health = 'healthy' | 'stale' | 'blocked';

export interface Heartbeat {
  property_id: number;
  address: string;
  stage: PropertyStatus;
  stage_label: string;
  stage_index: number;
  total_stages: number;
  checklist: { key: string; label: string; done: boolean; detail?: string }[];
  health: Health;
  health_reason: string;
  days_in_stage: number;
  stale_threshold_days: number;
  days_since_activity: number;
  next_action: string;
  deal_score: number | null;
  score_grade: ScoreGrade | null;
  voice_summary: string;
}

const DAY_MS = 86_400_000;
const round1 = (n: number): number => Math.round(n * 10) / 10;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Pure heartbeat computation (reference §2.12), with days in stage from the stage-entry time. */
export function computeHeartbeat(p: HeartbeatSubject, facts: StageFacts, now: Date): Heartbeat {
  const stageIndex = PROPERTY_STAGES.indexOf(p.status);
  const threshold = STALE_THRESHOLD_DAYS[p.status];
  const daysInStage = round1(Math.max(0, now.getTime() - p.stageEnteredAt.getTime()) / DAY_MS);
  const lastActivity = facts.lastActivityAt ?? p.createdAt;
  const daysSinceActivity = round1(Math.max(0, now.getTime() - lastActivity.getTime()) / DAY_MS);
  const unsigned = Math.max(0, facts.requiredContracts - facts.requiredCompleted);
  const allRequiredDone = facts.requiredContracts > 0 && unsigned === 0;

  const checklist = [
    { key: 'enriched', label: 'Zillow Enrichment', done: facts.enriched },
    { key: 'researched', label: 'Skip Trace', done: facts.skipTraced },
    {
      key: 'contracts_attached',
      label: 'Contracts Attached',
      done: facts.contractsAttached > 0,
      detail: plural(facts.contractsAttached, 'contract'),
    },
    {
      key: 'contracts_completed',
      label: 'Required Contracts Completed',
      done: allRequiredDone,
      detail: `${facts.requiredCompleted} of ${facts.requiredContracts}`,
    },
  ];

  let nextAction: string;
  if (!facts.enriched) nextAction = 'Enrich the property with market data';
  else if (!facts.skipTraced) nextAction = 'Run a skip trace to find the owner';
  else if (facts.contractsAttached === 0) nextAction = 'Attach required contracts';
  else if (facts.requiredContracts === 0) nextAction = 'Mark which attached contracts are required';
  else if (!allRequiredDone) nextAction = `Follow up on ${plural(unsigned, 'unsigned required contract')}`;
  else nextAction = 'All steps complete';

  let health: Health = 'healthy';
  let reason = `In ${STAGE_LABELS[p.status]} for ${plural(daysInStage, 'day')} (threshold ${threshold})`;
  if (p.status === 'complete') {
    reason = 'Deal is complete';
  } else if (p.status === 'waiting_for_contracts' && facts.requiredContracts === 0) {
    health = 'blocked';
    reason = 'Waiting for contracts but no required contracts are attached';
  } else if (p.status === 'waiting_for_contracts' && daysInStage > threshold) {
    health = 'blocked';
    reason = `Waiting ${plural(daysInStage, 'day')} with ${plural(unsigned, 'unsigned required contract')}`;
  } else if (daysInStage > threshold) {
    health = 'stale';
    reason = `In ${STAGE_LABELS[p.status]} for ${plural(daysInStage, 'day')}, past the ${threshold}-day threshold`;
  }

  const label = STAGE_LABELS[p.status];
  const lead = `Property #${p.id} at ${p.address}`;
  const next =
    nextAction === 'All steps complete' ? 'All steps are complete.' : `Next step: ${lowerFirst(nextAction)}.`;
  let voice: string;
  if (health === 'healthy') voice = `${lead} is ${label} and healthy. ${next}`;
  else if (health === 'stale') {
    voice = `${lead} has been ${label} for ${Math.floor(daysInStage)} days, past its ${threshold}-day threshold. ${next}`;
  } else voice = `${lead} is blocked in ${label}: ${lowerFirst(reason)}. ${next}`;

  return {
    property_id: p.id,
    address: p.address,
    stage: p.status,
    stage_label: label,
    stage_index: stageIndex,
    total_stages: PROPERTY_STAGES.length,
    checklist,
    health,
    health_reason: reason,
    days_in_stage: daysInStage,
    stale_threshold_days: threshold,
    days_since_activity: daysSinceActivity,
    next_action: nextAction,
    deal_score: p.dealScore ?? null,
    score_grade: p.scoreGrade ?? null,
    voice_summary: voice,
  };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
