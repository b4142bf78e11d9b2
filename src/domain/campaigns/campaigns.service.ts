import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { Property } from '../properties/property.entity.ts';
import { tryNanpE164 } from '../shared/phone.ts';
import type { AgentScope } from '../shared/scope.ts';
import {
  Campaign,
  CAMPAIGN_PURPOSES,
  CampaignTarget,
  DialDecision,
  type CAMPAIGN_STATUSES,
  type ICampaign,
} from './campaign.entity.ts';
import { abandonmentOf } from './abandonment.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');

export const CampaignCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  purpose: z.enum(CAMPAIGN_PURPOSES),
  playbook: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .optional(),
  property_id: z.number().int().positive().nullable().optional(),
  contact_roles: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  caller_id: z.string().trim().min(7).max(30),
  telemarketing: z.boolean().optional(),
  max_attempts: z.number().int().min(1).max(10).optional(),
  retry_delay_minutes: z.number().int().min(1).max(10_080).optional(),
  calls_per_minute: z.number().int().min(1).max(120).optional(),
  max_concurrent: z.number().int().min(1).max(50).optional(),
  window_start: hhmm.optional(),
  window_end: hhmm.optional(),
});

export const CampaignEnrolSchema = z
  .strictObject({
    contact_ids: z.array(z.number().int().positive()).max(10_000).optional(),
    numbers: z
      .array(
        z.strictObject({
          phone: z.string().trim().min(1).max(40),
          name: z.string().trim().max(200).optional(),
          zip: z.string().trim().max(10).optional(),
          state: z.string().trim().length(2).optional(),
        }),
      )
      .max(10_000)
      .optional(),
    from_property: z.boolean().optional(),
  })
  .refine((b) => b.contact_ids?.length || b.numbers?.length || b.from_property, {
    message: 'give contact_ids, numbers or from_property',
  });

export function toCampaignView(c: ICampaign) {
  return {
    id: c.id,
    name: c.name,
    purpose: c.purpose,
    playbook: c.playbook,
    property_id: c.property?.id ?? null,
    contact_roles: c.contactRoles,
    caller_id: c.callerId,
    telemarketing: c.telemarketing,
    max_attempts: c.maxAttempts,
    retry_delay_minutes: c.retryDelayMinutes,
    calls_per_minute: c.callsPerMinute,
    max_concurrent: c.maxConcurrent,
    window_start: c.windowStart,
    window_end: c.windowEnd,
    status: c.status,
    started_at: c.startedAt?.toISOString() ?? null,
    completed_at: c.completedAt?.toISOString() ?? null,
    created_at: c.createdAt.toISOString(),
  };
}

export interface CampaignInput {
  name: string;
  purpose: (typeof CAMPAIGN_PURPOSES)[number];
  playbook?: string;
  propertyId?: number | null;
  contactRoles?: string[];
  callerId: string;
  telemarketing?: boolean;
  maxAttempts?: number;
  retryDelayMinutes?: number;
  callsPerMinute?: number;
  maxConcurrent?: number;
  windowStart?: string;
  windowEnd?: string;
}

export interface EnrolInput {
  /** Contacts by id (their phone is used). */
  contactIds?: number[];
  /** Raw numbers, in any common format. */
  numbers?: { phone: string; name?: string; zip?: string; state?: string }[];
  /** Every contact with a phone on this property (default: the campaign's), filtered by the campaign's roles. */
  fromProperty?: boolean;
}

export interface EnrolReport {
  requested: number;
  added: number;
  skippedExisting: number;
  skippedDuplicate: number;
  /** The numbers that are not North American phone numbers, as given. */
  invalid: string[];
}

/** Default playbook per purpose (agents/<playbook>.json). */
export const DEFAULT_PLAYBOOKS: Record<(typeof CAMPAIGN_PURPOSES)[number], string> = {
  just_listed: 'just-listed',
  just_sold: 'just-sold',
  expired_follow_up: 'expired-follow-up',
  fsbo_follow_up: 'fsbo-follow-up',
  open_house_rsvp: 'open-house-rsvp',
  past_client_check_in: 'past-client-check-in',
  property_update: 'property-update',
};

function bounded(name: string, value: number | undefined, min: number, max: number, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new ValidationError(`${name} must be a whole number from ${min} to ${max}`, { field: name });
  }
  return v;
}

