import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '../../src/domain/contracts/contract.entity.ts';
import { HistoryEntry } from '../../src/domain/activity/history.entity.ts';
import { Property } from '../../src/domain/properties/property.entity.ts';
import { ScheduledTask } from '../../src/domain/tasks/task.entity.ts';
import { nextOccurrence } from '../../src/domain/tasks/tasks.service.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext } from '../helpers/context.ts';

let app: FastifyInstance;
let ctx: AppContext;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
});

const DAY = 86_400_000;

async function backdate(propertyId: number, days: number) {
  const at = new Date(Date.now() - days * DAY);
  await ctx.orm.em.fork().nativeUpdate(Property, { id: propertyId }, { createdAt: at, stageEnteredAt: at });
}

describe('scheduled tasks', () => {
  it('keeps local wall-clock time across DST for recurring tasks', () => {
    // 2026-03-02 09:00 in Chicago is 15:00Z (CST); a week after DST starts (Mar 8) 09:00 is 14:00Z.
    const first = new Date('2026-03-02T15:00:00Z');
    expect(nextOccurrence(first, 'weekly', 'America/Chicago').toISOString()).toBe('2026-03-09T14:00:00.000Z');
    expect(nextOccurrence(new Date('2026-01-31T15:00:00Z'), 'monthly', 'America/Chicago').toISOString()).toBe(
      '2026-02-28T15:00:00.000Z',
    );
    expect(nextOccurrence(first, 'daily', 'UTC').toISOString()).toBe('2026-03-03T15:00:00.000Z');
  });

  it('due tasks notify once, recurring ones schedule their next occurrence, and a rerun does nothing', async () => {
    const a = await newAgent(ctx);
    const past = new Date(Date.now() - 60_000).toISOString();
    const reminder = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: a.headers,
      payload: { title: 'Call the seller', scheduled_at: past },
    });
    expect(reminder.statusCode).toBe(201);
    const weekly = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: a.headers,
      payload: { title: 'Weekly pipeline review', task_type: 'recurring', recurrence: 'weekly', scheduled_at: past },
    });
    expect(weekly.statusCode).toBe(201);
    const future = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: a.headers,
      payload: { title: 'Later', scheduled_at: new Date(Date.now() + DAY).toISOString() },
    });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: a.headers,
      payload: { title: 'x', task_type: 'recurring', scheduled_at: past },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/recurrence/);

    const run = await app.inject({ method: 'POST', url: '/api/tasks/run-due', headers: a.headers });
    expect(run.json()).toEqual({ processed: 2, notified: 2, scheduled_next: 1 });
    expect((await app.inject({ method: 'POST', url: '/api/tasks/run-due', headers: a.headers })).json()).toEqual({
      processed: 0,
      notified: 0,
      scheduled_next: 0,
    });

    const tasks = (await app.inject({ url: '/api/tasks', headers: a.headers })).json() as {
      title: string;
      status: string;
      scheduled_at: string;
      series_id: number | null;
    }[];
    const series = tasks.filter((t) => t.title === 'Weekly pipeline review');
    expect(series.map((t) => t.status).sort()).toEqual(['completed', 'pending']);
    const next = series.find((t) => t.status === 'pending')!;
    expect(new Date(next.scheduled_at).getTime() - new Date(past).getTime()).toBeGreaterThan(6 * DAY);
    expect(tasks.find((t) => t.title === 'Later')!.status).toBe('pending');
    const notes = (await app.inject({ url: '/api/notifications', headers: a.headers })).json();
    expect(notes.map((n: { type: string; title: string }) => `${n.type}:${n.title}`).sort()).toEqual([
      'task_due:Call the seller',
      'task_due:Weekly pipeline review',
    ]);

    const cancel = await app.inject({
      method: 'POST',
      url: `/api/tasks/${future.json().id}/cancel`,
      headers: a.headers,
    });
    expect(cancel.json().status).toBe('cancelled');
    expect(
      (await app.inject({ method: 'POST', url: `/api/tasks/${future.json().id}/complete`, headers: a.headers }))
        .statusCode,
    ).toBe(409);
  });
});

