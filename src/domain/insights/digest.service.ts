import { DateTime } from 'luxon';
import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import { Notification } from '../notifications/notification.entity.ts';
import { computeHeartbeat } from '../properties/heartbeat.ts';
import { Property } from '../properties/property.entity.ts';
import {
  PROPERTY_STAGES,
  STAGE_LABELS,
  STALE_THRESHOLD_DAYS,
  type PropertyStatus,
} from '../properties/property.enums.ts';
import { gatherFacts, type StageFactsSource } from '../properties/stage-facts.ts';
import { formatPrice } from '../shared/money.ts';
import { askJson } from '../shared/llm-assist.ts';
import type { AgentScope } from '../shared/scope.ts';
import type { TextGenerator } from '../shared/text-generator.port.ts';
import type { InsightsService } from './insights.service.ts';

const DAY_MS = 86_400_000;

export interface DigestAlert {
  severity: 'high' | 'medium';
  property_id: number;
  address: string;
  message: string;
}

export interface Digest {
  date: string;
  generated_at: string;
  portfolio: {
    active_properties: number;
    by_stage: Record<PropertyStatus, number>;
    active_listing_value: number;
    new_last_24h: number;
  };
  alerts: DigestAlert[];
  contracts: { required: number; completed: number; out_for_signature: number; deadlines_within_3_days: number };
  activity_last_24h: { actions: number; by_tool: Record<string, number>; notes: number; offers: number };
  recommendations: { property_id: number; address: string; action: string; priority: string }[];
  text: string;
  voice_summary: string;
  source: 'llm' | 'rules';
}

