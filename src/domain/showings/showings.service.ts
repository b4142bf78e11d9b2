import { DateTime } from 'luxon';
import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { Contact } from '../contacts/contact.entity.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import { Property } from '../properties/property.entity.ts';
import { toE164 } from '../shared/phone.ts';
import type { AgentScope } from '../shared/scope.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import { Showing, type IShowing } from './showing.entity.ts';

export const ShowingCreateSchema = z.strictObject({
  property_id: z.number().int().positive(),
  starts_at: z.iso.datetime({ offset: true }),
  duration_minutes: z.number().int().min(15).max(240).default(30),
  contact_id: z.number().int().positive().nullable().optional(),
  visitor_name: z.string().trim().min(1).max(200).nullable().optional(),
  visitor_phone: z.string().trim().max(40).nullable().optional(),
  notes: z.string().max(2_000).nullable().optional(),
});
export type ShowingCreateInput = z.input<typeof ShowingCreateSchema>;

export const ShowingListQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  property_id: z.coerce.number().int().positive().optional(),
  include_cancelled: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});

/** Local hours in which viewings are offered. */
export const SHOWING_HOURS = { start: 9, end: 19 } as const;

export function toShowingView(s: IShowing) {
  return {
    id: s.id,
    property_id: s.property.id,
    contact_id: s.contact?.id ?? null,
    starts_at: s.startsAt.toISOString(),
    ends_at: s.endsAt.toISOString(),
    status: s.status,
    source: s.source,
    visitor_name: s.visitorName ?? null,
    visitor_phone: s.visitorPhone ?? null,
    notes: s.notes ?? null,
    created_at: s.createdAt.toISOString(),
  };
}
export type ShowingView = ReturnType<typeof toShowingView>;

/** Viewings: booked against the agent's calendar of showings, with a reminder task and a notification. */
export class ShowingsService {
  constructor(
    private readonly tasks: TasksService,
    private readonly notifications: NotificationsService,
  ) {}

  async schedule(
    scope: AgentScope,
    raw: ShowingCreateInput,
    source = 'manual',
    now = new Date(),
  ): Promise<ShowingView & { voice_summary: string }> {
    const input = ShowingCreateSchema.parse(raw);
    const { em, agentId } = scope;
    const property = await em.findOne(Property, { id: input.property_id, agent: agentId });
    if (!property) throw new NotFoundError('Property', input.property_id);
    const agent = await em.findOneOrFail(Agent, agentId);
    const start = new Date(input.starts_at);
    const end = new Date(start.getTime() + input.duration_minutes * 60_000);
    if (start.getTime() < now.getTime())
      throw new ValidationError('starts_at: that time has already passed', { field: 'starts_at' });
    const local = DateTime.fromJSDate(start, { zone: agent.timezone });
    const localEnd = DateTime.fromJSDate(end, { zone: agent.timezone });
    if (local.hour < SHOWING_HOURS.start || localEnd.hour + localEnd.minute / 60 > SHOWING_HOURS.end) {
      throw new ValidationError(
        `starts_at: viewings are offered between ${SHOWING_HOURS.start}:00 and ${SHOWING_HOURS.end}:00 ${agent.timezone}`,
        { field: 'starts_at', suggestions: await this.freeSlots(scope, agent.timezone, start, input.duration_minutes) },
      );
    }
    if (await this.overlaps(scope, start, end)) {
      const suggestions = await this.freeSlots(scope, agent.timezone, start, input.duration_minutes);
      throw new ConflictError(
        `The agent already has a viewing then. Free times: ${suggestions.map(speak(agent.timezone)).join(', ')}`,
        {
          field: 'starts_at',
          suggestions,
        },
      );
    }
    const contact = input.contact_id ? await em.findOne(Contact, { id: input.contact_id, agent: agentId }) : null;
    if (input.contact_id && !contact) throw new NotFoundError('Contact', input.contact_id);
    const showing = em.create(Showing, {
      agent: em.getReference(Agent, agentId),
      property,
      contact,
      startsAt: start,
      endsAt: end,
      source,
      visitorName: input.visitor_name ?? contact?.name ?? null,
      visitorPhone: input.visitor_phone ? toE164(input.visitor_phone, 'visitor_phone') : (contact?.phone ?? null),
      notes: input.notes ?? null,
    });
    await em.flush();
    const when = speak(agent.timezone)(start.toISOString());
    const who = showing.visitorName ?? 'a visitor';
    await this.tasks.create(
      scope,
      {
        title: `Viewing of ${property.address} with ${who}`,
        scheduled_at: new Date(Math.max(now.getTime(), start.getTime() - 60 * 60_000)).toISOString(),
        property_id: property.id,
        description: `Starts ${when}.`,
      },
      { createdBy: source },
    );
    await this.notifications.create(scope, {
      type: 'new_lead',
      priority: 'high',
      title: `Viewing booked: ${property.address}`,
      message: `${who} booked a viewing of ${property.address} for ${when}.`,
      propertyId: property.id,
      contactId: contact?.id ?? null,
      data: { showing_id: showing.id },
    });
    return { ...toShowingView(showing), voice_summary: `You're booked to see ${property.address} ${when}.` };
  }

  async list(scope: AgentScope, q: z.output<typeof ShowingListQuerySchema>): Promise<ShowingView[]> {
    const where: Record<string, unknown> = { agent: scope.agentId };
    if (!q.include_cancelled) where.status = { $ne: 'cancelled' };
    if (q.property_id) where.property = q.property_id;
    if (q.from || q.to) {
      where.startsAt = { ...(q.from ? { $gte: new Date(q.from) } : {}), ...(q.to ? { $lt: new Date(q.to) } : {}) };
    }
    const rows = await scope.em.find(Showing, where, { orderBy: { startsAt: 'asc', id: 'asc' }, limit: 500 });
    return rows.map(toShowingView);
  }

  async cancel(scope: AgentScope, id: number): Promise<ShowingView> {
    const s = await scope.em.findOne(Showing, { id, agent: scope.agentId });
    if (!s) throw new NotFoundError('Showing', id);
    if (s.status !== 'scheduled') throw new ConflictError(`Showing ${id} is already ${s.status}`);
    s.status = 'cancelled';
    await scope.em.flush();
    return toShowingView(s);
  }

  private async overlaps(scope: AgentScope, start: Date, end: Date): Promise<boolean> {
    return (
      (await scope.em.count(Showing, {
        agent: scope.agentId,
        status: 'scheduled',
        startsAt: { $lt: end },
        endsAt: { $gt: start },
      })) > 0
    );
  }

  /** The next free slots in showing hours from the requested time on (30-minute steps, up to 3). */
  private async freeSlots(scope: AgentScope, timeZone: string, from: Date, minutes: number): Promise<string[]> {
    const out: string[] = [];
    let t = DateTime.fromJSDate(from, { zone: timeZone }).startOf('hour');
    for (let i = 0; i < 14 * 24 * 2 && out.length < 3; i++, t = t.plus({ minutes: 30 })) {
      const endT = t.plus({ minutes });
      if (t.toJSDate() < from || t.hour < SHOWING_HOURS.start || endT.hour + endT.minute / 60 > SHOWING_HOURS.end)
        continue;
      if (!(await this.overlaps(scope, t.toJSDate(), endT.toJSDate()))) out.push(t.toUTC().toISO()!);
    }
    return out;
  }
}

function speak(timeZone: string) {
  return (iso: string): string => DateTime.fromISO(iso, { zone: timeZone }).toFormat("cccc, LLLL d 'at' h:mm a");
}
