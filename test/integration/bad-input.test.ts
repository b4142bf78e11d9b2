import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { Property } from '../../src/domain/properties/property.entity.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, type TestAgent } from '../helpers/context.ts';

let app: FastifyInstance;
let ctx: AppContext;
let agent: TestAgent;
let other: TestAgent;
let mineId: number;
let theirsId: number;

const countRows = (a: TestAgent) => ctx.orm.em.fork().count(Property, { agent: a.agentId });

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  agent = await newAgent(ctx);
  other = await newAgent(ctx);
  mineId = (
    await ctx.services.properties.create(agent.scope(), {
      address: '1 Stable St',
      city: 'Austin',
      state: 'TX',
      price: 100,
    })
  ).id;
  theirsId = (
    await ctx.services.properties.create(other.scope(), { address: '2 Stable St', city: 'Austin', state: 'TX' })
  ).id;
});

/** Values that are wrong for most fields: wrong types, huge strings, negatives, NaN-ish. */
const junk = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, -850000, 1e308, 0, 1.5, 99999999999),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  fc.constantFrom(
    '',
    ' ',
    'TX',
    'tx',
    'ZZ',
    'house',
    'condo',
    'complete',
    '78704',
    '<script>',
    "'; drop table properties; --",
  ),
  fc.constantFrom('1 A\u0000 St', '\u0000', 'Ma\u0301in St', '\uD83C\uDFE0 Home', '\uFFFF'),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

const fieldNames = [
  'address',
  'city',
  'state',
  'zip_code',
  'price',
  'bedrooms',
  'bathrooms',
  'square_feet',
  'lot_size',
  'year_built',
  'property_type',
  'status',
  'deal_type',
  'title',
  'description',
];

/** Bodies that mostly look like properties but carry at least one bad or unknown field. */
const body = fc.oneof(
  fc.record(Object.fromEntries(fieldNames.map((f) => [f, junk])), { requiredKeys: [] }),
  fc.record({
    address: fc.constant('10 Valid St'),
    city: fc.constant('Austin'),
    state: fc.constant('TX'),
    [fc.sample(fc.constantFrom(...fieldNames), 1)[0]!]: junk,
  }),
  fc.record({
    address: fc.constant('11 Valid St'),
    city: fc.constant('Austin'),
    state: fc.constant('TX'),
    unknown_field: junk,
  }),
  junk,
);

describe('bad input never causes a 5xx and never writes a row', () => {
  it('POST /api/properties with 1,000 generated bodies', async () => {
    const before = await countRows(agent);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/properties',
          headers: agent.headers,
          payload: payload as object,
        });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode === 201) {
          accepted++;
          // Valid by chance: remove it again so the count check stays exact.
          await app.inject({ method: 'DELETE', url: `/api/properties/${res.json().id}`, headers: agent.headers });
        } else {
          expect(res.json().message, 'a useful message').toEqual(expect.any(String));
        }
      }),
      { numRuns: 1000 },
    );
    expect(await countRows(agent)).toBe(before);
    expect(accepted).toBeLessThan(1000);
  });

  it('PATCH /api/properties/:id with generated bodies and ids (own, other agent’s, nonsense)', async () => {
    const ids = fc.oneof(
      fc.constant(String(theirsId)),
      fc.constant(String(mineId)),
      fc.constantFrom('0', '-1', 'abc', '1e99', '99999999999', '1.5'),
    );
    await fc.assert(
      fc.asyncProperty(ids, body, async (id, payload) => {
        const res = await app.inject({
          method: 'PATCH',
          url: `/api/properties/${id}`,
          headers: agent.headers,
          payload: payload as object,
        });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (id === String(theirsId)) expect([400, 404, 415]).toContain(res.statusCode);
      }),
      { numRuns: 300 },
    );
    const theirs = await ctx.services.properties.get(other.scope(), theirsId);
    expect(theirs.address).toBe('2 Stable St');
  });

  it('list query strings', async () => {
    const qs = fc.dictionary(
      fc.constantFrom(
        'status',
        'property_type',
        'city',
        'min_price',
        'max_price',
        'bedrooms',
        'q',
        'sort',
        'limit',
        'offset',
        'bogus',
      ),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.string({ unit: 'binary', maxLength: 10 }),
        fc.integer().map(String),
        fc.constantFrom('-1', '1e400', 'NaN', '%', '_', '\\', '\u0000'),
      ),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(qs, async (q) => {
        const res = await app.inject({ url: '/api/properties', query: q, headers: agent.headers });
        expect(res.statusCode, res.body).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it('answers malformed JSON, wrong content type and oversized bodies with a 4xx', async () => {
    const post = (payload: string, type = 'application/json') =>
      app.inject({
        method: 'POST',
        url: '/api/properties',
        headers: { ...agent.headers, 'content-type': type },
        payload,
      });
    const malformed = await post('{"address": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toMatch(/JSON/);
    expect((await post('address=1', 'application/x-www-form-urlencoded')).statusCode).toBe(415);
    expect((await post(JSON.stringify({ address: 'x'.repeat(2_000_000) }))).statusCode).toBe(413);
    const named = await post(JSON.stringify({ address: '1 A St', city: 'Austin', state: 'TX', price: -5 }));
    expect(named.statusCode).toBe(400);
    expect(named.json().message).toMatch(/price/);
    const unknown = await post(JSON.stringify({ address: '1 A St', city: 'Austin', state: 'TX', colour: 'red' }));
    expect(unknown.json().message).toMatch(/colour/);
  });
});

describe('NUL characters (PostgreSQL text cannot hold them)', () => {
  it('are refused with a 400 naming the field, in bodies, query strings and tool arguments', async () => {
    const body = await app.inject({
      method: 'POST',
      url: '/api/properties',
      headers: agent.headers,
      payload: { address: '1 A\u0000 St', city: 'Austin', state: 'TX' },
    });
    expect(body.statusCode).toBe(400);
    expect(body.json().message).toBe('body.address: must not contain NUL characters');
    const query = await app.inject({ url: '/api/properties?q=%00', headers: agent.headers });
    expect(query.statusCode).toBe(400);
    const tool = await app.inject({
      method: 'POST',
      url: '/api/tools/add_note',
      headers: agent.headers,
      payload: { property_id: mineId, content: 'x\u0000' },
    });
    expect(tool.statusCode).toBe(400);
    const outcome = await ctx.tools.invoke(
      'add_note',
      { property_id: mineId, content: 'x\u0000' },
      { agentId: agent.agentId, sessionId: 'nul', source: 'mcp' },
    );
    expect(outcome.ok).toBe(false);
    const history = await ctx.services.history.forSession(agent.scope(), 'nul');
    expect(history[0]).toMatchObject({ tool_name: 'add_note', success: false });
  });
});
