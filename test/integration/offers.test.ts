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

const post = (url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, headers: a.headers, ...(payload ? { payload } : {}) });

async function property(address: string, extra: Record<string, unknown> = {}) {
  const res = await post('/api/properties', {
    address,
    city: 'Denver',
    state: 'CO',
    price: 850000,
    bedrooms: 3,
    bathrooms: 2,
    square_feet: 1900,
    year_built: 1999,
    ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number };
}

describe('offer analysis', () => {
  it('reproduces the reference example with no Zestimate or MAO', async () => {
    const p = await property('1 Analysis Ave');
    const res = await post(`/api/properties/${p.id}/offers/analyze`, {
      offer_price: 800000,
      buyer_strength: 'strong',
      contingencies: ['mortgage', 'inspection'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      offer_to_list_ratio: 0.94,
      acceptance_probability: 0.6,
      recommendation: 'counter_offer',
      counter_strategy: { suggested_price: 825000, min_acceptable: 722500 },
    });
  });

  it('uses the MAO from market data and comps from the portfolio', async () => {
    const p = await property('2 Mao Way');
    await ctx.services.research.recordEnrichment(a.scope(), p.id, { zestimate: 1_300_000 });
    // MAO = 0.70 × 1.3M = 910,000 → the offer is below MAO (−20) and >15 % below the Zestimate (−10).
    const res = (await post(`/api/properties/${p.id}/offers/analyze`, { offer_price: 800000 })).json();
    expect(res.acceptance_probability).toBe(0.3);
    expect(res.recommendation).toBe('reject');
    expect(res.counter_strategy.min_acceptable).toBe(864500);
    for (const [i, price] of [800000, 820000, 840000].entries()) {
      await property(`${10 + i} Comp Ct`, { price });
    }
    const withComps = (await post(`/api/properties/${p.id}/offers/analyze`, { offer_price: 820000 })).json();
    expect(withComps.market_position).toBe('at_market');
  });
});

describe('offers and negotiation', () => {
  it('counters along a chain, accepts (competing offers rejected, property waits for contracts)', async () => {
    const p = await property('3 Bidding Blvd');
    const buyer = (await post(`/api/properties/${p.id}/contacts`, { name: 'Bo Buyer', role: 'buyer' })).json();
    const first = (
      await post(`/api/properties/${p.id}/offers`, {
        offer_price: 780000,
        buyer_contact_id: buyer.id,
        financing_type: 'conventional',
        contingencies: ['inspection'],
      })
    ).json();
    const rival = (await post(`/api/properties/${p.id}/offers`, { offer_price: 790000 })).json();
    const counter = await post(`/api/offers/${first.id}/counter`, { offer_price: 830000 });
    expect(counter.statusCode).toBe(201);
    expect(counter.json()).toMatchObject({
      parent_offer_id: first.id,
      is_our_offer: true,
      status: 'submitted',
      financing_type: 'conventional',
    });
    const again = await post(`/api/offers/${first.id}/accept`);
    expect(again.statusCode).toBe(409);
    const counter2 = (await post(`/api/offers/${counter.json().id}/counter`, { offer_price: 815000 })).json();
    const chain = (await app.inject({ url: `/api/offers/${counter2.id}/chain`, headers: a.headers })).json();
    expect(chain.map((o: { offer_price: number; status: string }) => [o.offer_price, o.status])).toEqual([
      [780000, 'countered'],
      [830000, 'countered'],
      [815000, 'submitted'],
    ]);
    const accepted = (await post(`/api/offers/${counter2.id}/accept`)).json();
    expect(accepted.rejected_competing).toEqual([rival.id]);
    const prop = (await app.inject({ url: `/api/properties/${p.id}`, headers: a.headers })).json();
    expect(prop.status).toBe('waiting_for_contracts');
    const offers = (await app.inject({ url: `/api/properties/${p.id}/offers`, headers: a.headers })).json();
    expect(offers.find((o: { id: number }) => o.id === rival.id).status).toBe('rejected');
    const prediction = (
      await app.inject({ url: `/api/properties/${p.id}/closing-prediction`, headers: a.headers })
    ).json();
    expect(prediction.closing_probability).toBeGreaterThan(0);
  });

  it('writes a complete counter-offer letter and suggests a price', async () => {
    const p = await property('4 Letter Ln');
    const offer = (
      await post(`/api/properties/${p.id}/offers`, { offer_price: 760000, earnest_money: 10000, closing_days: 30 })
    ).json();
    const letter = await post(`/api/offers/${offer.id}/counter-letter`, {});
    expect(letter.statusCode).toBe(200);
    expect(letter.json().letter).toMatch(/4 Letter Ln/);
    expect(letter.json().letter).toMatch(/\$807,500|\$805,000|\$8\d\d,\d{3}/);
    const suggested = (
      await app.inject({ url: `/api/properties/${p.id}/offers/suggested-price`, headers: a.headers })
    ).json();
    expect(suggested).toEqual(expect.objectContaining({ voice_summary: expect.any(String) }));
  });

  it('expires live offers past their expiry, and refuses bad input', async () => {
    const p = await property('5 Expiry Rd');
    const offer = (
      await post(`/api/properties/${p.id}/offers`, {
        offer_price: 700000,
        expires_at: new Date(Date.now() - 1000).toISOString(),
      })
    ).json();
    const n = await ctx.orm.em
      .fork()
      .transactional((tx) => ctx.services.offers.expireDue({ em: tx, agentId: a.agentId }));
    expect(n).toBe(1);
    expect((await post(`/api/offers/${offer.id}/accept`)).statusCode).toBe(409);
    expect((await post(`/api/properties/${p.id}/offers`, { offer_price: -5 })).statusCode).toBe(400);
    const other = await newAgent(ctx);
    expect(
      (await app.inject({ method: 'POST', url: `/api/offers/${offer.id}/reject`, headers: other.headers })).statusCode,
    ).toBe(404);
  });
});
