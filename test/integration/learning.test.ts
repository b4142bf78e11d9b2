import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, type TestAgent } from '../helpers/context.ts';

let app: FastifyInstance;
let ctx: AppContext;
let a: TestAgent;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  a = await newAgent(ctx);
});

const get = (url: string) => app.inject({ url, headers: a.headers });
const post = (url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, headers: a.headers, ...(payload ? { payload } : {}) });

async function property(address: string) {
  return (
    await post('/api/properties', { address, city: 'Denver', state: 'CO', price: 500000, square_feet: 2000 })
  ).json() as { id: number };
}

describe('learning loop', () => {
  it('logs predictions, resolves them with outcomes and reports MAE and directional accuracy', async () => {
    expect((await get('/api/intelligence/accuracy')).json()).toMatchObject({
      total_predictions: 0,
      mean_absolute_error: null,
    });
    const won = await property('1 Won Way');
    const lost = await property('2 Lost Ln');
    // A look logs nothing; a POST makes the prediction and logs it.
    const looked = (await get(`/api/properties/${won.id}/closing-prediction`)).json().closing_probability as number;
    expect((await get('/api/intelligence/accuracy')).json().total_predictions).toBe(0);
    const made = await post(`/api/properties/${won.id}/closing-prediction`, {});
    expect(made.statusCode).toBe(201);
    const p1 = made.json().closing_probability as number;
    expect(p1).toBe(looked);
    const p2 = (await post(`/api/properties/${lost.id}/closing-prediction`, {})).json().closing_probability as number;
    const res = await post(`/api/properties/${won.id}/outcome`, { status: 'closed_won', final_price: 495000 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'closed_won', predictions_resolved: 1 });
    await post(`/api/properties/${lost.id}/outcome`, { status: 'closed_lost' });
    const acc = (await get('/api/intelligence/accuracy')).json();
    expect(acc.total_predictions).toBe(2);
    expect(acc.predictions_with_outcomes).toBe(2);
    const mae = (Math.abs(p1 - 1) + Math.abs(p2 - 0)) / 2;
    expect(acc.mean_absolute_error).toBeCloseTo(mae, 2);
    const directional = ((p1 >= 0.5 ? 1 : 0) + (p2 < 0.5 ? 1 : 0)) / 2;
    expect(acc.directional_accuracy).toBeCloseTo(directional, 5);
    expect((await post(`/api/properties/${won.id}/outcome`, { status: 'sold' })).statusCode).toBe(400);
  });

  it('a prediction told through the tools (voice, MCP) is logged; the property page’s look is not', async () => {
    const b = await newAgent(ctx);
    const p = (
      await app.inject({
        method: 'POST',
        url: '/api/properties',
        headers: b.headers,
        payload: { address: '3 Told Ct', city: 'Denver', state: 'CO', price: 450000 },
      })
    ).json() as { id: number };
    const total = async () =>
      (await app.inject({ url: '/api/intelligence/accuracy', headers: b.headers })).json().total_predictions;
    await app.inject({ url: `/api/properties/${p.id}/closing-prediction`, headers: b.headers });
    expect(await total()).toBe(0);
    const told = await app.inject({
      method: 'POST',
      url: '/api/tools/predict_closing',
      headers: b.headers,
      payload: { property_id: p.id },
    });
    expect(told.statusCode).toBe(200);
    expect(await total()).toBe(1);
  });

  it('keeps default weights until there are enough scored outcomes, then learns', async () => {
    const b = await newAgent(ctx);
    const headers = b.headers;
    expect((await app.inject({ url: '/api/intelligence/weights', headers })).json().source).toBe('default');
    for (let i = 0; i < 6; i++) {
      const p = (
        await app.inject({
          method: 'POST',
          url: '/api/properties',
          headers,
          payload: { address: `${i + 1} Learn St`, city: 'Denver', state: 'CO', price: 400000, square_feet: 2000 },
        })
      ).json();
      if (i % 2 === 0) {
        await ctx.services.research.recordEnrichment(b.scope(), p.id, { zestimate: 520000, rent_zestimate: 3500 });
        await ctx.services.contacts.create(b.scope(), { property_id: p.id, name: `Buyer ${i}`, role: 'buyer' });
      }
      await app.inject({ method: 'POST', url: `/api/properties/${p.id}/score`, headers });
      await app.inject({
        method: 'POST',
        url: `/api/properties/${p.id}/outcome`,
        headers,
        payload: { status: i % 2 === 0 ? 'closed_won' : 'closed_lost' },
      });
    }
    const w = (await app.inject({ url: '/api/intelligence/weights', headers })).json();
    expect(w.source).toBe('learned');
    const sum = Object.values(w.weights as Record<string, number>).reduce((s, x) => s + x, 0);
    expect(sum).toBeCloseTo(1, 5);
  });
});

describe('next action and relationship health', () => {
  it('says what to do next and why', async () => {
    const p = await property('3 Next St');
    const next = (await get(`/api/properties/${p.id}/next-action`)).json();
    expect(next).toMatchObject({ property_id: p.id, action: 'Enrich the property with market data', source: 'rules' });
    expect(next.voice_summary).toMatch(/^Next for 3 Next St: enrich the property/);
  });

  it('scores a relationship from notes mentioning the contact and their contracts', async () => {
    const p = await property('4 Rapport Rd');
    const contact = (
      await post(`/api/properties/${p.id}/contacts`, { name: 'Rita Seller', role: 'seller', phone: '512-555-0190' })
    ).json();
    await post(`/api/properties/${p.id}/notes`, {
      content: 'Called Rita Seller, she is happy with the offer and excited to close',
      source: 'phone_call',
    });
    await post(`/api/properties/${p.id}/notes`, {
      content: 'Rita Seller replied quickly, great call',
      source: 'manual',
    });
    const health = (await get(`/api/contacts/${contact.id}/relationship`)).json();
    expect(health.contact_name).toBe('Rita Seller');
    expect(health.interaction_count).toBe(2);
    expect(health.health_score).toBeGreaterThan(40);
    expect(health.sentiment.average).toBeGreaterThan(0);
    const other = await newAgent(ctx);
    expect(
      (await app.inject({ url: `/api/contacts/${contact.id}/relationship`, headers: other.headers })).statusCode,
    ).toBe(404);
  });
});
