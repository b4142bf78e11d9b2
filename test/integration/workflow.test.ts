import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '../../src/domain/contracts/contract.entity.ts';
import { Property } from '../../src/domain/properties/property.entity.ts';
import { MANUAL_GRACE_MS, nextStage } from '../../src/domain/pipeline/pipeline.service.ts';
import { NO_FACTS } from '../../src/domain/properties/heartbeat.ts';
import type { AppContext } from '../../src/services.ts';
import { listeningApp, newAgent, testApp, testContext, type TestAgent } from '../helpers/context.ts';
import { until } from '../helpers/wait.ts';

let app: FastifyInstance;
let ctx: AppContext;
let a: TestAgent;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  a = await newAgent(ctx);
});

/** Colorado, built 1990: no contract template auto-attaches, so contracts come only from the test. */
async function property(address: string, agent = a) {
  return ctx.services.properties.create(agent.scope(), { address, city: 'Denver', state: 'CO', year_built: 1990 });
}

async function check(agent = a, ids?: number[]) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/pipeline/check',
    headers: agent.headers,
    payload: ids ? { property_ids: ids } : {},
  });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    checked: number;
    skipped_grace: number;
    advanced: { property_id: number; from: string; to: string }[];
  };
}

async function attachContract(propertyId: number, agentId: number, status: 'draft' | 'completed', isRequired = true) {
  const em = ctx.orm.em.fork();
  em.create(Contract, {
    agent: agentId,
    property: propertyId,
    name: `Contract ${Math.random()}`,
    status,
    isRequired,
  } as never);
  await em.flush();
}

describe('pipeline rules (pure)', () => {
  it('advances one step when the fact for the next stage exists', () => {
    expect(nextStage('new_property', NO_FACTS)).toBeNull();
    expect(nextStage('new_property', { ...NO_FACTS, enriched: true })?.to).toBe('enriched');
    expect(nextStage('enriched', { ...NO_FACTS, enriched: true })).toBeNull();
    expect(nextStage('enriched', { ...NO_FACTS, skipTraced: true })?.to).toBe('researched');
    expect(nextStage('researched', { ...NO_FACTS, contractsAttached: 1 })?.to).toBe('waiting_for_contracts');
    expect(nextStage('waiting_for_contracts', { ...NO_FACTS, contractsAttached: 2 })).toBeNull();
    expect(
      nextStage('waiting_for_contracts', {
        ...NO_FACTS,
        contractsAttached: 2,
        requiredContracts: 2,
        requiredCompleted: 1,
      }),
    ).toBeNull();
    expect(
      nextStage('waiting_for_contracts', {
        ...NO_FACTS,
        contractsAttached: 2,
        requiredContracts: 2,
        requiredCompleted: 2,
      })?.to,
    ).toBe('complete');
    expect(nextStage('complete', { ...NO_FACTS, enriched: true })).toBeNull();
  });
});

