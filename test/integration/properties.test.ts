import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, type TestAgent } from '../helpers/context.ts';

let app: FastifyInstance;
let ctx: AppContext;
let a: TestAgent;
let b: TestAgent;

const listing = (over: Record<string, unknown> = {}) => ({
  address: '141 Elm Street',
  city: 'Austin',
  state: 'TX',
  zip_code: '78704',
  price: 850000,
  bedrooms: 3,
  bathrooms: 2,
  square_feet: 1850,
  year_built: 1972,
  property_type: 'house',
  ...over,
});

async function create(agent: TestAgent, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/properties', headers: agent.headers, payload: body });
}

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  a = await newAgent(ctx);
  b = await newAgent(ctx);
});

describe('properties REST', () => {
  it('creates, reads, updates and deletes a property', async () => {
    const res = await create(a, listing({ address: '9 Create Rd' }));
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      address: '9 Create Rd',
      city: 'Austin',
      state: 'TX',
      price: 850000,
      status: 'new_property',
    });

    const got = await app.inject({ url: `/api/properties/${created.id}`, headers: a.headers });
    expect(got.statusCode).toBe(200);
    expect(got.json().heartbeat).toMatchObject({ property_id: created.id, stage: 'new_property', total_stages: 5 });

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/properties/${created.id}`,
      headers: a.headers,
      payload: { price: 799000, status: 'enriched' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ price: 799000, status: 'enriched' });
    expect(new Date(patched.json().stage_entered_at).getTime()).toBeGreaterThanOrEqual(
      new Date(created.stage_entered_at).getTime(),
    );

    const del = await app.inject({ method: 'DELETE', url: `/api/properties/${created.id}`, headers: a.headers });
    expect(del.statusCode).toBe(204);
    const gone = await app.inject({ url: `/api/properties/${created.id}`, headers: a.headers });
    expect(gone.statusCode).toBe(404);
  });

  it('rejects a duplicate normalised address with 409 and the existing id, per agent', async () => {
    const first = await create(a, listing({ address: '500 Duplicate Avenue, Apt. 4B' }));
    expect(first.statusCode).toBe(201);
    const dup = await create(a, listing({ address: '500 duplicate ave #4b', city: 'austin', state: 'tx' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: 'conflict', details: { existing_id: first.json().id } });
    // Another agent may list the same address.
    expect((await create(b, listing({ address: '500 Duplicate Avenue, Apt. 4B' }))).statusCode).toBe(201);
    // Changing an address onto an existing one is a conflict too.
    const other = await create(a, listing({ address: '501 Duplicate Ave' }));
    const clash = await app.inject({
      method: 'PATCH',
      url: `/api/properties/${other.json().id}`,
      headers: a.headers,
      payload: { address: '500 Duplicate Avenue Apartment 4B' },
    });
    expect(clash.statusCode).toBe(409);
  });

  it('filters, sorts and paginates', async () => {
    const agent = await newAgent(ctx);
    const rows = [
      listing({
        address: '1 Filter St',
        city: 'Miami',
        state: 'FL',
        property_type: 'condo',
        price: 450000,
        bedrooms: 2,
      }),
      listing({
        address: '2 Filter St',
        city: 'MIAMI',
        state: 'FL',
        property_type: 'condo',
        price: 520000,
        bedrooms: 3,
      }),
      listing({
        address: '3 Filter St',
        city: 'Miami',
        state: 'FL',
        property_type: 'house',
        price: 300000,
        bedrooms: 4,
      }),
      listing({
        address: '4 Filter St',
        city: 'Tampa',
        state: 'FL',
        property_type: 'condo',
        price: 250000,
        bedrooms: 1,
        title: 'Bayshore gem',
      }),
    ];
    for (const r of rows) expect((await create(agent, r)).statusCode).toBe(201);
    const q = async (qs: string) => {
      const res = await app.inject({ url: `/api/properties?${qs}`, headers: agent.headers });
      expect(res.statusCode).toBe(200);
      return res.json() as { items: { address: string }[]; total: number };
    };
    const condosUnder500kInMiami = await q('property_type=condo&max_price=500000&city=miami');
    expect(condosUnder500kInMiami.items.map((i) => i.address)).toEqual(['1 Filter St']);
    expect((await q('city=Miami&sort=-price')).items.map((i) => i.address)).toEqual([
      '2 Filter St',
      '1 Filter St',
      '3 Filter St',
    ]);
    expect((await q('bedrooms=3&sort=price')).items.map((i) => i.address)).toEqual(['3 Filter St', '2 Filter St']);
    expect((await q('q=bayshore')).items.map((i) => i.address)).toEqual(['4 Filter St']);
    const page = await q('sort=price&limit=2&offset=1');
    expect(page.total).toBe(4);
    expect(page.items.map((i) => i.address)).toEqual(['3 Filter St', '1 Filter St']);
    const withHb = await app.inject({ url: '/api/properties?limit=1', headers: agent.headers });
    expect(withHb.json().items[0].heartbeat.voice_summary).toMatch(/^Property #\d+ at /);
    const noHb = await q('limit=1&include_heartbeat=false');
    expect(noHb.items[0]).not.toHaveProperty('heartbeat');
    const bad = await app.inject({ url: '/api/properties?min_price=9&max_price=1', headers: agent.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/min_price/);
  });

  it('serves the heartbeat in the reference shape', async () => {
    const p = (await create(a, listing({ address: '77 Heartbeat Ln' }))).json();
    const res = await app.inject({ url: `/api/properties/${p.id}/heartbeat`, headers: a.headers });
    expect(res.statusCode).toBe(200);
    const hb = res.json();
    expect(Object.keys(hb).sort()).toEqual(
      [
        'address',
        'checklist',
        'days_in_stage',
        'days_since_activity',
        'deal_score',
        'health',
        'health_reason',
        'next_action',
        'property_id',
        'score_grade',
        'stage',
        'stage_index',
        'stage_label',
        'stale_threshold_days',
        'total_stages',
        'voice_summary',
      ].sort(),
    );
    expect(hb).toMatchObject({ stage_index: 0, stale_threshold_days: 3, health: 'healthy' });
    expect(hb.checklist.map((c: { key: string }) => c.key)).toEqual([
      'enriched',
      'researched',
      'contracts_attached',
      'contracts_completed',
    ]);
  });

  it('keeps agents apart: another agent’s id is a 404 everywhere', async () => {
    const mine = (await create(a, listing({ address: '12 Private Way' }))).json();
    for (const [method, url, payload] of [
      ['GET', `/api/properties/${mine.id}`],
      ['PATCH', `/api/properties/${mine.id}`, { price: 1 }],
      ['DELETE', `/api/properties/${mine.id}`],
      ['GET', `/api/properties/${mine.id}/heartbeat`],
      ['GET', `/api/properties/${mine.id}/notes`],
      ['POST', `/api/properties/${mine.id}/notes`, { content: 'hi' }],
      ['GET', `/api/properties/${mine.id}/contacts`],
      ['POST', `/api/properties/${mine.id}/contacts`, { name: 'X', role: 'buyer' }],
      ['GET', `/api/properties/${mine.id}/history`],
    ] as const) {
      const res = await app.inject({ method, url, headers: b.headers, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const list = await app.inject({ url: '/api/properties?q=Private', headers: b.headers });
    expect(list.json().total).toBe(0);
    const still = await app.inject({ url: `/api/properties/${mine.id}`, headers: a.headers });
    expect(still.json().price).toBe(850000);
  });

  it('resolves spoken references', async () => {
    const agent = await newAgent(ctx);
    const elm = (await create(agent, listing({ address: '141 Elm St' }))).json();
    await create(agent, listing({ address: '1401 Elm St' }));
    await create(agent, listing({ address: '141 Elm Ave', city: 'Dallas' }));
    const resolve = (q: string) =>
      app.inject({ url: `/api/properties/resolve?q=${encodeURIComponent(q)}`, headers: agent.headers });
    const r1 = await resolve('one forty one elm street');
    expect(r1.statusCode).toBe(200);
    expect(r1.json().property.id).toBe(elm.id);
    expect((await resolve(`property ${elm.id}`)).json().property.id).toBe(elm.id);
    const amb = await resolve('elm');
    expect(amb.statusCode).toBe(409);
    expect(amb.json().details.candidates.length).toBeGreaterThanOrEqual(2);
    const none = await resolve('one forty two elm street');
    expect(none.statusCode).toBe(404);
    expect(none.json().message).toMatch(/Did you mean/);
  });
});

describe('service endpoints', () => {
  it('reports health with a database ping, metrics and OpenAPI', async () => {
    const health = await app.inject({ url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', database: 'ok' });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/http_request_duration_seconds_bucket/);
    const docs = await app.inject({ url: '/docs/json' });
    expect(docs.statusCode).toBe(200);
    const spec = docs.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/properties', '/api/properties/{id}', '/api/properties/{id}/heartbeat']),
    );
    expect(spec.paths['/api/properties'].post.requestBody).toBeDefined();
  });

  it('requires a valid API key', async () => {
    expect((await app.inject({ url: '/api/properties' })).statusCode).toBe(401);
    const bad = await app.inject({ url: '/api/properties', headers: { authorization: 'Bearer rk_nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().message).toMatch(/not valid/);
  });
});