/** Campaigns and their targets. Status moves are the campaign machine's (state-machines/campaign.machine.ts). */
export class CampaignsService {
  async create(scope: AgentScope, input: CampaignInput): Promise<ICampaign> {
    const callerId = tryNanpE164(input.callerId);
    if (!callerId) throw new ValidationError('caller_id must be a North American phone number', { field: 'caller_id' });
    const windowStart = input.windowStart ?? '09:00';
    const windowEnd = input.windowEnd ?? '19:00';
    if (!hhmm.safeParse(windowStart).success || !hhmm.safeParse(windowEnd).success || windowStart >= windowEnd) {
      throw new ValidationError('window_start and window_end are HH:MM with start before end', {
        field: 'window_start',
      });
    }
    if (input.propertyId) await this.property(scope, input.propertyId);
    const campaign = scope.em.create(Campaign, {
      agent: scope.em.getReference(Agent, scope.agentId),
      name: input.name.trim(),
      purpose: input.purpose,
      playbook: input.playbook ?? DEFAULT_PLAYBOOKS[input.purpose],
      property: input.propertyId ? scope.em.getReference(Property, input.propertyId) : null,
      contactRoles: [...new Set((input.contactRoles ?? []).map((r) => r.trim().toLowerCase()))].sort(),
      callerId,
      telemarketing: input.telemarketing ?? true,
      maxAttempts: bounded('max_attempts', input.maxAttempts, 1, 10, 3),
      retryDelayMinutes: bounded('retry_delay_minutes', input.retryDelayMinutes, 1, 10_080, 60),
      callsPerMinute: bounded('calls_per_minute', input.callsPerMinute, 1, 120, 5),
      maxConcurrent: bounded('max_concurrent', input.maxConcurrent, 1, 50, 2),
      windowStart,
      windowEnd,
    });
    await scope.em.flush();
    return campaign;
  }

  async get(scope: AgentScope, id: number): Promise<ICampaign> {
    const campaign = await scope.em.findOne(Campaign, { id, agent: scope.agentId });
    if (!campaign) throw new NotFoundError('Campaign', id);
    return campaign;
  }

  /**
   * Adds targets: numbers normalised to E.164, one target per number per campaign (a number already in the
   * campaign, or given twice, is skipped), invalid numbers reported as given.
   */
  async enrol(scope: AgentScope, campaignId: number, input: EnrolInput): Promise<EnrolReport> {
    const campaign = await this.get(scope, campaignId);
    if (campaign.status === 'completed' || campaign.status === 'cancelled') {
      throw new ValidationError(`campaign ${campaign.id} is ${campaign.status}: nothing can be enrolled`, {
        field: 'status',
      });
    }
    const wanted: {
      phone: string;
      name: string | null;
      zip: string | null;
      state: string | null;
      contact: number | null;
    }[] = [];
    const report: EnrolReport = { requested: 0, added: 0, skippedExisting: 0, skippedDuplicate: 0, invalid: [] };
    const consider = (
      raw: string,
      rest: { name?: string | null; zip?: string | null; state?: string | null; contact?: number | null },
    ) => {
      report.requested++;
      const phone = tryNanpE164(raw);
      if (!phone) {
        report.invalid.push(raw);
        return;
      }
      wanted.push({
        phone,
        name: rest.name ?? null,
        zip: rest.zip ?? null,
        state: rest.state?.toUpperCase() ?? null,
        contact: rest.contact ?? null,
      });
    };
    for (const n of input.numbers ?? []) consider(n.phone, n);
    const contacts = [
      ...(input.contactIds?.length
        ? await scope.em.find(Contact, { id: { $in: input.contactIds }, agent: scope.agentId })
        : []),
      ...(input.fromProperty && campaign.property
        ? await scope.em.find(Contact, { property: campaign.property.id, agent: scope.agentId })
        : []),
    ].filter((c) => !input.fromProperty || !campaign.contactRoles.length || campaign.contactRoles.includes(c.role));
    for (const c of contacts) {
      if (c.phone) consider(c.phone, { name: c.name, contact: c.id });
      else {
        report.requested++;
        report.invalid.push(`contact ${c.id} has no phone`);
      }
    }

    const existing = new Set(
      (
        await scope.em.find(
          CampaignTarget,
          { campaign: campaign.id, phone: { $in: wanted.map((w) => w.phone) } },
          { fields: ['phone'] },
        )
      ).map((t) => t.phone),
    );
    const seen = new Set<string>();
    const now = new Date();
    for (const w of wanted) {
      if (existing.has(w.phone)) {
        report.skippedExisting++;
        continue;
      }
      if (seen.has(w.phone)) {
        report.skippedDuplicate++;
        continue;
      }
      seen.add(w.phone);
      scope.em.create(CampaignTarget, {
        campaign,
        agent: scope.em.getReference(Agent, scope.agentId),
        contact: w.contact ? scope.em.getReference(Contact, w.contact) : null,
        phone: w.phone,
        name: w.name,
        zip: w.zip,
        state: w.state,
        nextAttemptAt: now,
      });
      report.added++;
    }
    await scope.em.flush();
    return report;
  }