describe('pipeline auto-advance', () => {
  it('walks a property through every stage, one step per check, with a notification and history row each', async () => {
    const p = await property('1 Pipeline Way');
    expect((await check(a, [p.id])).advanced).toEqual([]);

    const enr = await app.inject({
      method: 'POST',
      url: `/api/properties/${p.id}/enrichment`,
      headers: a.headers,
      payload: { source: 'import', zestimate: 860000, rent_zestimate: 3900, school_rating: 7.5 },
    });
    expect(enr.statusCode).toBe(201);
    const trace = await app.inject({
      method: 'POST',
      url: `/api/properties/${p.id}/skip-trace`,
      headers: a.headers,
      payload: {
        owner_name: 'Olive Owner',
        phones: [{ number: '512-555-0166', type: 'mobile' }],
        emails: ['Olive@Example.com'],
      },
    });
    expect(trace.statusCode).toBe(201);
    expect(trace.json().phones[0].number).toBe('+15125550166');

    // Both facts exist, but only one step per run.
    expect((await check(a, [p.id])).advanced.map((x) => x.to)).toEqual(['enriched']);
    expect((await check(a, [p.id])).advanced.map((x) => x.to)).toEqual(['researched']);
    expect((await check(a, [p.id])).advanced).toEqual([]);
    await attachContract(p.id, a.agentId, 'draft');
    expect((await check(a, [p.id])).advanced.map((x) => x.to)).toEqual(['waiting_for_contracts']);
    expect((await check(a, [p.id])).advanced).toEqual([]);
    const em = ctx.orm.em.fork();
    await em.nativeUpdate(Contract, { property: p.id }, { status: 'completed' });
    expect((await check(a, [p.id])).advanced.map((x) => x.to)).toEqual(['complete']);

    const hb = (await app.inject({ url: `/api/properties/${p.id}/heartbeat`, headers: a.headers })).json();
    expect(hb).toMatchObject({ stage: 'complete', health: 'healthy', next_action: 'All steps complete' });
    expect(hb.checklist.every((c: { done: boolean }) => c.done)).toBe(true);

    const history = (await app.inject({ url: `/api/properties/${p.id}/history`, headers: a.headers })).json();
    expect(
      history
        .filter((h: { tool_name: string }) => h.tool_name === 'pipeline_auto_advance')
        .map((h: { input_summary: string }) => h.input_summary),
    ).toEqual([
      'status waiting_for_contracts → complete',
      'status researched → waiting_for_contracts',
      'status enriched → researched',
      'status new_property → enriched',
    ]);
    const notes = (await app.inject({ url: '/api/notifications?include_dismissed=true', headers: a.headers })).json();
    const mine = notes.filter(
      (n: { property_id: number; type: string }) => n.property_id === p.id && n.type === 'pipeline_auto_advance',
    );
    expect(mine).toHaveLength(4);
    expect(mine[0]).toMatchObject({ priority: 'medium', auto_dismiss_seconds: 15, title: '1 Pipeline Way → Complete' });
  });

  it('holds off for 24 hours after a manual stage change', async () => {
    const p = await property('2 Grace Ct');
    await ctx.services.research.recordEnrichment(a.scope(), p.id, { source: 'manual', zestimate: 1 });
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/properties/${p.id}`,
      headers: a.headers,
      payload: { status: 'new_property' },
    });
    expect(patched.statusCode).toBe(200);
    // status unchanged → no grace; the fact moves it on
    expect((await check(a, [p.id])).advanced.map((x) => x.to)).toEqual(['enriched']);
    // a real manual change back starts the grace period
    await app.inject({
      method: 'PATCH',
      url: `/api/properties/${p.id}`,
      headers: a.headers,
      payload: { status: 'new_property' },
    });
    const held = await check(a, [p.id]);
    expect(held).toMatchObject({ skipped_grace: 1, advanced: [] });
    // 24 h later automation resumes
    const later = new Date(Date.now() + MANUAL_GRACE_MS + 60_000);
    const em = ctx.orm.em.fork();
    const result = await em.transactional((tx) =>
      ctx.services.pipeline.check({ em: tx, agentId: a.agentId }, later, [p.id]),
    );
    expect(result.advanced.map((x) => x.to)).toEqual(['enriched']);
  });

  it('never moves another agent’s properties and moves each property once under concurrent checks', async () => {
    const b = await newAgent(ctx);
    const theirs = await property('3 Other St', b);
    await ctx.services.research.recordEnrichment(b.scope(), theirs.id, { source: 'manual' });
    await check(a);
    expect((await ctx.orm.em.fork().findOneOrFail(Property, theirs.id)).status).toBe('new_property');

    const p = await property('4 Race Rd', b);
    await ctx.services.research.recordEnrichment(b.scope(), p.id, { source: 'manual' });
    const results = await Promise.all([check(b), check(b), check(b)]);
    const moves = results.flatMap((r) => r.advanced).filter((x) => x.property_id === p.id);
    expect(moves).toHaveLength(1);
  });
});

describe('notifications', () => {
  it('lists, counts, marks read, dismisses, deduplicates and hides auto-dismissed ones', async () => {
    const c = await newAgent(ctx);
    const scope = c.scope();
    const svc = ctx.services.notifications;
    const past = new Date(Date.now() - 60_000);
    await svc.create(
      scope,
      { type: 'pipeline_auto_advance', title: 'old', message: 'auto dismissed', autoDismissSeconds: 15 },
      past,
    );
    const urgent = await svc.create(scope, {
      type: 'contract_deadline',
      priority: 'urgent',
      title: 'Deadline',
      message: 'Sign today',
    });
    const lead = await svc.create(scope, {
      type: 'new_lead',
      title: 'Lead',
      message: 'Jane called',
      dedupeKey: 'call-1',
    });
    expect(
      await svc.create(scope, { type: 'new_lead', title: 'Lead', message: 'again', dedupeKey: 'call-1' }),
    ).toBeNull();

    const list = (await app.inject({ url: '/api/notifications', headers: c.headers })).json();
    expect(list.map((n: { title: string }) => n.title)).toEqual(['Lead', 'Deadline']);
    expect((await app.inject({ url: '/api/notifications/counts', headers: c.headers })).json()).toEqual({
      unread: 2,
      urgent_unread: 1,
    });

    const read = await app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      headers: c.headers,
      payload: { ids: [urgent!.id] },
    });
    expect(read.json()).toEqual({ marked: 1 });
    expect((await app.inject({ url: '/api/notifications?unread_only=true', headers: c.headers })).json()).toHaveLength(
      1,
    );
    const dismissed = await app.inject({
      method: 'POST',
      url: `/api/notifications/${lead!.id}/dismiss`,
      headers: c.headers,
    });
    expect(dismissed.json().is_dismissed).toBe(true);
    expect(
      (await app.inject({ url: '/api/notifications', headers: c.headers }))
        .json()
        .map((n: { title: string }) => n.title),
    ).toEqual(['Deadline']);
    // another agent cannot touch them
    expect(
      (await app.inject({ method: 'POST', url: `/api/notifications/${urgent!.id}/dismiss`, headers: a.headers }))
        .statusCode,
    ).toBe(404);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      headers: c.headers,
      payload: { ids: [] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('streams new notifications to a live client over server-sent events', async () => {
    const d = await newAgent(ctx);
    const other = await newAgent(ctx);
    const server = await listeningApp();
    try {
      const base = server.base;
      const controller = new AbortController();
      const res = await fetch(`${base}/api/notifications/stream`, { headers: d.headers, signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const waitFor = async (pattern: RegExp) => {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          text += decoder.decode(value);
        }
      };
      await waitFor(/: connected/);
      await ctx.services.notifications.create(other.scope(), { type: 'system', title: 'not yours', message: 'x' });
      await ctx.services.notifications.create(d.scope(), {
        type: 'new_lead',
        title: 'Live lead',
        message: 'Sam called about 141 Elm',
      });
      await waitFor(/event: notification\ndata: .*Live lead/);
      expect(text).not.toMatch(/not yours/);
      controller.abort();
      await expect(reader.read()).rejects.toThrow();
      await until(() => ctx.bus.listenerCount(d.agentId) === 0, 'the stream to unsubscribe');
    } finally {
      await server.close();
    }
  });
});
