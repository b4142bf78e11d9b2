import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';

let app: FastifyInstance;
let ctx: AppContext;
let a: TestAgent;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  a = await newAgent(ctx);
});

describe('agents', () => {
  it('reads and edits the calling agent, normalising phone numbers', async () => {
    const [l1, l2] = [uniquePhone(), uniquePhone()];
    const spaced = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/agents/me',
      headers: a.headers,
      payload: {
        brokerage_name: 'Hill Country Homes',
        timezone: 'America/Chicago',
        mobile_phone: '(512) 555-0123',
        line_numbers: [spaced(l1), l2],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      brokerage_name: 'Hill Country Homes',
      mobile_phone: '+15125550123',
      line_numbers: [l1, l2],
    });
    const me = await app.inject({ url: '/api/agents/me', headers: a.headers });
    expect(me.json().id).toBe(a.agentId);
    const found = await ctx.services.agents.findByLineNumber(ctx.orm.em.fork(), spaced(l2));
    expect(found?.id).toBe(a.agentId);
  });

  it('refuses a line number that rings another agent, a bad zone and a bad phone', async () => {
    const b = await newAgent(ctx);
    const line = uniquePhone();
    await app.inject({ method: 'PATCH', url: '/api/agents/me', headers: a.headers, payload: { line_numbers: [line] } });
    const taken = await app.inject({
      method: 'PATCH',
      url: '/api/agents/me',
      headers: b.headers,
      payload: { line_numbers: [line.slice(2)] },
    });
    expect(taken.statusCode).toBe(409);
    const zone = await app.inject({
      method: 'PATCH',
      url: '/api/agents/me',
      headers: b.headers,
      payload: { timezone: 'Nowhere/City' },
    });
    expect(zone.statusCode).toBe(400);
    expect(zone.json().message).toMatch(/timezone/);
    const phone = await app.inject({
      method: 'PATCH',
      url: '/api/agents/me',
      headers: b.headers,
      payload: { mobile_phone: '12' },
    });
    expect(phone.statusCode).toBe(400);
    expect(phone.json().message).toMatch(/mobile_phone/);
  });

  it('issues extra keys that work, and stores only hashes', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/agents/me/api-keys',
      headers: a.headers,
      payload: { label: 'zapier' },
    });
    expect(res.statusCode).toBe(201);
    const key = res.json().api_key as string;
    expect((await app.inject({ url: '/api/agents/me', headers: { authorization: `Bearer ${key}` } })).json().id).toBe(
      a.agentId,
    );
    const rows = await ctx.orm.em
      .fork()
      .getConnection()
      .execute<{ key_hash: string }[]>('select key_hash from api_keys where agent_id = ?', [a.agentId]);
    expect(rows.length).toBe(2);
    expect(rows.every((r) => r.key_hash.length === 64 && !key.includes(r.key_hash))).toBe(true);
  });
});

describe('contacts and notes', () => {
  it('attaches contacts to a property and edits them', async () => {
    const p = await ctx.services.properties.create(a.scope(), { address: '8 Contact Ct', city: 'Austin', state: 'TX' });
    const c = await app.inject({
      method: 'POST',
      url: `/api/properties/${p.id}/contacts`,
      headers: a.headers,
      payload: { name: 'Sam Seller', role: 'seller', phone: '512.555.0111', email: 'Sam@Example.com' },
    });
    expect(c.statusCode).toBe(201);
    expect(c.json()).toMatchObject({
      property_id: p.id,
      phone: '+15125550111',
      email: 'sam@example.com',
      role: 'seller',
    });
    const lawyer = await app.inject({
      method: 'POST',
      url: `/api/properties/${p.id}/contacts`,
      headers: a.headers,
      payload: { name: 'Lee Law', role: 'attorney' },
    });
    expect(lawyer.statusCode).toBe(201);
    const badRole = await app.inject({
      method: 'POST',
      url: `/api/properties/${p.id}/contacts`,
      headers: a.headers,
      payload: { name: 'X', role: 'wizard' },
    });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().message).toMatch(/role/);
    const list = await app.inject({ url: `/api/properties/${p.id}/contacts`, headers: a.headers });
    expect(list.json().map((x: { name: string }) => x.name)).toEqual(['Sam Seller', 'Lee Law']);
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/contacts/${c.json().id}`,
      headers: a.headers,
      payload: { role: 'buyer' },
    });
    expect(patched.json().role).toBe('buyer');
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/contacts/${c.json().id}`, headers: a.headers })).statusCode,
    ).toBe(204);
    expect((await app.inject({ url: `/api/contacts/${c.json().id}`, headers: a.headers })).statusCode).toBe(404);
  });

  it('adds notes with a source, newest first, and deleting the property removes them', async () => {
    const p = await ctx.services.properties.create(a.scope(), { address: '9 Note Ln', city: 'Austin', state: 'TX' });
    for (const content of ['first', 'second']) {
      const r = await app.inject({
        method: 'POST',
        url: `/api/properties/${p.id}/notes`,
        headers: a.headers,
        payload: { content, source: 'voice' },
      });
      expect(r.statusCode).toBe(201);
    }
    const empty = await app.inject({
      method: 'POST',
      url: `/api/properties/${p.id}/notes`,
      headers: a.headers,
      payload: { content: '   ' },
    });
    expect(empty.statusCode).toBe(400);
    const notes = await app.inject({ url: `/api/properties/${p.id}/notes`, headers: a.headers });
    expect(notes.json().map((n: { content: string; source: string }) => [n.content, n.source])).toEqual([
      ['second', 'voice'],
      ['first', 'voice'],
    ]);
    await app.inject({ method: 'DELETE', url: `/api/properties/${p.id}`, headers: a.headers });
    const left = await ctx.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>('select count(*) as n from property_notes where property_id = ?', [p.id]);
    expect(Number(left[0]!.n)).toBe(0);
  });

  it('keeps per-session history from tool calls', async () => {
    const p = await ctx.services.properties.create(a.scope(), {
      address: '10 History Rd',
      city: 'Austin',
      state: 'TX',
    });
    const call = await app.inject({
      method: 'POST',
      url: `/api/tools/property_heartbeat`,
      headers: { ...a.headers, 'x-session-id': 'h1' },
      payload: { property_id: p.id },
    });
    expect(call.statusCode).toBe(200);
    expect(call.json().voice_summary).toMatch(/10 History Rd/);
    const session = await app.inject({ url: '/api/history?session_id=rest:h1', headers: a.headers });
    expect(session.json().map((r: { tool_name: string }) => r.tool_name)).toEqual(['property_heartbeat']);
    const perProperty = await app.inject({ url: `/api/properties/${p.id}/history`, headers: a.headers });
    expect(perProperty.json()[0]).toMatchObject({
      tool_name: 'property_heartbeat',
      success: true,
      source: 'rest',
      property_id: p.id,
    });
    const hb = await app.inject({ url: `/api/properties/${p.id}/heartbeat`, headers: a.headers });
    expect(hb.json().days_since_activity).toBe(0);
  });
});
