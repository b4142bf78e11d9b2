import type { HistoryService } from '../activity/history.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { StageFacts } from '../properties/heartbeat.ts';
import { Property, type IProperty } from '../properties/property.entity.ts';
import { PROPERTY_STAGES, STAGE_LABELS, type PropertyStatus } from '../properties/property.enums.ts';
import { gatherFacts, type StageFactsSource } from '../properties/stage-facts.ts';
import type { AgentScope } from '../shared/scope.ts';

/** A manual stage change holds automation off for this long. */
export const MANUAL_GRACE_MS = 24 * 3_600_000;
export const PIPELINE_SESSION = 'pipeline_automation';

export interface Advance {
  property_id: number;
  address: string;
  from: PropertyStatus;
  to: PropertyStatus;
  reason: string;
}

export interface PipelineCheckResult {
  checked: number;
  skipped_grace: number;
  advanced: Advance[];
}

/**
 * The next stage a property may move to, given what exists (reference §2.1), or null.
 * One step per check.
 */
export function nextStage(status: PropertyStatus, f: StageFacts): { to: PropertyStatus; reason: string } | null {
  switch (status) {
    case 'new_property':
      return f.enriched ? { to: 'enriched', reason: 'market data was recorded' } : null;
    case 'enriched':
      return f.skipTraced ? { to: 'researched', reason: 'the owner was skip traced' } : null;
    case 'researched':
      return f.contractsAttached > 0 ? { to: 'waiting_for_contracts', reason: 'contracts are attached' } : null;
    case 'waiting_for_contracts':
      return f.requiredContracts > 0 && f.requiredCompleted >= f.requiredContracts
        ? { to: 'complete', reason: 'every required contract is signed' }
        : null;
    case 'complete':
      return null;
  }
}

/** Pipeline auto-advance: runs on the job engine every 5 minutes and on demand. Idempotent. */
export class PipelineService {
  constructor(
    private readonly factSources: readonly StageFactsSource[],
    private readonly notifications: NotificationsService,
    private readonly history: HistoryService,
  ) {}

  async check(scope: AgentScope, now = new Date(), propertyIds?: number[]): Promise<PipelineCheckResult> {
    const where: Record<string, unknown> = { agent: scope.agentId, status: { $ne: 'complete' } };
    if (propertyIds) where.id = { $in: propertyIds };
    const properties = await scope.em.find(Property, where, { orderBy: { id: 'asc' } });
    const facts = await gatherFacts(
      this.factSources,
      scope.em,
      scope.agentId,
      properties.map((p) => p.id),
    );
    const result: PipelineCheckResult = { checked: properties.length, skipped_grace: 0, advanced: [] };
    for (const property of properties) {
      if (property.stageSource === 'manual' && now.getTime() - property.stageEnteredAt.getTime() < MANUAL_GRACE_MS) {
        result.skipped_grace++;
        continue;
      }
      const step = nextStage(property.status, facts.get(property.id)!);
      if (!step) continue;
      const advanced = await this.advance(scope, property, step.to, step.reason, now);
      if (advanced) result.advanced.push(advanced);
    }
    return result;
  }

  /** Moves a property to a stage on behalf of the system, with a notification and a history row. */
  async advance(
    scope: AgentScope,
    property: IProperty,
    to: PropertyStatus,
    reason: string,
    now = new Date(),
  ): Promise<Advance | null> {
    const from: PropertyStatus = property.status;
    // Conditional on the stage read: a concurrent check (another instance, or the REST trigger
    // racing the job) moves a property once, and only the winner notifies and writes history.
    const moved = await scope.em.nativeUpdate(
      Property,
      { id: property.id, agent: scope.agentId, status: from },
      { status: to, stageEnteredAt: now, stageSource: 'pipeline' },
    );
    if (moved === 0) return null;
    Object.assign(property, { status: to, stageEnteredAt: now, stageSource: 'pipeline' });
    const message = `${property.address} moved from ${STAGE_LABELS[from]} to ${STAGE_LABELS[to]}: ${reason}.`;
    await this.notifications.create(
      scope,
      {
        type: 'pipeline_auto_advance',
        priority: 'medium',
        title: `${property.address} → ${STAGE_LABELS[to]}`,
        message,
        propertyId: property.id,
        data: { from, to, stage_index: PROPERTY_STAGES.indexOf(to) },
        icon: 'arrow-right',
        autoDismissSeconds: 15,
      },
      now,
    );
    await this.history.record(scope, {
      sessionId: PIPELINE_SESSION,
      propertyId: property.id,
      source: 'system',
      toolName: 'pipeline_auto_advance',
      input: { from, to },
      output: { reason },
      inputSummary: `status ${from} → ${to}`,
      outputSummary: message,
      success: true,
      durationMs: 0,
    });
    return { property_id: property.id, address: property.address, from, to, reason };
  }
}
