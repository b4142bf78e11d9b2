import { z } from 'zod';
import type { HistoryService } from '../activity/history.service.ts';
import { askJson } from '../shared/llm-assist.ts';
import type { TextGenerator } from '../shared/text-generator.port.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { Contract } from '../contracts/contract.entity.ts';
import { computeRelationshipHealth, type RelationshipHealth } from '../intelligence/relationship-health.ts';
import type { LearningService } from '../learning/learning.service.ts';
import { Note } from '../notes/note.entity.ts';
import { computeHeartbeat } from '../properties/heartbeat.ts';
import { gatherFacts, type StageFactsSource } from '../properties/stage-facts.ts';
import { NotFoundError } from '../errors.ts';
import { predictClosing, type ClosingPrediction } from '../intelligence/closing-probability.ts';
import { computeDealScore, type DealScoreResult } from '../intelligence/deal-score.ts';
import {
  buildFollowUpQueue,
  CALL_TOOL_NAMES,
  type FollowUpPriority,
  type FollowUpQueue,
} from '../intelligence/follow-up-queue.ts';
import type { NotesService } from '../notes/notes.service.ts';
import { Offer } from '../offers/offer.entity.ts';
import { ownPropertyRef } from '../properties/ownership.ts';
import { Property, type IProperty } from '../properties/property.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import { loadPropertyFacts, type PropertyFactRows } from './portfolio-facts.ts';

export const DEFAULT_SNOOZE_HOURS = 72;

/** The actions a model may choose as a property's next step. */
export const NEXT_ACTIONS = [
  'enrich_property',
  'skip_trace_owner',
  'attach_contracts',
  'send_for_signature',
  'follow_up_signers',
  'call_contact',
  'review_offers',
  'adjust_price',
] as const;
const NEXT_ACTION_LABELS: Record<(typeof NEXT_ACTIONS)[number], string> = {
  enrich_property: 'Enrich the property with market data',
  skip_trace_owner: 'Run a skip trace to find the owner',
  attach_contracts: 'Attach the required contracts',
  send_for_signature: 'Send the contracts for signature',
  follow_up_signers: 'Follow up with the signers',
  call_contact: 'Call the buyer or seller',
  review_offers: 'Review the open offers',
  adjust_price: 'Review the list price',
};
const NextActionSchema = z.object({
  action_code: z.enum(NEXT_ACTIONS),
  reasoning: z.string().min(1).max(600),
  priority: z.enum(['high', 'medium', 'low']),
});
const HOUR_MS = 3_600_000;

/** Gathers facts from the database and runs the pure intelligence algorithms over them. */
export class InsightsService {
  constructor(
    private readonly tasks: TasksService,
    private readonly notes: NotesService,
    private readonly history: HistoryService,
    private readonly learning: LearningService,
    private readonly factSources: readonly StageFactsSource[],
    private readonly llm: TextGenerator | null = null,
  ) {}

  private facts(scope: AgentScope, ids: number[], now: Date): Promise<PropertyFactRows> {
    return loadPropertyFacts(scope.em, scope.agentId, ids, now, CALL_TOOL_NAMES);
  }

  async followUpQueue(
    scope: AgentScope,
    opts: { limit?: number; priority?: FollowUpPriority } = {},
    now = new Date(),
  ): Promise<FollowUpQueue> {
    const properties = await scope.em.find(Property, { agent: scope.agentId, status: { $ne: 'complete' } });
    const f = await this.facts(
      scope,
      properties.map((p) => p.id),
      now,
    );
    return buildFollowUpQueue(
      properties.map((p) => ({
        propertyId: p.id,
        address: p.address,
        status: p.status,
        dealScore: p.dealScore ?? null,
        scoreGrade: p.scoreGrade ?? null,
        createdAt: p.createdAt,
        lastActivityAt: f.lastActivity.get(p.id) ?? null,
        snoozedUntil: f.snoozedUntil.get(p.id) ?? null,
        contracts: f.contracts.get(p.id) ?? [],
        overdueFollowUpTask: f.overdueFollowUps.has(p.id),
        ...(f.overdueFollowUps.has(p.id) ? { overdueFollowUpTaskTitle: f.overdueFollowUps.get(p.id)! } : {}),
        skipTrace: f.skipTraces.has(p.id)
          ? { ownerName: f.skipTraces.get(p.id)!.ownerName, phones: f.skipTraces.get(p.id)!.phones }
          : null,
        callToolLogged: f.callTools.has(p.id),
        contacts: f.contacts.get(p.id) ?? [],
      })),
      now,
      opts,
    );
  }

