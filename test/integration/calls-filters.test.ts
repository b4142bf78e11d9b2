import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/domain/agents/agent.entity.ts';
import { Call, type ICall } from '../../src/domain/calls/call.entity.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testApp, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';

let ctx: AppContext;
let app: FastifyInstance;
let me: TestAgent;
/** The agent's two brokerage lines. */
const lineA = uniquePhone();
const lineB = uniquePhone();
const person = uniquePhone();
let n = 0;

/** A call on the agent: inbound calls ring a line (`to`), outbound ones call out from it (`from`). */
async function call(
  direction: 'inbound' | 'outbound',
  line: string,
  outcome: ICall['outcome'] = null,
): Promise<string> {
  const em = ctx.orm.em.fork();
  const agent = await em.findOneOrFail(Agent, me.agentId);
  const callSid = `CAfilter${Date.now()}${n++}`;
  const c = { callSid, transport: 'media-stream' as const, propertyId: null };
  const created =
    direction === 'inbound'
      ? (await ctx.services.calls.startInbound(em, { ...c, from: person, to: line }))!.call
      : await ctx.services.calls.startOutbound(em, agent, { ...c, from: line, to: person });
  if (outcome) await em.nativeUpdate(Call, { id: created.id }, { outcome });
  return callSid;
}

const list = (query: string) => app.inject({ method: 'GET', url: `/api/calls?${query}`, headers: me.headers });
const sids = (res: { json(): unknown }) =>
  (res.json() as { items: { call_sid: string }[] }).items.map((c) => c.call_sid);

const calls: Record<string, string> = {};

beforeAll(async () => {
  ctx = await testContext();
  app = await testApp();
  me = await newAgent(ctx);
  await ctx.services.agents.update(ctx.orm.em.fork(), me.agentId, { lineNumbers: [lineA, lineB] });
  calls.inA = await call('inbound', lineA, 'message_taken');
  calls.inA2 = await call('inbound', lineA);
  calls.outA = await call('outbound', lineA, 'message_taken');
  calls.inB = await call('inbound', lineB, 'message_taken');
  calls.outB = await call('outbound', lineB);
});

describe('GET /api/calls?line=', () => {
  it('returns the calls of that line: the number called (inbound) or calling (outbound)', async () => {
    const a = await list(`line=${encodeURIComponent(lineA)}`);
    expect(a.statusCode).toBe(200);
    expect(new Set(sids(a))).toEqual(new Set([calls.inA, calls.inA2, calls.outA]));
    expect(a.json()).toMatchObject({ total: 3 });
    const b = await list(`line=${encodeURIComponent(lineB)}`);
    expect(new Set(sids(b))).toEqual(new Set([calls.inB, calls.outB]));
    // The person's number is not a line: an inbound call's `from`, an outbound call's `to`.
    expect(sids(await list(`line=${encodeURIComponent(person)}`))).toEqual([]);
    expect(sids(await list(''))).toHaveLength(5);
  });

  it('combines with outcome', async () => {
    const res = await list(`line=${encodeURIComponent(lineA)}&outcome=message_taken`);
    expect(new Set(sids(res))).toEqual(new Set([calls.inA, calls.outA]));
  });

  it('reads an unencoded + (a space once decoded) as the +', async () => {
    expect(new Set(sids(await list(`line=${lineB}`)))).toEqual(new Set([calls.inB, calls.outB]));
  });

  it('refuses a line that is not E.164 with a 400 naming the parameter', async () => {
    for (const bad of ['15125550100', '+1512', '+1512555010012345', '+1 512 555 0100', 'abc', '']) {
      const res = await list(`line=${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json()).toMatchObject({
        error: 'validation_error',
        message: expect.stringMatching(/querystring\.line: must be an E\.164 phone number/),
      });
    }
  });

  it('is documented in the OpenAPI spec', async () => {
    const spec = (await app.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, { get: { parameters: { name: string; in: string }[] } }>;
    };
    expect(spec.paths['/api/calls']!.get.parameters).toContainEqual(
      expect.objectContaining({ name: 'line', in: 'query' }),
    );
  });
});
