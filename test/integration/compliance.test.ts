import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPLIANCE_DELAY_MS } from '../../src/services.ts';
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

async function create(body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/api/properties', headers: a.headers, payload: body });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number };
}

describe('compliance check', () => {
  it('answers in the reference shape, stores each check with its rule-set version', async () => {
    const p = await create({
      address: '1 Old Oak Rd',
      city: 'Albany',
      state: 'NY',
      year_built: 1962,
      property_type: 'house',
      price: 450000,
    });
    const res = await app.inject({
      method: 'POST',
      url: '/api/compliance/check',
      headers: a.headers,
      payload: { property_id: p.id, state: 'NY', property_type: 'residential', transaction_type: 'sale' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ property_id: p.id, compliant: false, status: 'failed' });
    expect(body.violations.length).toBeGreaterThan(0);
    for (const v of body.violations)
      expect(v).toEqual(
        expect.objectContaining({
          rule: expect.any(String),
          severity: expect.any(String),
          description: expect.any(String),
          remediation: expect.any(String),
        }),
      );
    expect(body.required_disclosures).toEqual(expect.arrayContaining(['lead_based_paint']));
    expect(body.rule_set_version).toMatch(/^crs-/);
    expect(body.voice_summary).toMatch(/1962|lead/i);

    const history = (await app.inject({ url: `/api/properties/${p.id}/compliance/checks`, headers: a.headers })).json();
    expect(history[0]).toMatchObject({
      check_id: body.check_id,
      status: 'failed',
      rule_set_version: body.rule_set_version,
    });
  });

  it('a 1985 house needs no lead paint disclosure; a Fair Housing phrase is flagged', async () => {
    const p = await create({
      address: '2 Newer Rd',
      city: 'Austin',
      state: 'TX',
      year_built: 1985,
      property_type: 'house',
      description: 'Quiet street, perfect for adults only, no children please.',
    });
    const body = (
      await app.inject({
        method: 'POST',
        url: '/api/compliance/check',
        headers: a.headers,
        payload: { property_id: p.id },
      })
    ).json();
    expect(body.required_disclosures).not.toContain('lead_based_paint');
    const all = [...body.violations, ...body.warnings]
      .map((v: { code: string; rule: string }) => `${v.code} ${v.rule}`)
      .join('\n');
    expect(all).toMatch(/fair housing/i);
  });

  it('refuses bad requests and other agents’ properties', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/compliance/check',
      headers: a.headers,
      payload: { property_id: 1, state: 'XX' },
    });
    expect(bad.statusCode).toBe(400);
    const other = await newAgent(ctx);
    const p = await create({ address: '3 Mine St', city: 'Austin', state: 'TX' });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/compliance/check',
          headers: other.headers,
          payload: { property_id: p.id },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('runs by itself 20 minutes after a property is created and notifies what it found', async () => {
    const b = await newAgent(ctx);
    const res = await app.inject({
      method: 'POST',
      url: '/api/properties',
      headers: b.headers,
      payload: { address: '4 Auto Check Ave', city: 'Houston', state: 'TX', year_built: 1950, property_type: 'house' },
    });
    const p = res.json();
    const tasks = (await app.inject({ url: `/api/tasks?property_id=${p.id}`, headers: b.headers })).json();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ action: 'compliance_check', status: 'pending', created_by: 'system' });
    const delay = new Date(tasks[0].scheduled_at).getTime() - new Date(p.created_at).getTime();
    expect(Math.abs(delay - COMPLIANCE_DELAY_MS)).toBeLessThan(5_000);

    const later = new Date(Date.now() + COMPLIANCE_DELAY_MS + 60_000);
    const run = await ctx.orm.em
      .fork()
      .transactional((tx) => ctx.services.tasks.runDue({ em: tx, agentId: b.agentId }, 'America/Chicago', later));
    expect(run).toMatchObject({ processed: 1, notified: 1 });
    const notes = await ctx.services.notifications.list(
      b.scope(),
      { unread_only: true, include_dismissed: false, limit: 10 },
      later,
    );
    expect(notes.map((n) => [n.type, n.priority])).toEqual([['compliance_issue', 'high']]);
    const history = (await app.inject({ url: `/api/properties/${p.id}/compliance/checks`, headers: b.headers })).json();
    expect(history[0]).toMatchObject({ trigger: 'auto', status: 'failed' });
  });
});