  /** Hides a property from the follow-up queue for `hours` (default 72); replaces any earlier snooze. */
  async snoozeFollowUp(scope: AgentScope, propertyId: number, hours = DEFAULT_SNOOZE_HOURS, now = new Date()) {
    await ownPropertyRef(scope, propertyId);
    await this.tasks.cancelSnoozes(scope, propertyId);
    const until = new Date(now.getTime() + hours * HOUR_MS);
    return this.tasks.create(
      scope,
      {
        task_type: 'follow_up',
        title: 'Follow-up snoozed',
        scheduled_at: until.toISOString(),
        property_id: propertyId,
      },
      { action: 'snooze_follow_up', createdBy: 'follow_up_queue' },
    );
  }

  /** Marks a follow-up done: a history row (which resets "days inactive"), an optional note. */
  async completeFollowUp(
    scope: AgentScope,
    propertyId: number,
    note: string | null,
    source: 'voice' | 'manual' = 'manual',
  ) {
    const property = await scope.em.findOne(Property, { id: propertyId, agent: scope.agentId });
    if (!property) throw new NotFoundError('Property', propertyId);
    await this.tasks.cancelSnoozes(scope, propertyId);
    const saved = note ? await this.notes.add(scope, propertyId, { content: note, source }) : null;
    await this.history.record(scope, {
      sessionId: 'follow_up_queue',
      propertyId,
      source: 'system',
      toolName: 'complete_follow_up',
      input: { note },
      output: null,
      inputSummary: note ? `note: ${note}` : 'follow-up completed',
      outputSummary: `Follow-up on ${property.address} completed`,
      success: true,
      durationMs: 0,
    });
    return { property_id: propertyId, address: property.address, note: saved };
  }

  /** Scores properties (reference §2.2) and stores score, grade and breakdown on each. */
  async scoreProperties(scope: AgentScope, ids?: number[], now = new Date()): Promise<Map<number, DealScoreResult>> {
    const where: Record<string, unknown> = { agent: scope.agentId };
    if (ids) where.id = { $in: ids };
    const properties = await scope.em.find(Property, where);
    const f = await this.facts(
      scope,
      properties.map((p) => p.id),
      now,
    );
    const weighting = await this.learning.dealWeights(scope);
    const out = new Map<number, DealScoreResult>();
    for (const p of properties) {
      const result = computeDealScore(this.dealFacts(p, f), weighting);
      p.dealScore = result.score;
      p.scoreGrade = result.grade;
      p.scoreBreakdown = result.breakdown as unknown as Record<string, unknown>;
      out.set(p.id, result);
    }
    await scope.em.flush();
    return out;
  }

  async scoreProperty(scope: AgentScope, id: number, now = new Date()): Promise<DealScoreResult> {
    await ownPropertyRef(scope, id);
    return (await this.scoreProperties(scope, [id], now)).get(id)!;
  }

  /**
   * The closing prediction. `log`: also record it for the learning loop (its accuracy is measured on the
   * logged predictions once outcomes come in) — a prediction the realtor was given, not every look.
   */
  async predictClosing(
    scope: AgentScope,
    id: number,
    now = new Date(),
    opts: { log?: boolean } = {},
  ): Promise<ClosingPrediction> {
    const p = await scope.em.findOne(Property, { id, agent: scope.agentId });
    if (!p) throw new NotFoundError('Property', id);
    const f = await this.facts(scope, [id], now);
    const contracts = f.contracts.get(id) ?? [];
    const trace = f.skipTraces.get(id);
    const offers = await scope.em.find(Offer, { agent: scope.agentId, property: id }, { fields: ['status'] });
    const required = contracts.filter((c) => c.required);
    const prediction = predictClosing(
      {
        propertyId: p.id,
        address: p.address,
        status: p.status,
        price: p.price ?? null,
        dealScore: p.dealScore ?? null,
        enrichment: f.enrichments.has(id) ? { zestimate: f.enrichments.get(id)!.zestimate } : null,
        contracts: {
          total: contracts.length,
          required: required.length,
          completed: contracts.filter((c) => c.status === 'completed').length,
        },
        contactRoles: (f.contacts.get(id) ?? []).map((c) => c.role),
        skipTrace: trace ? { hasPhone: trace.phones.length > 0, hasEmail: trace.emails.length > 0 } : null,
        activity: { last7Days: f.historyLast7Days.get(id) ?? 0, previous7Days: f.historyPrevious7Days.get(id) ?? 0 },
        offers: offers.map((o) => ({ status: o.status })),
      },
      await this.learning.closingModel(scope),
    );
    if (opts.log) {
      await this.learning.logPrediction(scope, prediction, {
        dealScore: p.dealScore ?? null,
        completionRate: required.length
          ? (100 * required.filter((c) => c.status === 'completed').length) / required.length
          : null,
        activityLast7Days: f.historyLast7Days.get(id) ?? 0,
      });
    }
    return prediction;
  }

