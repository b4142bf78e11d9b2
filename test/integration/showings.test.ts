import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, type TestAgent } from '../helpers/context.ts';

let app: FastifyInstance;
let ctx: AppContext;
let a: TestAgent;
let propertyId: number;

/** 10:00 local (America/Chicago, the test agent's zone) a few days from now. */
const at = (days: number, hour: number, minute = 0) =>
  DateTime.now()
    .setZone('America/Chicago')
    .plus({ days })
    .set({ hour, minute, second: 0, millisecond: 0 })
    .toUTC()
    .toISO()!;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  a = await newAgent(ctx);
  propertyId = (
    await ctx.services.properties.create(a.scope(), { address: '10 Viewing Ln', city: 'Denver', state: 'CO' })
  ).id;
});

const post = (url: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url, headers: a.headers, payload });

describe('showings', () => {
  it('books a viewing with a reminder task and a notification, and lists it', async () => {
    const res = await post('/api/showings', {
      property_id: propertyId,
      starts_at: at(3, 10),
      visitor_name: 'Vera Visitor',
      visitor_phone: '512 555 0133',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'scheduled', visitor_phone: '+15125550133' });
    expect(res.json().voice_summary).toMatch(/^You're booked to see 10 Viewing Ln .* at 10:00 AM\.$/);
    const list = (await app.inject({ url: '/api/showings', headers: a.headers })).json();
    expect(list.map((s: { id: number }) => s.id)).toContain(res.json().id);
    const tasks = (await app.inject({ url: `/api/tasks?property_id=${propertyId}`, headers: a.headers })).json();
    expect(tasks.some((t: { title: string }) => t.title === 'Viewing of 10 Viewing Ln with Vera Visitor')).toBe(true);
    const notes = (await app.inject({ url: '/api/notifications', headers: a.headers })).json();
    expect(notes.some((n: { title: string }) => n.title === 'Viewing booked: 10 Viewing Ln')).toBe(true);
  });

  it('refuses a taken slot with free times, hours outside showing hours, and the past', async () => {
    await post('/api/showings', { property_id: propertyId, starts_at: at(4, 14) });
    const taken = await post('/api/showings', { property_id: propertyId, starts_at: at(4, 14, 15) });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().details.suggestions).toHaveLength(3);
    expect(taken.json().details.suggestions[0]).toBe(
      DateTime.fromISO(at(4, 14, 30))
        .toUTC()
        .toISO(),
    );
    const late = await post('/api/showings', { property_id: propertyId, starts_at: at(4, 22) });
    expect(late.statusCode).toBe(400);
    expect(late.json().message).toMatch(/between 9:00 and 19:00/);
    const past = await post('/api/showings', { property_id: propertyId, starts_at: at(-1, 10) });
    expect(past.statusCode).toBe(400);
  });

  it('books by voice through the tool ("friday at 11 am")', async () => {
    const out = await ctx.tools.invoke(
      'schedule_viewing',
      { property: '10 viewing lane', when: 'a week from now is fine, say friday at 11 am', visitor_name: 'Sam' },
      { agentId: a.agentId, sessionId: `showing-${Date.now()}`, source: 'call' },
    );
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.result.voice_summary).toMatch(/Friday, .* at 11:00 AM\.$/);
  });
});
