import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { Call } from '../../src/domain/calls/call.entity.ts';
import { CallAttempt, CampaignTarget, type ICallAttempt } from '../../src/domain/campaigns/campaign.entity.ts';
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

const get = (url: string, who: TestAgent = a) => app.inject({ method: 'GET', url, headers: who.headers });

/**
 * A campaign of three numbers, written as the dialer leaves them: Ann answered on the second attempt (a call
 * record with its sid), Bob's first dial went unanswered and a retry is scheduled, Cy is still queued.
 */
async function dialledCampaign() {
  const created = await app.inject({
    method: 'POST',
    url: '/api/campaigns',
    headers: a.headers,
    payload: { name: 'Targets', purpose: 'just_listed', caller_id: '512-555-0147' },
  });
  const id = (created.json() as { id: number }).id;
  const [ann, bob, cy] = [uniquePhone(), uniquePhone(), uniquePhone()];
  await app.inject({
    method: 'POST',
    url: `/api/campaigns/${id}/targets`,
    headers: a.headers,
    payload: { numbers: [{ phone: ann, name: 'Ann' }, { phone: bob }, { phone: cy }] },
  });
  const em = ctx.orm.em.fork();
  const targets = await em.find(CampaignTarget, { campaign: id }, { orderBy: { id: 'asc' } });
  const [tAnn, tBob] = targets;
  const retryAt = new Date('2026-12-08T18:00:00Z');
  const callSid = `CAtargets${Date.now()}`;
  const call = em.create(Call, {
    agent: a.agentId,
    callSid,
    direction: 'outbound',
    fromNumber: '+15125550147',
    toNumber: ann,
    transport: 'conversation-relay',
  });
  await em.flush();
  const dial = (target: typeof tAnn, attemptNo: number, extra: Partial<ICallAttempt>) =>
    em.create(CallAttempt, {
      target: target!,
      campaign: id,
      agent: a.agentId,
      attemptNo,
      startedAt: new Date(`2026-12-07T1${attemptNo}:00:00Z`),
      ...extra,
    });
  dial(tAnn, 1, { status: 'no-answer', outcome: 'no_answer', endedAt: new Date('2026-12-07T11:00:30Z') });
  dial(tAnn, 2, { status: 'completed', answeredBy: 'human', outcome: 'interested', durationSec: 95, callId: call.id });
  dial(tBob, 1, { status: 'busy', outcome: 'busy' });
  Object.assign(tAnn!, { status: 'done', attempts: 2, outcome: 'interested', outcomeNote: 'wants a showing' });
  Object.assign(tBob!, { status: 'retryScheduled', attempts: 1, outcome: 'busy', nextAttemptAt: retryAt });
  await em.flush();
  return { id, ann, bob, cy, callSid, retryAt };
}

describe('GET /api/campaigns/:id/targets', () => {
  it('lists the numbers in enrolment order with status, attempts, outcome, next attempt and latest dial', async () => {
    const c = await dialledCampaign();
    const res = await get(`/api/campaigns/${c.id}/targets`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(body.items.map((t: { phone: string }) => t.phone)).toEqual([c.ann, c.bob, c.cy]);
    expect(body.items[0]).toMatchObject({
      name: 'Ann',
      status: 'done',
      attempts: 2,
      outcome: 'interested',
      outcome_note: 'wants a showing',
      next_attempt_at: null, // done: nothing more to call
      last_dial: { attempt_no: 2, status: 'completed', answered_by: 'human', duration_sec: 95, call_sid: c.callSid },
    });
    expect(body.items[1]).toMatchObject({
      status: 'retryScheduled',
      next_attempt_at: c.retryAt.toISOString(),
      last_dial: { attempt_no: 1, outcome: 'busy', call_sid: null },
    });
    expect(body.items[2]).toMatchObject({ status: 'queued', attempts: 0, last_dial: null, name: null });
    expect(body.items[2].next_attempt_at).toEqual(expect.any(String));
  });

  it('filters by status and pages', async () => {
    const c = await dialledCampaign();
    const retrying = (await get(`/api/campaigns/${c.id}/targets?status=retryScheduled`)).json();
    expect(retrying.total).toBe(1);
    expect(retrying.items.map((t: { phone: string }) => t.phone)).toEqual([c.bob]);
    const page = (await get(`/api/campaigns/${c.id}/targets?limit=1&offset=1`)).json();
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.items.map((t: { phone: string }) => t.phone)).toEqual([c.bob]);
  });

  it('a bad query is a 400 naming the parameter; another agent’s campaign is a 404', async () => {
    const c = await dialledCampaign();
    const badStatus = await get(`/api/campaigns/${c.id}/targets?status=called`);
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().message).toMatch(/status/);
    const badLimit = await get(`/api/campaigns/${c.id}/targets?limit=0`);
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().message).toMatch(/limit/);
    expect((await get(`/api/campaigns/${c.id}/targets`, b)).statusCode).toBe(404);
    expect((await get(`/api/campaigns/999999999/targets`)).statusCode).toBe(404);
  });
});
