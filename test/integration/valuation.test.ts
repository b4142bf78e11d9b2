import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSalesFile } from '../../src/cli/import-sales.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, type TestAgent } from '../helpers/context.ts';

const KC = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'kc_house_sales.csv');
let app: FastifyInstance;
let ctx: AppContext;
let a: TestAgent;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  a = await newAgent(ctx);
  const rows = await readSalesFile(KC, 'kc');
  for (let i = 0; i < rows.length; i += 2_000)
    await ctx.services.sales.insert(ctx.orm.em.fork(), 'king_county', rows.slice(i, i + 2_000));
}, 120_000);

const get = (url: string) => app.inject({ url, headers: a.headers });
const create = async (body: Record<string, unknown>) =>
  (
    await app.inject({
      method: 'POST',
      url: '/api/properties',
      headers: a.headers,
      payload: { city: 'Seattle', state: 'WA', ...body },
    })
  ).json() as {
    id: number;
  };

describe('valuation from recorded sales', () => {
  it('values a real Seattle sale from earlier sales only, close to what it sold for', async () => {
    // Sold 2015-05-06 for $345,000: 3 beds, 2.5 baths, 1,380 sqft, lot 1,547, built 2000, 98103.
    const p = await create({
      address: '100 Test Ave N',
      zip_code: '98103',
      bedrooms: 3,
      bathrooms: 2.5,
      square_feet: 1380,
      lot_size: 1547,
      year_built: 2000,
      latitude: 47.6908,
      longitude: -122.341,
      price: 349000,
    });
    const res = await get(`/api/properties/${p.id}/valuation?as_of=2015-05-06`);
    expect(res.statusCode).toBe(200);
    const v = res.json();
    expect(v).toMatchObject({ property_id: p.id, sales_market: 'king_county', as_of: '2015-05-06', assumed: [] });
    expect(Math.abs(v.estimate - 345_000) / 345_000).toBeLessThan(0.2);
    expect(v.low).toBeLessThan(v.estimate);
    expect(v.high).toBeGreaterThan(v.estimate);
    expect(v.comps.length).toBeGreaterThanOrEqual(3);
    expect(v.comps.every((c: { sale_date: string }) => c.sale_date < '2015-05-06')).toBe(true);
    expect(v.voice_summary).toMatch(/\$/);
    const comps = (await get(`/api/properties/${p.id}/comps?as_of=2015-05-06`)).json();
    expect(comps.comps.length).toBe(v.comps.length);
  });

  it('uses the ZIP centroid and typical facts when the property lacks them, and says so', async () => {
    const p = await create({ address: '200 Test Ave N', zip_code: '98103', square_feet: 1500 });
    const v = (await get(`/api/properties/${p.id}/valuation`)).json();
    expect(v.assumed).toEqual(expect.arrayContaining(['bedrooms', 'latitude', 'longitude']));
    expect(v.estimate).toBeGreaterThan(100_000);
    expect(v.as_of).toBe('2015-05-28');
  });

  it('explains what is missing instead of guessing', async () => {
    const noSqft = await create({ address: '300 Test Ave N', zip_code: '98103' });
    const r1 = await get(`/api/properties/${noSqft.id}/valuation`);
    expect(r1.statusCode).toBe(400);
    expect(r1.json().message).toMatch(/square footage/);
    const elsewhere = await create({
      address: '1 Faraway Rd',
      city: 'Miami',
      state: 'FL',
      zip_code: '33101',
      square_feet: 1200,
    });
    const r2 = await get(`/api/properties/${elsewhere.id}/valuation`);
    expect(r2.statusCode).toBe(400);
    expect(r2.json().message).toMatch(/import that market's sales/);
  });

  it('feeds the deal calculator and MAO with the valuation as ARV', async () => {
    const p = await create({
      address: '400 Test Ave N',
      zip_code: '98103',
      bedrooms: 3,
      bathrooms: 2,
      square_feet: 1600,
      year_built: 1950,
      price: 600000,
    });
    const deal = (await get(`/api/properties/${p.id}/deal`)).json();
    expect(deal.data_sources.arv).toBe('agentic_underwriting');
    expect(['wholesale', 'flip', 'rental', 'brrrr', null]).toContain(deal.recommended_strategy);
    const mao = (await get(`/api/properties/${p.id}/mao?rehab_tier=light`)).json();
    expect(mao.results.map((m: { strategy: string }) => m.strategy)).toEqual(['wholesale', 'flip', 'rental']);
    expect(mao.voice_summary).toMatch(/maximum offers/);
    const w = await app.inject({
      method: 'POST',
      url: `/api/properties/${p.id}/deal/what-if`,
      headers: a.headers,
      payload: { price: 450000 },
    });
    expect(w.statusCode).toBe(200);
    expect(w.json().voice_summary).toMatch(/^With those changes/);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/properties/${p.id}/deal/what-if`,
          headers: a.headers,
          payload: {},
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe('valuation of raw attributes', () => {
  it('values attributes without a property record, and refuses an unknown market', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/valuations',
      headers: a.headers,
      payload: {
        market: 'king_county',
        square_feet: 1380,
        bedrooms: 3,
        bathrooms: 2.5,
        year_built: 2000,
        latitude: 47.6908,
        longitude: -122.341,
        as_of: '2015-05-06',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(Math.abs(res.json().estimate - 345_000) / 345_000).toBeLessThan(0.25);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/valuations',
      headers: a.headers,
      payload: { market: 'atlantis', square_feet: 1000, zip: '00000' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/No recorded sales in market "atlantis"/);
  });
});

describe('offers use the underwriting MAO once comps value the property', () => {
  it('snapshots the wholesale MAO from the valuation on a new offer', async () => {
    const p = await create({
      address: '500 Test Ave N',
      zip_code: '98103',
      bedrooms: 3,
      bathrooms: 2,
      square_feet: 1600,
      year_built: 1950,
      price: 600000,
    });
    const mao = (await get(`/api/properties/${p.id}/mao`)).json();
    expect(mao.arv_source).toBe('agentic_underwriting');
    const wholesale = mao.results.find((r: { strategy: string }) => r.strategy === 'wholesale');
    const offer = (
      await app.inject({
        method: 'POST',
        url: `/api/properties/${p.id}/offers`,
        headers: a.headers,
        payload: { offer_price: 400000 },
      })
    ).json();
    expect(offer.mao).toEqual({ low: wholesale.low, base: wholesale.mao, high: wholesale.high });
  });
});
