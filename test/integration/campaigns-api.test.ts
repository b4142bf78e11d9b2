import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignTarget } from '../../src/domain/campaigns/campaign.entity.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';

let app: FastifyInstance;
let ctx: AppContext;
let a: TestAgent;
let b: TestAgent;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  a = await newAgent(ctx);
  b = await newAgent(ctx);
});

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, who: TestAgent = a) =>
  app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });

describe('REST /api/campaigns', () => {
  it('create → enrol → start → pause → resume → cancel, with the machine refusing moves that do not exist', async () => {
    const created = await call('POST', '/api/campaigns', {
      name: 'Elm St just listed',
      purpose: 'just_listed',
      caller_id: '512-555-0147',
      max_attempts: 2,
      window_start: '10:00',
      window_end: '18:00',
    });
    expect(created.statusCode).toBe(201);
    const c = created.json() as { id: number; status: string; caller_id: string };
    expect(c).toMatchObject({ status: 'draft', caller_id: '+15125550147' });

    const early = await call('POST', `/api/campaigns/${c.id}/start`);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toMatch(/cannot start \(enrol targets first\)/);

    const enrolled = await call('POST', `/api/campaigns/${c.id}/targets`, {
      numbers: [
        { phone: '(512) 555-0101', name: 'Ann' },
        { phone: '512.555.0102' },
        { phone: '555' },
        { phone: '5125550101' },
      ],
    });
    expect(enrolled.json()).toEqual({
      requested: 4,
      added: 2,
      skipped_existing: 0,
      skipped_duplicate: 1,
      invalid: ['555'],
    });

    expect((await call('POST', `/api/campaigns/${c.id}/start`)).json()).toMatchObject({
      status: 'active',
      started_at: expect.any(String),
    });
    expect((await call('POST', `/api/campaigns/${c.id}/resume`)).statusCode).toBe(409);
    expect((await call('POST', `/api/campaigns/${c.id}/pause`)).json()).toMatchObject({ status: 'paused' });
    const refused = await call('POST', `/api/campaigns/${c.id}/pause`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().details).toMatchObject({
      status: 'paused',
      allowed: expect.arrayContaining(['resume', 'cancel']),
    });
    expect((await call('POST', `/api/campaigns/${c.id}/resume`)).json()).toMatchObject({ status: 'active' });
    expect((await call('POST', `/api/campaigns/${c.id}/cancel`)).json()).toMatchObject({ status: 'cancelled' });
    const targets = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id });
    expect(targets.map((t) => t.status)).toEqual(['cancelled', 'cancelled']);

    const view = await call('GET', `/api/campaigns/${c.id}`);
    expect(view.json().stats).toEqual({
      targets: 2,
      byStatus: { cancelled: 2 },
      byOutcome: {},
      attempts: 0,
      abandonment: { live_answered: 0, abandoned: 0, rate: 0, throttle: 'none' },
    });
    // The list counts every campaign's targets in one query: an empty campaign next to this one has none.
    const other = (
      await call('POST', '/api/campaigns', { name: 'Empty', purpose: 'just_sold', caller_id: '512-555-0147' })
    ).json() as { id: number };
    const listed = (await call('GET', '/api/campaigns')).json() as { id: number; targets_by_status: object }[];
    expect(listed.find((x) => x.id === c.id)?.targets_by_status).toEqual({ cancelled: 2 });
    expect(listed.find((x) => x.id === other.id)?.targets_by_status).toEqual({});
    expect((await call('GET', `/api/campaigns/${c.id}/audit`)).json()).toEqual({
      total: 0,
      limit: 100,
      offset: 0,
      items: [],
    });
  });

  it('options: every purpose with its default playbook, the playbooks in agents/ with their goals, roles, limits', async () => {
    const res = await call('GET', '/api/campaigns/options');
    expect(res.statusCode).toBe(200);
    const o = res.json() as {
      purposes: { purpose: string; default_playbook: string }[];
      playbooks: { name: string; goal: string }[];
      contact_roles: string[];
      abandonment: { limit: number; slow_down_at: number; window_days: number };
    };
    expect(o.purposes).toContainEqual({ purpose: 'just_listed', default_playbook: 'just-listed' });
    const names = o.playbooks.map((p) => p.name);
    // Every default is a real playbook, and only playbooks are listed (not the receptionist or voice commands).
    for (const p of o.purposes) expect(names).toContain(p.default_playbook);
    expect(names).not.toContain('receptionist');
    expect(o.playbooks.every((p) => p.goal.length > 10)).toBe(true);
    expect(o.contact_roles).toContain('seller');
    expect(o.abandonment).toEqual({ limit: 0.03, slow_down_at: 0.02, window_days: 30 });
    expect((await app.inject({ url: '/api/campaigns/options' })).statusCode).toBe(401);
  });

  it('bad bodies are 400 with the field named; another agent’s campaign is 404', async () => {
    const bad = await call('POST', '/api/campaigns', { name: 'x', purpose: 'cold_calls', caller_id: '5125550147' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/purpose/);
    const badWindow = await call('POST', '/api/campaigns', {
      name: 'x',
      purpose: 'just_sold',
      caller_id: '5125550147',
      window_start: '25:00',
    });
    expect(badWindow.statusCode).toBe(400);
    const badPlaybook = await call('POST', '/api/campaigns', {
      name: 'x',
      purpose: 'just_sold',
      caller_id: '5125550147',
      playbook: 'receptionist',
    });
    expect(badPlaybook.statusCode).toBe(400);
    expect(badPlaybook.json().message).toMatch(/playbook: agents\/receptionist.json is not a campaign playbook/);
    expect(badPlaybook.json().details.playbooks).toContain('open-house-rsvp');
    const c = (
      await call('POST', '/api/campaigns', { name: 'Mine', purpose: 'just_sold', caller_id: '5125550147' })
    ).json() as {
      id: number;
    };
    expect((await call('POST', `/api/campaigns/${c.id}/targets`, {})).statusCode).toBe(400);
    expect((await call('GET', `/api/campaigns/${c.id}`, undefined, b)).statusCode).toBe(404);
    expect((await call('POST', `/api/campaigns/${c.id}/start`, undefined, b)).statusCode).toBe(404);
    expect((await call('GET', `/api/campaigns/${c.id}/audit`, undefined, b)).statusCode).toBe(404);
  });
});