/** "1 active property", "9 active properties", "2 items". */
const plural = (n: number, word: string): string =>
  n === 1 ? `${n} ${word}` : `${n} ${word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;

/**
 * The daily digest (reference §2.13): portfolio snapshot, urgent alerts, contract status, the last
 * 24 hours and the top recommendations, as a briefing and a 2–3 sentence voice summary.
 * Rule-written; stored as a daily_digest notification, one per agent and local day.
 */
export class DigestService {
  constructor(
    private readonly factSources: readonly StageFactsSource[],
    private readonly insights: InsightsService,
    private readonly notifications: NotificationsService,
    private readonly llm: TextGenerator | null = null,
  ) {}

  async build(scope: AgentScope, timeZone: string, now = new Date()): Promise<Digest> {
    const { em, agentId } = scope;
    const properties = await em.find(Property, { agent: agentId });
    const active = properties.filter((p) => p.status !== 'complete');
    const facts = await gatherFacts(
      this.factSources,
      em,
      agentId,
      properties.map((p) => p.id),
    );
    const byStage = Object.fromEntries(PROPERTY_STAGES.map((s) => [s, 0])) as Record<PropertyStatus, number>;
    for (const p of properties) byStage[p.status as PropertyStatus]++;
    const since = new Date(now.getTime() - DAY_MS);

    const alerts: DigestAlert[] = [];
    for (const p of active) {
      const hb = computeHeartbeat(p, facts.get(p.id)!, now);
      const threshold = STALE_THRESHOLD_DAYS[p.status as PropertyStatus];
      if (hb.health !== 'healthy') {
        alerts.push({
          severity: hb.days_in_stage > 2 * threshold || hb.health === 'blocked' ? 'high' : 'medium',
          property_id: p.id,
          address: p.address,
          message: `${p.address}: ${hb.health_reason}. ${hb.next_action}.`,
        });
      }
    }
    const contracts = await em.execute<
      {
        property_id: number;
        address: string;
        name: string;
        is_required: boolean;
        status: string;
        required_by_date: string | Date | null;
        created_at: string | Date;
      }[]
    >(
      `select c.property_id, p.address, c.name, c.is_required, c.status, c.required_by_date, c.created_at
         from contracts c join properties p on p.id = c.property_id
        where c.agent_id = ? and c.status not in ('cancelled', 'archived')`,
      [agentId],
    );
    let deadlines = 0;
    for (const c of contracts) {
      if (!c.is_required || c.status === 'completed') continue;
      const due = c.required_by_date ? new Date(c.required_by_date) : null;
      if (due && due.getTime() - now.getTime() <= 3 * DAY_MS) {
        deadlines++;
        alerts.push({
          severity: 'high',
          property_id: Number(c.property_id),
          address: c.address,
          message: `${c.name} for ${c.address} is due ${due < now ? 'and overdue' : `by ${due.toISOString().slice(0, 10)}`}.`,
        });
      } else if (
        ['draft', 'sent'].includes(c.status) &&
        now.getTime() - new Date(c.created_at).getTime() > 3 * DAY_MS
      ) {
        alerts.push({
          severity: 'medium',
          property_id: Number(c.property_id),
          address: c.address,
          message: `${c.name} for ${c.address} is still unsigned after 3 days.`,
        });
      }
    }
    alerts.sort((a, b) => (a.severity === b.severity ? a.property_id - b.property_id : a.severity === 'high' ? -1 : 1));

    const history = await em.execute<{ tool_name: string; n: string }[]>(
      `select tool_name, count(*) as n from conversation_history where agent_id = ? and created_at >= ? group by tool_name order by n desc`,
      [agentId, since],
    );
    const [{ notes = '0', offers = '0' } = {}] = await em.execute<{ notes: string; offers: string }[]>(
      `select (select count(*) from property_notes where agent_id = ? and created_at >= ?) as notes,
              (select count(*) from offers where agent_id = ? and created_at >= ? and is_our_offer = false) as offers`,
      [agentId, since, agentId, since],
    );
    const queue = await this.insights.followUpQueue(scope, { limit: 3 }, now);

    const required = contracts.filter((c) => c.is_required);
    const digest: Omit<Digest, 'text' | 'voice_summary'> = {
      date: DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!,
      generated_at: now.toISOString(),
      portfolio: {
        active_properties: active.length,
        by_stage: byStage,
        active_listing_value: active.reduce((sum, p) => sum + (p.price ?? 0), 0),
        new_last_24h: properties.filter((p) => p.createdAt >= since).length,
      },
      alerts,
      contracts: {
        required: required.length,
        completed: required.filter((c) => c.status === 'completed').length,
        out_for_signature: contracts.filter((c) => ['sent', 'in_progress', 'pending_signature'].includes(c.status))
          .length,
        deadlines_within_3_days: deadlines,
      },
      activity_last_24h: {
        actions: history.reduce((s, r) => s + Number(r.n), 0),
        by_tool: Object.fromEntries(history.map((r) => [r.tool_name, Number(r.n)])),
        notes: Number(notes),
        offers: Number(offers),
      },
      recommendations: queue.items.map((i) => ({
        property_id: i.property_id,
        address: i.address,
        action: i.suggested_action,
        priority: i.priority,
      })),
      source: 'rules',
    };
    const ai = await askJson(
      this.llm,
      z.object({ briefing: z.string().min(100).max(6_000), voice_summary: z.string().min(20).max(600) }),
      {
        system:
          'You are the assistant of a real-estate agent. From the JSON facts, write the morning briefing (3–5 short paragraphs: portfolio, what needs attention, contracts, the last 24 hours, what to do first) ' +
          'and a spoken summary of 2–3 sentences. Use only the facts given. Answer as JSON: {"briefing":"…","voice_summary":"…"}.',
        prompt: JSON.stringify(digest),
        maxTokens: 1500,
        temperature: 0.3,
      },
      (v) => {
        const sentences = v.voice_summary.split(/(?<=[.!?])\s+/).filter(Boolean).length;
        return sentences >= 2 && sentences <= 3;
      },
    );
    return ai.source === 'llm'
      ? { ...digest, text: ai.value.briefing, voice_summary: ai.value.voice_summary, source: 'llm' }
      : { ...digest, text: briefing(digest), voice_summary: voice(digest) };
  }

  /** Builds and stores today's digest once (a second call the same local day returns null). */
  async generate(scope: AgentScope, timeZone: string, now = new Date()): Promise<Digest | null> {
    const date = DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
    if (await scope.em.count(Notification, { agent: scope.agentId, dedupeKey: `digest:${date}` })) return null;
    const digest = await this.build(scope, timeZone, now);
    const stored = await this.notifications.create(
      scope,
      {
        type: 'daily_digest',
        priority: digest.alerts.some((a) => a.severity === 'high') ? 'high' : 'medium',
        title: `Daily digest for ${digest.date}`,
        message: digest.voice_summary,
        data: digest as unknown as Record<string, unknown>,
        icon: 'sun',
        dedupeKey: `digest:${digest.date}`,
      },
      now,
    );
    return stored ? digest : null;
  }

  /** Digests of the last `days` days, newest first. */
  async history(scope: AgentScope, days = 7, now = new Date()): Promise<Digest[]> {
    const rows = await scope.em.find(
      Notification,
      { agent: scope.agentId, type: 'daily_digest', createdAt: { $gte: new Date(now.getTime() - days * DAY_MS) } },
      { orderBy: { createdAt: 'desc' } },
    );
    return rows.map((r) => r.data as unknown as Digest);
  }

  /** True when the agent's local digest time has passed today (the job generates once per day). */
  static isDue(agent: { timezone: string; digestTime: string }, now = new Date()): boolean {
    const local = DateTime.fromJSDate(now, { zone: agent.timezone });
    const [h = 8, m = 0] = agent.digestTime.split(':').map(Number);
    return local.hour * 60 + local.minute >= h * 60 + m;
  }

  async agentsDue(em: AgentScope['em'], now = new Date()) {
    const agents = await em.find(Agent, {}, { fields: ['id', 'timezone', 'digestTime'] });
    return agents.filter((a) => DigestService.isDue(a, now));
  }
}

function briefing(d: Omit<Digest, 'text' | 'voice_summary'>): string {
  const stages = PROPERTY_STAGES.filter((s) => d.portfolio.by_stage[s] > 0)
    .map((s) => `${STAGE_LABELS[s]} ${d.portfolio.by_stage[s]}`)
    .join(', ');
  const paragraphs = [
    `Portfolio on ${d.date}: ${plural(d.portfolio.active_properties, 'active property')} worth ${formatPrice(d.portfolio.active_listing_value)} in listings` +
      (stages ? ` (${stages})` : '') +
      (d.portfolio.new_last_24h ? `; ${d.portfolio.new_last_24h} added in the last 24 hours.` : '.'),
    d.alerts.length
      ? `Needs attention:\n${d.alerts.map((a) => `- [${a.severity}] ${a.message}`).join('\n')}`
      : 'Nothing is stale or blocked.',
    `Contracts: ${d.contracts.completed} of ${plural(d.contracts.required, 'required contract')} signed, ${d.contracts.out_for_signature} out for signature` +
      (d.contracts.deadlines_within_3_days ? `, ${d.contracts.deadlines_within_3_days} due within 3 days.` : '.'),
    `Last 24 hours: ${plural(d.activity_last_24h.actions, 'recorded action')}, ${plural(d.activity_last_24h.notes, 'note')}, ${plural(d.activity_last_24h.offers, 'offer')} received.`,
    d.recommendations.length
      ? `Top follow-ups:\n${d.recommendations.map((r, i) => `${i + 1}. ${r.address}: ${r.action} (${r.priority})`).join('\n')}`
      : 'No follow-ups are due.',
  ];
  return paragraphs.join('\n\n');
}

function voice(d: Omit<Digest, 'text' | 'voice_summary'>): string {
  const first = `You have ${plural(d.portfolio.active_properties, 'active property')}${d.alerts.length ? ` and ${plural(d.alerts.length, 'item')} needing attention` : ', none stale or blocked'}.`;
  // One sentence per part keeps the spoken summary at two or three sentences.
  const urgent = d.alerts[0] ? ` Most urgent: ${d.alerts[0].message.split(/(?<=\.)\s/)[0]}` : '';
  const next = d.recommendations[0]
    ? ` First follow-up: ${d.recommendations[0].action} for ${d.recommendations[0].address}.`
    : '';
  return `${first}${urgent}${next}`.trim();
}
