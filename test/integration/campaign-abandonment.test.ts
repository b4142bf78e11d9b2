import { beforeAll, describe, expect, it } from 'vitest';
import { abandonmentOf, paceFor } from '../../src/domain/campaigns/abandonment.ts';
import { CallAttempt, CampaignTarget } from '../../src/domain/campaigns/campaign.entity.ts';
import type { DialRequest, DialResult, OutboundDialer } from '../../src/domain/campaigns/dialer.port.ts';
import type { AppContext } from '../../src/services.ts';
import { campaignDialer, startedCampaign } from '../helpers/campaigns.ts';
import { newAgent, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';

/** Records the numbers dialled. */
class CountingDialer implements OutboundDialer {
  readonly provider = 'twilio' as const;
  readonly dialled: string[] = [];
  async dial(r: DialRequest): Promise<DialResult> {
    this.dialled.push(r.to);
    return { provider: 'twilio', providerCallId: `CA${this.dialled.length}x${Date.now()}` };
  }
  async hangUp(): Promise<void> {}
  async dropVoicemail(): Promise<void> {}
}

let ctx: AppContext;
let a: TestAgent;
/** Tuesday 2026-12-08 15:00 in Austin. */
const now = new Date('2026-12-08T21:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
/** The meter's dialer through `carrier`, its clock at `at`. */
const meterDialer = (carrier: OutboundDialer, at: Date) =>
  campaignDialer(
    ctx,
    carrier,
    { callback: 'https://x.test/cb', answer: 'https://x.test/answer' },
    {
      instanceId: 'meter',
      now: at,
    },
  );

beforeAll(async () => {
  ctx = await testContext();
  a = await newAgent(ctx);
});

/** Past answered calls of the campaign: `greetAfterMs` null = the opening never played. */
async function answeredCalls(
  campaignId: number,
  calls: { greetAfterMs: number | null; answeredBy?: string; connectedAgoMs?: number }[],
) {
  const em = ctx.orm.em.fork();
  // The history is on the campaign's last target, taken out of the queue.
  const target = await em.findOneOrFail(CampaignTarget, { campaign: campaignId }, { orderBy: { id: 'desc' } });
  const base = (await em.count(CallAttempt, { target: target.id })) + 1;
  await em.nativeUpdate(CampaignTarget, { id: target.id }, { status: 'done', attempts: base - 1 + calls.length });
  await em.insertMany(
    CallAttempt,
    calls.map((c, i) => {
      const connectedAt = ago(c.connectedAgoMs ?? 3_600_000);
      return {
        target: target.id,
        campaign: campaignId,
        agent: a.agentId,
        attemptNo: base + i,
        status: 'completed',
        answeredBy: c.answeredBy ?? 'human',
        startedAt: ago(7_200_000), // outside the pacing minute
        connectedAt,
        greetedAt: c.greetAfterMs === null ? null : new Date(connectedAt.getTime() + c.greetAfterMs),
      };
    }),
  );
}

describe('the abandonment meter', () => {
  it('paces: full below 2 %, half from 2 %, none from 3 %', () => {
    const pace = { callsPerMinute: 9, maxConcurrent: 4 };
    expect(paceFor({ throttle: 'none' }, pace)).toEqual(pace);
    expect(paceFor({ throttle: 'slowed' }, pace)).toEqual({ callsPerMinute: 4, maxConcurrent: 2 });
    expect(paceFor({ throttle: 'slowed' }, { callsPerMinute: 1, maxConcurrent: 1 })).toEqual({
      callsPerMinute: 1,
      maxConcurrent: 1,
    });
    expect(paceFor({ throttle: 'stopped' }, pace)).toEqual({ callsPerMinute: 0, maxConcurrent: 0 });
  });

  it('counts live answers not greeted within 2 s over 30 days, and the dialer slows, then stops', async () => {
    const phones = Array.from({ length: 12 }, () => uniquePhone());
    const c = await startedCampaign(ctx, a.scope, phones, { callsPerMinute: 4, maxConcurrent: 4 });
    const meter = () => abandonmentOf(ctx.orm.em.fork(), c.id, now);

    await answeredCalls(c.id, [
      ...Array.from({ length: 98 }, () => ({ greetAfterMs: 300 })),
      { greetAfterMs: 2_000 }, // exactly 2 s: in time
      { greetAfterMs: 2_001 }, // late: abandoned
      // Not counted: machines, a fax, a call older than 30 days, one answered a second ago (its greeting may come).
      { greetAfterMs: null, answeredBy: 'machine_end_beep' },
      { greetAfterMs: null, answeredBy: 'fax' },
      { greetAfterMs: null, connectedAgoMs: 31 * 86_400_000 },
      { greetAfterMs: null, connectedAgoMs: 1_000 },
    ]);
    expect(await meter()).toEqual({ live_answered: 101, abandoned: 1, rate: 1 / 101, throttle: 'none' });
    // The call answered a second ago hears its opening half a second after answering.
    await ctx.orm.em
      .fork()
      .nativeUpdate(CallAttempt, { campaign: c.id, connectedAt: ago(1_000) }, { greetedAt: ago(500) });

    const carrier = new CountingDialer();
    const dialer = meterDialer(carrier, now);
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ dialed: 4 });

    // Two more calls whose opening never played: 3 of 103 ≥ 2 % → half pace.
    await answeredCalls(c.id, [{ greetAfterMs: null }, { greetAfterMs: 5_000 }]);
    expect(await meter()).toMatchObject({ abandoned: 3, throttle: 'slowed' });
    await ctx.orm.em.fork().nativeUpdate(CampaignTarget, { campaign: c.id, status: 'ringing' }, { status: 'done' });
    const later = meterDialer(carrier, new Date(now.getTime() + 61_000));
    expect(await later.tick({ campaignId: c.id })).toMatchObject({ dialed: 2 });

    // One more: 4 of 104 ≥ 3 % → no new dials.
    await answeredCalls(c.id, [{ greetAfterMs: null }]);
    expect(await meter()).toMatchObject({ abandoned: 4, throttle: 'stopped' });
    await ctx.orm.em.fork().nativeUpdate(CampaignTarget, { campaign: c.id, status: 'ringing' }, { status: 'done' });
    const laterStill = meterDialer(carrier, new Date(now.getTime() + 122_000));
    expect(await laterStill.tick({ campaignId: c.id })).toMatchObject({ dialed: 0 });
    expect(carrier.dialled).toHaveLength(6);

    // The campaign's statistics carry the meter.
    const stats = await ctx.services.campaigns.stats(a.scope(), c.id);
    expect(stats.abandonment.throttle).toBe('stopped');
  });
});