  async list(scope: AgentScope): Promise<ICampaign[]> {
    return scope.em.find(Campaign, { agent: scope.agentId }, { orderBy: { id: 'desc' }, limit: 200 });
  }

  /** How many targets of each campaign are in each status, in one query (for a list of campaigns). */
  async targetsByStatus(scope: AgentScope, campaignIds: number[]): Promise<Map<number, Record<string, number>>> {
    const out = new Map<number, Record<string, number>>();
    if (!campaignIds.length) return out;
    const rows = await scope.em.getConnection().execute<{ campaign_id: number; status: string; n: string | number }[]>(
      `select t.campaign_id, t.status, count(*) as n
         from campaign_targets t join campaigns c on c.id = t.campaign_id
        where c.agent_id = ? and t.campaign_id in (?)
        group by t.campaign_id, t.status`,
      [scope.agentId, campaignIds],
    );
    for (const r of rows) {
      const by = out.get(Number(r.campaign_id)) ?? {};
      by[r.status] = Number(r.n);
      out.set(Number(r.campaign_id), by);
    }
    return out;
  }

  /** Targets still to call or in a call (a campaign with none left has drained). */
  async openTargets(scope: AgentScope, campaignId: number): Promise<number> {
    return scope.em.count(CampaignTarget, {
      campaign: campaignId,
      status: { $nin: ['exhausted', 'blocked', 'optedOut', 'done', 'cancelled'] },
    });
  }

  /**
   * Stores a status the campaign machine chose, only if the campaign is still in `from` (a concurrent
   * move wins, this one is refused). Cancelling also cancels the targets not yet in a call.
   */
  async moveStatus(
    scope: AgentScope,
    campaign: ICampaign,
    from: (typeof CAMPAIGN_STATUSES)[number],
    to: (typeof CAMPAIGN_STATUSES)[number],
  ): Promise<ICampaign> {
    const now = new Date();
    const moved = await scope.em.nativeUpdate(
      Campaign,
      { id: campaign.id, agent: scope.agentId, status: from },
      {
        status: to,
        updatedAt: now,
        ...(to === 'active' && !campaign.startedAt ? { startedAt: now } : {}),
        ...(to === 'completed' || to === 'cancelled' ? { completedAt: now } : {}),
      },
    );
    if (!moved) throw new ConflictError(`campaign ${campaign.id} changed meanwhile; try again`, { id: campaign.id });
    if (to === 'cancelled') {
      await scope.em.nativeUpdate(
        CampaignTarget,
        { campaign: campaign.id, status: { $in: ['queued', 'retryScheduled'] } },
        { status: 'cancelled', updatedAt: now },
      );
    }
    await scope.em.refresh(campaign);
    return campaign;
  }

  /** The compliance audit: a page of the dial decisions, newest first, with the rules behind each. */
  async audit(scope: AgentScope, campaignId: number, opts: { limit: number; offset: number; blockedOnly: boolean }) {
    await this.get(scope, campaignId);
    const [rows, total] = await scope.em.findAndCount(
      DialDecision,
      { campaign: campaignId, agent: scope.agentId, ...(opts.blockedOnly ? { allowed: false } : {}) },
      { orderBy: { at: 'desc', id: 'desc' }, limit: opts.limit, offset: opts.offset },
    );
    const items = rows.map((d) => ({
      id: d.id,
      target_id: d.target?.id ?? null,
      phone: d.phone,
      at: d.at.toISOString(),
      allowed: d.allowed,
      blocked_by: d.blockedBy,
      rules: d.rules,
      zones: d.zones,
      rules_version: d.rulesVersion,
    }));
    return { total, limit: opts.limit, offset: opts.offset, items };
  }

  /** Targets by status, attempts and outcomes. */
  async stats(scope: AgentScope, campaignId: number) {
    await this.get(scope, campaignId);
    const rows = await scope.em.find(
      CampaignTarget,
      { campaign: campaignId },
      { fields: ['status', 'outcome', 'attempts'] },
    );
    const byStatus: Record<string, number> = {};
    const byOutcome: Record<string, number> = {};
    let attempts = 0;
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.outcome) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
      attempts += r.attempts;
    }
    return {
      targets: rows.length,
      byStatus,
      byOutcome,
      attempts,
      abandonment: await abandonmentOf(scope.em, campaignId, new Date()),
    };
  }

  private async property(scope: AgentScope, id: number) {
    const property = await scope.em.findOne(Property, { id, agent: scope.agentId });
    if (!property) throw new NotFoundError('Property', id);
    return property;
  }
}