describe('REST calling-compliance records', () => {
  it('do-not-call: add (idempotent), look up; consent: record, revoke; lists: upload with a scrub date', async () => {
    // Fresh numbers: the list is brokerage-wide and a reused test database keeps earlier runs' entries.
    const listed = uniquePhone();
    const local = `(${listed.slice(2, 5)}) ${listed.slice(5, 8)}-${listed.slice(8)}`;
    const added = await call('POST', '/api/do-not-call', { phone: local, reason: 'asked by email' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({ phone: listed, added: true });
    expect((await call('POST', '/api/do-not-call', { phone: listed })).json()).toEqual({
      phone: listed,
      added: false,
    });
    // The list is the brokerage's: another agent sees the number listed.
    expect(
      (await call('GET', `/api/do-not-call?phone=${encodeURIComponent(listed)}`, undefined, b)).json(),
    ).toMatchObject({
      listed: true,
    });

    const consented = uniquePhone();
    const consent = await call('POST', '/api/consents', {
      phone: consented,
      type: 'pewc',
      source: 'website form',
      evidence: 'I agree to receive calls… (IP 203.0.113.9)',
      given_at: '2026-11-01T10:00:00-06:00',
    });
    expect(consent.statusCode).toBe(201);
    expect((await call('POST', '/api/consents/revoke', { phone: consented })).json()).toEqual({ revoked: 1 });

    const list = await call('POST', '/api/do-not-call/lists', {
      kind: 'state',
      state: 'tx',
      scrubbed_at: '2026-12-01T00:00:00Z',
      numbers: ['512-555-0192', '512 555 0193', 'garbage'],
    });
    expect(list.statusCode).toBe(201);
    expect(list.json()).toMatchObject({ stored: 2, invalid: ['garbage'] });
  });

  it('bad input is a 400 naming the field; another agent’s contact is 404', async () => {
    expect((await call('POST', '/api/do-not-call', { phone: 'x' })).statusCode).toBe(400);
    expect((await call('POST', '/api/do-not-call', { phone: '12345678' })).statusCode).toBe(400);
    const noState = await call('POST', '/api/do-not-call/lists', {
      kind: 'state',
      scrubbed_at: '2026-12-01T00:00:00Z',
      numbers: ['5125550192'],
    });
    expect(noState.statusCode).toBe(400);
    expect(noState.json().message).toMatch(/state/);
    const badType = await call('POST', '/api/consents', {
      phone: '5125550194',
      type: 'verbal',
      source: 's',
      evidence: 'e',
      given_at: '2026-11-01T00:00:00Z',
    });
    expect(badType.statusCode).toBe(400);
    const theirs = await ctx.services.contacts.create(b.scope(), { name: 'Their Contact', phone: '5125550195' });
    const cross = await call('POST', '/api/consents', {
      phone: '5125550195',
      type: 'pec',
      source: 's',
      evidence: 'e',
      given_at: '2026-11-01T00:00:00Z',
      contact_id: theirs.id,
    });
    expect(cross.statusCode).toBe(404);
  });
});