describe('follow-up queue', () => {
  it('ranks by inactivity, grade and bonuses; snooze hides; complete resets', async () => {
    const a = await newAgent(ctx);
    const scope = a.scope();
    const stale = await ctx.services.properties.create(scope, { address: '10 Quiet St', city: 'Austin', state: 'TX' });
    const fresh = await ctx.services.properties.create(scope, { address: '11 Busy St', city: 'Austin', state: 'TX' });
    const deadline = await ctx.services.properties.create(scope, {
      address: '12 Deadline Dr',
      city: 'Austin',
      state: 'TX',
    });
    await backdate(stale.id, 5);
    await backdate(deadline.id, 2);
    const em = ctx.orm.em.fork();
    em.create(Contract, {
      agent: a.agentId,
      property: deadline.id,
      name: 'Purchase Agreement',
      status: 'sent',
      isRequired: true,
      requiredByDate: new Date(Date.now() + DAY),
    } as never);
    await em.flush();

    const q = (await app.inject({ url: '/api/follow-ups', headers: a.headers })).json();
    // 5 days inactive → 50; deadline: 2 days → 20 + 40 (required contract due within 3 days); fresh is excluded (< 24 h).
    expect(q.items.map((i: { property_id: number; score: number }) => [i.property_id, i.score])).toEqual([
      [deadline.id, 60],
      [stale.id, 50],
    ]);
    expect(q.items[0].priority).toBe('high');
    expect(q.items.map((i: { property_id: number }) => i.property_id)).not.toContain(fresh.id);

    const snooze = await app.inject({
      method: 'POST',
      url: `/api/follow-ups/${stale.id}/snooze`,
      headers: a.headers,
      payload: {},
    });
    expect(snooze.statusCode).toBe(200);
    expect(new Date(snooze.json().scheduled_at).getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);
    const after = (await app.inject({ url: '/api/follow-ups', headers: a.headers })).json();
    expect(after.items.map((i: { property_id: number }) => i.property_id)).toEqual([deadline.id]);
    // a second snooze replaces the first
    await app.inject({
      method: 'POST',
      url: `/api/follow-ups/${stale.id}/snooze`,
      headers: a.headers,
      payload: { hours: 1 },
    });
    expect(
      await ctx.orm.em
        .fork()
        .count(ScheduledTask, { propertyId: stale.id, action: 'snooze_follow_up', status: 'pending' }),
    ).toBe(1);

    const done = await app.inject({
      method: 'POST',
      url: `/api/follow-ups/${deadline.id}/complete`,
      headers: a.headers,
      payload: { note: 'Buyer will sign Friday' },
    });
    expect(done.statusCode).toBe(200);
    expect(
      await ctx.orm.em.fork().count(HistoryEntry, { propertyId: deadline.id, toolName: 'complete_follow_up' }),
    ).toBe(1);
    const final = (await app.inject({ url: '/api/follow-ups', headers: a.headers })).json();
    expect(final.items).toEqual([]);
  });
});

describe('scoring and closing prediction', () => {
  it('scores from real facts, stores the grade, and predicts closing', async () => {
    const a = await newAgent(ctx);
    const scope = a.scope();
    const p = await ctx.services.properties.create(scope, {
      address: '20 Score Ave',
      city: 'Austin',
      state: 'TX',
      price: 400000,
      square_feet: 2000,
    });
    const empty = await app.inject({ method: 'POST', url: `/api/properties/${p.id}/score`, headers: a.headers });
    expect(empty.statusCode).toBe(200);
    await ctx.services.research.recordEnrichment(scope, p.id, {
      zestimate: 460000,
      rent_zestimate: 3000,
      days_on_market: 45,
      school_rating: 8,
    });
    await ctx.services.contacts.create(scope, { property_id: p.id, name: 'Bea Buyer', role: 'buyer' });
    const scored = (
      await app.inject({ method: 'POST', url: `/api/properties/${p.id}/score`, headers: a.headers })
    ).json();
    expect(scored.score).toBeGreaterThan(empty.json().score);
    expect(scored.grade).toMatch(/^[A-F]$/);
    expect(scored.breakdown.dimensions.market).toBeDefined();
    const stored = (await app.inject({ url: `/api/properties/${p.id}`, headers: a.headers })).json();
    expect(stored).toMatchObject({ deal_score: scored.score, score_grade: scored.grade });

    const pred = (await app.inject({ url: `/api/properties/${p.id}/closing-prediction`, headers: a.headers })).json();
    expect(pred.closing_probability).toBeGreaterThan(0);
    expect(pred.closing_probability).toBeLessThanOrEqual(1);
    expect(['high', 'medium', 'low']).toContain(pred.confidence);
    expect(pred.days_to_close).toBe(45);
    expect(pred.voice_summary).toMatch(/20 Score Ave|closing/i);
    const other = await newAgent(ctx);
    expect(
      (await app.inject({ url: `/api/properties/${p.id}/closing-prediction`, headers: other.headers })).statusCode,
    ).toBe(404);
  });
});