  /** What to do next with a property (rule-based: the pipeline's next step, else the top recommendation). */
  async nextAction(scope: AgentScope, id: number, now = new Date()) {
    const property = await scope.em.findOne(Property, { id, agent: scope.agentId });
    if (!property) throw new NotFoundError('Property', id);
    const facts = await gatherFacts(this.factSources, scope.em, scope.agentId, [id]);
    const hb = computeHeartbeat(property, facts.get(id)!, now);
    const prediction = await this.predictClosing(scope, id, now);
    const top = prediction.recommended_actions[0];
    const fromPipeline = hb.next_action !== 'All steps complete';
    const rules = {
      action: fromPipeline
        ? hb.next_action
        : (top?.action ?? 'Keep the deal moving: check in with the buyer and seller'),
      priority: hb.health === 'blocked' ? 'high' : (top?.priority ?? (hb.health === 'stale' ? 'high' : 'medium')),
      reasoning: fromPipeline
        ? `${hb.health_reason}. The pipeline's next step is ${hb.next_action.toLowerCase()}.`
        : (top?.reason ?? 'Every pipeline step is done.'),
    };
    const ai = await askJson(this.llm, NextActionSchema, {
      system:
        'You advise a real-estate agent. Pick the single next action for this property from the allowed actions and explain why in one or two sentences. ' +
        `Answer as JSON: {"action_code": one of ${NEXT_ACTIONS.map((a) => `"${a}"`).join(', ')}, "reasoning": "…", "priority": "high" | "medium" | "low"}.`,
      prompt: JSON.stringify({ address: property.address, stage: hb.stage, heartbeat: hb, closing: prediction }),
      maxTokens: 500,
      temperature: 0.2,
    });
    const chosen =
      ai.source === 'llm'
        ? {
            action: NEXT_ACTION_LABELS[ai.value.action_code],
            priority: ai.value.priority,
            reasoning: ai.value.reasoning,
            action_code: ai.value.action_code,
          }
        : { ...rules, action_code: null };
    return {
      property_id: id,
      address: property.address,
      ...chosen,
      expected_impact: top?.expected_impact ?? null,
      closing_probability: prediction.closing_probability,
      source: ai.source,
      voice_summary: `Next for ${property.address}: ${chosen.action.charAt(0).toLowerCase()}${chosen.action.slice(1)}. ${chosen.reasoning}`,
    };
  }

  /** Relationship health of a contact (reference §2.8) from its property's notes and its contracts. */
  async relationship(scope: AgentScope, contactId: number, now = new Date()): Promise<RelationshipHealth> {
    const contact = await scope.em.findOne(Contact, { id: contactId, agent: scope.agentId });
    if (!contact) throw new NotFoundError('Contact', contactId);
    const since = new Date(now.getTime() - 30 * 86_400_000);
    const [notes, contracts] = await Promise.all([
      contact.property
        ? scope.em.find(
            Note,
            { agent: scope.agentId, property: contact.property.id, createdAt: { $gte: since } },
            { orderBy: { createdAt: 'desc' } },
          )
        : Promise.resolve([]),
      scope.em.find(Contract, { agent: scope.agentId, contact: contactId }),
    ]);
    return computeRelationshipHealth(
      {
        contact: { name: contact.name, email: contact.email ?? null, phone: contact.phone ?? null },
        notes: notes.map((n) => ({ content: n.content, source: n.source, createdAt: n.createdAt })),
        contracts: contracts.map((c) => ({ status: c.status, createdAt: c.createdAt })),
      },
      now,
    );
  }

  private dealFacts(p: IProperty, f: PropertyFactRows) {
    const e = f.enrichments.get(p.id);
    const trace = f.skipTraces.get(p.id);
    return {
      address: p.address,
      price: p.price ?? null,
      squareFeet: p.squareFeet ?? null,
      enrichment: e
        ? {
            zestimate: e.zestimate,
            rentZestimate: e.rentZestimate,
            daysOnZillow: e.daysOnMarket,
            priceHistory: e.priceHistory.map((h) => ({ price: h.price, event: h.event, date: new Date(h.date) })),
            schoolRatings: e.schoolRating !== null ? [e.schoolRating] : [],
            latestAssessedValue: e.taxAssessedValue,
          }
        : null,
      contracts: (f.contracts.get(p.id) ?? []).map((c) => ({ required: c.required, status: c.status })),
      contacts: (f.contacts.get(p.id) ?? []).map((c) => ({ role: c.role })),
      skipTrace: trace
        ? { ownerName: trace.ownerName, phoneCount: trace.phones.length, emailCount: trace.emails.length }
        : null,
      engagement: {
        historyRowsLast7Days: f.historyLast7Days.get(p.id) ?? 0,
        notes: f.notes.get(p.id) ?? 0,
        activeTasks: f.activeTasks.get(p.id) ?? 0,
        notificationsLast7Days: f.notificationsLast7Days.get(p.id) ?? 0,
      },
    };
  }
}
