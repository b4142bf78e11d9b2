import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { Property } from '../../src/domain/properties/property.entity.ts';
import { DigestService } from '../../src/domain/insights/digest.service.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext } from '../helpers/context.ts';

let app: FastifyInstance;
let ctx: AppContext;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
});

describe('daily digest', () => {
  it('is due at the agent’s local digest time', () => {
    const agent = { timezone: 'America/Chicago', digestTime: '08:00' };
    // 13:59Z is 07:59 in Chicago (CST); 14:00Z is 08:00.
    expect(DigestService.isDue(agent, new Date('2026-11-25T13:59:00Z'))).toBe(false);
    expect(DigestService.isDue(agent, new Date('2026-11-25T14:00:00Z'))).toBe(true);
    expect(DigestService.isDue({ timezone: 'Asia/Tokyo', digestTime: '07:30' }, new Date('2026-11-25T22:29:00Z'))).toBe(
      false,
    );
    expect(DigestService.isDue({ timezone: 'Asia/Tokyo', digestTime: '07:30' }, new Date('2026-11-25T22:30:00Z'))).toBe(
      true,
    );
  });

  it('briefs the portfolio, alerts, contracts, activity and follow-ups; stored once per local day', async () => {
    const a = await newAgent(ctx);
    const scope = a.scope();
    const stale = await ctx.services.properties.create(scope, {
      address: '1 Stale St',
      city: 'Denver',
      state: 'CO',
      price: 500000,
    });
    await ctx.services.properties.create(scope, { address: '2 Fresh St', city: 'Denver', state: 'CO', price: 300000 });
    const longAgo = new Date(Date.now() - 8 * 86_400_000);
    await ctx.orm.em.fork().nativeUpdate(Property, { id: stale.id }, { createdAt: longAgo, stageEnteredAt: longAgo });
    await ctx.services.notes.add(scope, stale.id, { content: 'Called the owner' });

    const preview = await app.inject({ url: '/api/digest', headers: a.headers });
    expect(preview.statusCode).toBe(200);
    const d = preview.json();
    expect(d.portfolio).toMatchObject({ active_properties: 2, active_listing_value: 800000, new_last_24h: 1 });
    expect(d.alerts[0]).toMatchObject({ severity: 'high', property_id: stale.id });
    expect(d.activity_last_24h.notes).toBe(1);
    expect(d.recommendations[0].property_id).toBe(stale.id);
    expect(d.text.split('\n\n').length).toBeGreaterThanOrEqual(4);
    const sentences = d.voice_summary.split(/(?<=\.)\s+/).filter(Boolean);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(3);

    const first = await app.inject({ method: 'POST', url: '/api/digest/generate', headers: a.headers });
    expect(first.statusCode).toBe(201);
    const second = await app.inject({ method: 'POST', url: '/api/digest/generate', headers: a.headers });
    expect(second.json()).toEqual({ status: 'already_generated' });
    const history = (await app.inject({ url: '/api/digest/history', headers: a.headers })).json();
    expect(history).toHaveLength(1);
    expect(history[0].date).toBe(first.json().date);
    const notes = (await app.inject({ url: '/api/notifications?type=daily_digest', headers: a.headers })).json();
    expect(notes).toHaveLength(1);
  });

  it('digest time is editable and validated', async () => {
    const a = await newAgent(ctx);
    const ok = await app.inject({
      method: 'PATCH',
      url: '/api/agents/me',
      headers: a.headers,
      payload: { digest_time: '07:15' },
    });
    expect(ok.json().digest_time).toBe('07:15');
    const bad = await app.inject({
      method: 'PATCH',
      url: '/api/agents/me',
      headers: a.headers,
      payload: { digest_time: '25:00' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/digest_time/);
  });
});
