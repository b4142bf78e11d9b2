import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignTarget } from '../../src/domain/campaigns/campaign.entity.ts';
import type { AppContext } from '../../src/services.ts';
import { FakeTwilioApi } from '../fakes/twilio/fake-twilio-api.ts';
import { startedCampaign } from '../helpers/campaigns.ts';
import { newAgent, testContext, uniquePhone } from '../helpers/context.ts';
import { ROOT, waitForOutput } from '../helpers/process.ts';
import { until } from '../helpers/wait.ts';

const onPostgres = !!process.env.DATABASE_URL;
let fake: FakeTwilioApi;
let ctx: AppContext;
const children: ChildProcess[] = [];

function instance(name: string, campaignId: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'helpers', 'dialer-instance.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DIALER_INSTANCE: name,
      DIALER_CAMPAIGN: String(campaignId),
      DIALER_TWILIO_SID: fake.accountSid,
      DIALER_TWILIO_TOKEN: fake.authToken,
      DIALER_TWILIO_URL: fake.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  if (!onPostgres) return;
  fake = await FakeTwilioApi.start();
  ctx = await testContext();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await fake?.close();
});

describe.skipIf(!onPostgres)('campaign durability on PostgreSQL (separate processes)', () => {
  it(
    'kill -9 mid-campaign, then two instances finish it: no target lost, no number dialled twice',
    { timeout: 120_000 },
    async () => {
      const a = await newAgent(ctx);
      // No more numbers than calls allowed at once: nobody answers, so every dial stays in call.
      const phones = Array.from({ length: 45 }, () => uniquePhone());
      const c = await startedCampaign(ctx, a.scope, phones, {
        name: 'Durability',
        purpose: 'past_client_check_in',
        callsPerMinute: 120,
        maxConcurrent: 50,
      });
      const dialled = () =>
        fake.requestsTo('POST', /\/Calls\.json$/).filter((r) => phones.includes(String(r.fields.To)));

      const first = instance('first', c.id);
      await waitForOutput(first, /ready/);
      await until(() => dialled().length >= 5, 'five dials', 60_000, 50);
      first.kill('SIGKILL'); // mid-campaign, possibly between counting a dial and hearing back from Twilio
      await new Promise((r) => first.once('exit', r));
      const afterKill = dialled().length;

      // The dead instance's claims lapse after a minute of its clock; ours is fixed, so lapse them by hand
      // as time would.
      await ctx.orm.em
        .fork()
        .nativeUpdate(
          CampaignTarget,
          { campaign: c.id, claimedBy: 'first' },
          { claimedUntil: new Date('2026-12-08T20:00:00Z') },
        );
      const [second, third] = [instance('second', c.id), instance('third', c.id)];
      await Promise.all([waitForOutput(second, /ready/), waitForOutput(third, /ready/)]);
      const settled = async () =>
        (await ctx.orm.em
          .fork()
          .count(CampaignTarget, { campaign: c.id, status: { $in: ['queued', 'checking', 'dialing'] } })) === 0;
      await until(settled, 'every target settled', 60_000, 50);
      second.kill('SIGKILL');
      third.kill('SIGKILL');

      const numbers = dialled().map((r) => String(r.fields.To));
      expect(new Set(numbers).size).toBe(numbers.length); // nobody dialled twice
      expect(numbers.length).toBeGreaterThanOrEqual(afterKill);
      const targets = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id });
      expect(targets).toHaveLength(45);
      for (const t of targets) {
        // Dialled once (ringing), or its dial was in flight when the first instance died: counted, waiting for
        // the retry delay — never redialled at once.
        expect(['ringing', 'retryScheduled']).toContain(t.status);
        expect(t.attempts).toBe(1);
        if (t.status === 'ringing') expect(numbers).toContain(t.phone);
      }
      // Every dial Twilio received is a ringing target, except at most the one the kill cut off between
      // Twilio's answer and our write: that target waits for its retry, and was still dialled only once.
      const ringing = targets.filter((t) => t.status === 'ringing').length;
      expect(numbers.length - ringing).toBeGreaterThanOrEqual(0);
      expect(numbers.length - ringing).toBeLessThanOrEqual(1);
    },
  );

  it('two instances together keep to the campaign’s concurrency', { timeout: 120_000 }, async () => {
    const a = await newAgent(ctx);
    const phones = Array.from({ length: 24 }, () => uniquePhone());
    const c = await startedCampaign(ctx, a.scope, phones, {
      name: 'Concurrency',
      purpose: 'past_client_check_in',
      callsPerMinute: 120,
      maxConcurrent: 8,
    });
    const dialled = () => fake.requestsTo('POST', /\/Calls\.json$/).filter((r) => phones.includes(String(r.fields.To)));
    const [one, two] = [instance('one', c.id), instance('two', c.id)];
    await Promise.all([waitForOutput(one, /ready/), waitForOutput(two, /ready/)]);
    await until(() => dialled().length >= 8, 'eight dials', 60_000, 50);
    // Both keep ticking every 50 ms: with nobody hanging up, no ninth call may start.
    await new Promise((r) => setTimeout(r, 1_500));
    one.kill('SIGKILL');
    two.kill('SIGKILL');
    expect(dialled()).toHaveLength(8);
    const byStatus = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id }, { fields: ['status'] });
    expect(byStatus.filter((t) => t.status === 'ringing')).toHaveLength(8);
    expect(byStatus.filter((t) => t.status === 'queued')).toHaveLength(16);
  });
});
