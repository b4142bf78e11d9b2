import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { Agent, VoicePinAttempt } from '../../src/domain/agents/agent.entity.ts';
import {
  PIN_LOCK_MS,
  setPin,
  validatePin,
  verifyPin,
  voiceCommandsAllowed,
} from '../../src/domain/agents/voice-pin.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';

let app: FastifyInstance;
let ctx: AppContext;

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
});

const em = () => ctx.orm.em.fork();
const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

/** An agent with a mobile number and (through the API) a PIN. */
async function agentWithPin(pin = '4821'): Promise<TestAgent & { mobile: string }> {
  const a = await newAgent(ctx);
  const mobile = uniquePhone();
  const patch = await app.inject({
    method: 'PATCH',
    url: '/api/agents/me',
    headers: a.headers,
    payload: { mobile_phone: mobile },
  });
  expect(patch.statusCode).toBe(200);
  const put = await app.inject({ method: 'PUT', url: '/api/agents/me/pin', headers: a.headers, payload: { pin } });
  expect(put.statusCode).toBe(204);
  return { ...a, mobile };
}

async function attempts(agentId: number) {
  return em().find(VoicePinAttempt, { agent: agentId }, { orderBy: { id: 'asc' } });
}

describe('voice PIN', () => {
  it('is set through the API, stored hashed and salted, and shown only as voice_pin_set', async () => {
    const a = await newAgent(ctx);
    const before = await app.inject({ url: '/api/agents/me', headers: a.headers });
    expect(before.json().voice_pin_set).toBe(false);
    const put = await app.inject({
      method: 'PUT',
      url: '/api/agents/me/pin',
      headers: a.headers,
      payload: { pin: '4821' },
    });
    expect(put.statusCode).toBe(204);
    expect(put.body).toBe('');
    const me = await app.inject({ url: '/api/agents/me', headers: a.headers });
    expect(me.json().voice_pin_set).toBe(true);
    expect(me.body).not.toMatch(/4821|scrypt|pin_hash/);

    const b = await newAgent(ctx);
    await setPin(b.scope(), '4821');
    const [rowA, rowB] = [await em().findOneOrFail(Agent, a.agentId), await em().findOneOrFail(Agent, b.agentId)];
    expect(rowA.pinHash).toMatch(/^scrypt\$/);
    expect(rowA.pinHash).not.toContain('4821');
    // Same PIN, different salt: different hashes.
    expect(rowA.pinHash).not.toBe(rowB.pinHash);

    const unauth = await app.inject({ method: 'PUT', url: '/api/agents/me/pin', payload: { pin: '4821' } });
    expect(unauth.statusCode).toBe(401);
  });

  it('refuses bad PINs with a 400 that says why', async () => {
    const a = await newAgent(ctx);
    const cases: [unknown, RegExp][] = [
      ['123', /4 to 8 digits/],
      ['123456789', /4 to 8 digits/],
      ['12a4', /4 to 8 digits/],
      ['', /4 to 8 digits/],
      [4821, /string of digits/],
      ['7777', /repeated/],
      ['1234', /run of digits/],
      ['4321', /run of digits/],
      ['567890', /run of digits/],
    ];
    for (const [pin, message] of cases) {
      const res = await app.inject({ method: 'PUT', url: '/api/agents/me/pin', headers: a.headers, payload: { pin } });
      expect(res.statusCode, String(pin)).toBe(400);
      expect(res.json().message, String(pin)).toMatch(/pin/);
      expect(res.json().message, String(pin)).toMatch(message);
    }
    const missing = await app.inject({ method: 'PUT', url: '/api/agents/me/pin', headers: a.headers, payload: {} });
    expect(missing.statusCode).toBe(400);
    const extra = await app.inject({
      method: 'PUT',
      url: '/api/agents/me/pin',
      headers: a.headers,
      payload: { pin: '4821', hint: 'x' },
    });
    expect(extra.statusCode).toBe(400);
    const me = await app.inject({ url: '/api/agents/me', headers: a.headers });
    expect(me.json().voice_pin_set).toBe(false);

    expect(() => validatePin('1357')).not.toThrow();
    expect(() => validatePin('00000000')).toThrow(ValidationError);
    expect(() => validatePin('1212')).not.toThrow();
  });

  it('can be set when the agent is created (agent:create --pin), a bad one creating nothing', async () => {
    const email = `pin-${uniquePhone().slice(2)}@test.example`;
    await expect(ctx.services.agents.create(em(), { name: 'P', email, pin: '1111' })).rejects.toThrow(/repeated/);
    expect(await em().count(Agent, { email })).toBe(0);
    const mobile = uniquePhone();
    const { agent } = await ctx.services.agents.create(em(), { name: 'P', email, mobilePhone: mobile, pin: '4821' });
    expect(agent.voice_pin_set).toBe(true);
    expect((await verifyPin(em(), agent.id, '4821', mobile)).ok).toBe(true);
  });

  it('verifies right and wrong PINs, counting down the tries left', async () => {
    const a = await agentWithPin('4821');
    const now = new Date('2026-12-07T10:00:00Z');
    expect(await verifyPin(em(), a.agentId, '4821', a.mobile, now)).toEqual({ ok: true });
    expect(await verifyPin(em(), a.agentId, '4822', a.mobile, now)).toEqual({
      ok: false,
      reason: 'wrong',
      attemptsLeft: 4,
    });
    expect(await verifyPin(em(), a.agentId, '', a.mobile, now)).toMatchObject({ reason: 'wrong', attemptsLeft: 3 });
    expect(await verifyPin(em(), a.agentId, '48210', a.mobile, now)).toMatchObject({ attemptsLeft: 2 });
    // A right PIN resets the count.
    expect(await verifyPin(em(), a.agentId, '4821', a.mobile, now)).toEqual({ ok: true });
    expect(await verifyPin(em(), a.agentId, '0000', a.mobile, now)).toMatchObject({ attemptsLeft: 4 });
    expect((await em().findOneOrFail(Agent, a.agentId)).pinFailures).toBe(1);
  });

  it('locks voice commands for 15 minutes after 5 wrong PINs in a row, even for the right PIN', async () => {
    const a = await agentWithPin('4821');
    const t0 = new Date('2026-12-07T10:00:00Z');
    const left: (number | undefined)[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await verifyPin(em(), a.agentId, '9999', a.mobile, minutes(t0, i));
      if (!last.ok) left.push(last.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const lockedAt = minutes(t0, 4);
    const until = new Date(lockedAt.getTime() + PIN_LOCK_MS);
    expect(last).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 0, lockedUntil: until });
    expect(PIN_LOCK_MS).toBe(15 * 60_000);

    // Locked: the right PIN is refused unchecked, and the caller may not try.
    const during = minutes(lockedAt, 14);
    expect(await verifyPin(em(), a.agentId, '4821', a.mobile, during)).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil: until,
    });
    expect(await voiceCommandsAllowed(em(), a.agentId, a.mobile, during)).toBe(false);
    const justBefore = new Date(until.getTime() - 1);
    expect(await verifyPin(em(), a.agentId, '4821', a.mobile, justBefore)).toMatchObject({ reason: 'locked' });

    // 15 minutes on: unlocked, with a fresh count.
    expect(await voiceCommandsAllowed(em(), a.agentId, a.mobile, until)).toBe(true);
    expect(await verifyPin(em(), a.agentId, '1357', a.mobile, until)).toMatchObject({
      reason: 'wrong',
      attemptsLeft: 4,
    });
    expect(await verifyPin(em(), a.agentId, '4821', a.mobile, minutes(until, 1))).toEqual({ ok: true });
    const row = await em().findOneOrFail(Agent, a.agentId);
    expect(row.pinFailures).toBe(0);
    expect(row.pinLockedUntil).toBeNull();
  });

  it('logs every attempt with the caller, the outcome and whether it was locked', async () => {
    const a = await agentWithPin('4821');
    const t0 = new Date('2026-12-07T12:00:00Z');
    const other = uniquePhone();
    await verifyPin(em(), a.agentId, '4821', a.mobile, t0);
    for (let i = 1; i <= 5; i++) await verifyPin(em(), a.agentId, '1357', other, minutes(t0, i));
    await verifyPin(em(), a.agentId, '4821', a.mobile, minutes(t0, 6));
    const rows = await attempts(a.agentId);
    expect(rows.map((r) => [r.callerPhone, r.ok, r.locked, r.at.toISOString()])).toEqual([
      [a.mobile, true, false, t0.toISOString()],
      [other, false, false, minutes(t0, 1).toISOString()],
      [other, false, false, minutes(t0, 2).toISOString()],
      [other, false, false, minutes(t0, 3).toISOString()],
      [other, false, false, minutes(t0, 4).toISOString()],
      [other, false, true, minutes(t0, 5).toISOString()],
      [a.mobile, false, true, minutes(t0, 6).toISOString()],
    ]);

    // No PIN: refused as no_pin, and logged too.
    const b = await newAgent(ctx);
    expect(await verifyPin(em(), b.agentId, '4821', a.mobile, t0)).toEqual({ ok: false, reason: 'no_pin' });
    expect((await attempts(b.agentId)).map((r) => [r.ok, r.locked])).toEqual([[false, false]]);
  });

  it("keeps each agent's PIN, count and lock to itself", async () => {
    const a = await agentWithPin('4821');
    const b = await agentWithPin('2580');
    const now = new Date('2026-12-07T14:00:00Z');
    expect(await verifyPin(em(), a.agentId, '2580', a.mobile, now)).toMatchObject({ reason: 'wrong' });
    expect(await verifyPin(em(), b.agentId, '4821', b.mobile, now)).toMatchObject({ reason: 'wrong' });
    expect(await verifyPin(em(), b.agentId, '2580', b.mobile, now)).toEqual({ ok: true });
    for (let i = 0; i < 4; i++) await verifyPin(em(), a.agentId, '0001', a.mobile, now);
    expect(await verifyPin(em(), a.agentId, '4821', a.mobile, now)).toMatchObject({ reason: 'locked' });
    expect(await voiceCommandsAllowed(em(), b.agentId, b.mobile, now)).toBe(true);
    expect(await verifyPin(em(), b.agentId, '2580', b.mobile, now)).toEqual({ ok: true });
    expect((await attempts(b.agentId)).length).toBe(3);

    // A new PIN set through the API clears the lock.
    const put = await app.inject({
      method: 'PUT',
      url: '/api/agents/me/pin',
      headers: a.headers,
      payload: { pin: '97531' },
    });
    expect(put.statusCode).toBe(204);
    expect(await verifyPin(em(), a.agentId, '4821', a.mobile, now)).toMatchObject({ reason: 'wrong' });
    expect(await verifyPin(em(), a.agentId, '97531', a.mobile, now)).toEqual({ ok: true });
  });

  it('lets only the registered mobile try, and only once a PIN is set', async () => {
    const a = await agentWithPin('4821');
    const now = new Date();
    expect(await voiceCommandsAllowed(em(), a.agentId, a.mobile, now)).toBe(true);
    const national = `(${a.mobile.slice(2, 5)}) ${a.mobile.slice(5, 8)}-${a.mobile.slice(8)}`;
    expect(await voiceCommandsAllowed(em(), a.agentId, national, now)).toBe(true);
    expect(await voiceCommandsAllowed(em(), a.agentId, uniquePhone(), now)).toBe(false);
    expect(await voiceCommandsAllowed(em(), a.agentId, 'anonymous', now)).toBe(false);
    expect(await voiceCommandsAllowed(em(), a.agentId, '', now)).toBe(false);

    // A mobile but no PIN.
    const b = await newAgent(ctx);
    const mobile = uniquePhone();
    await ctx.services.agents.update(em(), b.agentId, { mobilePhone: mobile });
    expect(await voiceCommandsAllowed(em(), b.agentId, mobile, now)).toBe(false);
    // A PIN but no mobile.
    const c = await newAgent(ctx);
    await setPin(c.scope(), '4821');
    expect(await voiceCommandsAllowed(em(), c.agentId, mobile, now)).toBe(false);
    // Another agent's mobile does not open this agent's line.
    expect(await voiceCommandsAllowed(em(), a.agentId, mobile, now)).toBe(false);
  });

  it('counts simultaneous wrong PINs exactly (the agent row is locked for each check)', async () => {
    const a = await agentWithPin('4821');
    const now = new Date('2026-12-07T16:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 7 }, () => verifyPin(em(), a.agentId, '1357', a.mobile, now)),
    );
    const reasons = results.map((r) => (r.ok ? 'ok' : r.reason)).sort();
    expect(reasons).toEqual(['locked', 'locked', 'wrong', 'wrong', 'wrong', 'wrong', 'wrong']);
    expect((await attempts(a.agentId)).length).toBe(7);
  });
});
