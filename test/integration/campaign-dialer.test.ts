import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignDialer } from '../../src/campaigns/campaign-dialer.ts';
import { CampaignControl } from '../../src/campaigns/campaign-control.ts';
import { CallAttempt, CampaignTarget, DialDecision } from '../../src/domain/campaigns/campaign.entity.ts';
import {
  DialError,
  type DialRequest,
  type DialResult,
  type OutboundDialer,
} from '../../src/domain/campaigns/dialer.port.ts';
import { createLogger } from '../../src/log.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';

/** A carrier double: records dials, refuses the numbers it is told to. */
class ScriptedDialer implements OutboundDialer {
  readonly provider = 'twilio' as const;
  readonly dials: DialRequest[] = [];
  readonly hangUps: string[] = [];
  voicemailAtDial = false;
  refuse = new Map<string, DialError>();
  private n = 0;
  async dial(request: DialRequest): Promise<DialResult> {
    const refusal = this.refuse.get(request.to);
    if (refusal) throw refusal;
    this.dials.push(request);
    return { provider: 'twilio', providerCallId: `CA${++this.n}${Date.now()}` };
  }
  async hangUp(id: string): Promise<void> {
    this.hangUps.push(id);
  }
  readonly voicemails: { id: string; message: string }[] = [];
  /** Makes the next drops fail the way Twilio's 21220 does; `meanwhile` runs first (a callback in flight). */
  voicemailFails: { meanwhile?: () => Promise<void> } | null = null;
  async dropVoicemail(id: string, message: string): Promise<void> {
    if (this.voicemailFails) {
      await this.voicemailFails.meanwhile?.();
      throw new DialError('Twilio: could not leave the voicemail (21220: call is not in-progress)', false);
    }
    this.voicemails.push({ id, message });
  }
}

let ctx: AppContext;
let a: TestAgent;
const log = createLogger({ level: 'silent' });
/** Tuesday 2026-12-08 15:00 in Austin. */
let clock = new Date('2026-12-08T21:00:00Z');
const urls = {
  callback: 'https://voice.example.test/twilio/dial-events',
  answer: 'https://voice.example.test/twilio/outbound',
};

beforeAll(async () => {
  ctx = await testContext();
  a = await newAgent(ctx);
});

function dialerOn(carrier: OutboundDialer, instanceId: string) {
  return new CampaignDialer({
    orm: ctx.orm,
    services: ctx.services,
    dialer: carrier,
    log,
    instanceId,
    urls,
    now: () => clock,
  });
}

async function activeCampaign(
  phones: string[],
  opts: { maxAttempts?: number; callsPerMinute?: number; maxConcurrent?: number; propertyId?: number } = {},
) {
  const scope = { em: ctx.orm.em.fork(), agentId: a.agentId };
  const c = await ctx.services.campaigns.create(scope, {
    name: `Update ${Date.now()}`,
    purpose: 'property_update',
    callerId: '+15125550147',
    telemarketing: false,
    maxAttempts: opts.maxAttempts ?? 2,
    retryDelayMinutes: 30,
    callsPerMinute: opts.callsPerMinute ?? 10,
    maxConcurrent: opts.maxConcurrent ?? 10,
    ...(opts.propertyId ? { propertyId: opts.propertyId } : {}),
  });
  await ctx.services.campaigns.enrol(scope, c.id, { numbers: phones.map((phone) => ({ phone })) });
  for (const phone of phones) {
    await ctx.services.doNotCall.recordConsent(scope, {
      phone,
      type: 'pec',
      source: 'listing agreement',
      evidence: 'signed',
      givenAt: new Date('2026-11-01T00:00:00Z'),
    });
  }
  await new CampaignControl(ctx.services.campaigns).command(
    { em: ctx.orm.em.fork(), agentId: a.agentId },
    c.id,
    'START',
  );
  return c;
}

const targets = (campaignId: number) =>
  ctx.orm.em.fork().find(CampaignTarget, { campaign: campaignId }, { orderBy: { id: 'asc' } });

describe('the campaign dialer', () => {
  it('dials within pacing, moves targets by carrier events, retries a no-answer, and completes the campaign', async () => {
    clock = new Date('2026-12-08T21:00:00Z');
    const [p1, p2, p3] = [uniquePhone(), uniquePhone(), uniquePhone()];
    const c = await activeCampaign([p1!, p2!, p3!], { callsPerMinute: 2 });
    const carrier = new ScriptedDialer();
    const dialer = dialerOn(carrier, 'test-1');
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ claimed: 2, dialed: 2 });
    expect(carrier.dials.map((d) => d.to)).toEqual([p1, p2]);
    expect(carrier.dials[0]).toMatchObject({
      from: '+15125550147',
      machineDetection: true,
      callbackUrl: urls.callback,
    });
    expect(carrier.dials[0]).not.toHaveProperty('voicemailMessage'); // Twilio drops it later, on AMD
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ claimed: 0 }); // 2 per minute
    const ids = await ctx.orm.em.fork().find(CallAttempt, { campaign: c.id }, { orderBy: { id: 'asc' } });
    const callId = (i: number) => ids[i]!.providerCallId!;

    await dialer.onEvent({ provider: 'twilio', providerCallId: callId(0), kind: 'answered' });
    await dialer.onEvent({ provider: 'twilio', providerCallId: callId(0), kind: 'human', answeredBy: 'human' });
    await dialer.onEvent({ provider: 'twilio', providerCallId: callId(0), kind: 'completed', durationSec: 95 });
    await dialer.onEvent({ provider: 'twilio', providerCallId: callId(1), kind: 'no-answer' });
    let t = await targets(c.id);
    expect(t.map((x) => [x.status, x.outcome, x.attempts])).toEqual([
      ['done', 'no_outcome', 1],
      ['retryScheduled', 'no_answer', 1],
      ['queued', null, 0],
    ]);

    clock = new Date(clock.getTime() + 61_000);
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ dialed: 1 }); // p3; p2 waits for its retry delay
    clock = new Date(clock.getTime() + 30 * 60_000);
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ dialed: 1 }); // p2, second and last attempt
    const all = await ctx.orm.em.fork().find(CallAttempt, { campaign: c.id }, { orderBy: { id: 'asc' } });
    expect(all.map((x) => x.attemptNo)).toEqual([1, 1, 1, 2]);
    await dialer.onEvent({ provider: 'twilio', providerCallId: all[2]!.providerCallId!, kind: 'answered' });
    await dialer.onEvent({
      provider: 'twilio',
      providerCallId: all[2]!.providerCallId!,
      kind: 'machine',
      answeredBy: 'machine_end_beep',
    });
    // The machine's greeting ended: the playbook's voicemail is left on the call.
    expect(carrier.voicemails).toEqual([{ id: all[2]!.providerCallId!, message: expect.stringMatching(/I'm an AI/) }]);
    expect(carrier.voicemails[0]!.message).toMatch(/call us back at five one two, five five five, zero one four seven/);
    await dialer.onEvent({ provider: 'twilio', providerCallId: all[2]!.providerCallId!, kind: 'completed' });
    await dialer.onEvent({ provider: 'twilio', providerCallId: all[3]!.providerCallId!, kind: 'busy' });
    // A late repeat of an event changes nothing.
    await dialer.onEvent({ provider: 'twilio', providerCallId: all[3]!.providerCallId!, kind: 'busy' });
    t = await targets(c.id);
    expect(t.map((x) => [x.status, x.outcome, x.attempts])).toEqual([
      ['done', 'no_outcome', 1],
      ['exhausted', 'busy', 2],
      ['done', 'voicemail_left', 1],
    ]);
    await dialer.tick({ campaignId: c.id });
    expect((await ctx.services.campaigns.get({ em: ctx.orm.em.fork(), agentId: a.agentId }, c.id)).status).toBe(
      'completed',
    );
  });

  it('a voicemail the carrier could not leave is no answer (a retry), never voicemail_left', async () => {
    clock = new Date('2026-12-08T21:00:00Z');
    const [early, late] = [uniquePhone(), uniquePhone()];
    const scope = { em: ctx.orm.em.fork(), agentId: a.agentId };
    const property = await ctx.services.properties.create(scope, {
      address: '9 Voicemail Way',
      city: 'Austin',
      state: 'TX',
    });
    const c = await activeCampaign([early!, late!], { propertyId: property.id });
    const carrier = new ScriptedDialer();
    const dialer = dialerOn(carrier, 'test-vm-fail');
    await dialer.tick({ campaignId: c.id });
    const [one, two] = await ctx.orm.em.fork().find(CallAttempt, { campaign: c.id }, { orderBy: { id: 'asc' } });
    const machine = async (id: string) => {
      await dialer.onEvent({ provider: 'twilio', providerCallId: id, kind: 'answered' });
      await dialer.onEvent({ provider: 'twilio', providerCallId: id, kind: 'machine', answeredBy: 'machine_end_beep' });
    };
    // The machine hung up before the message: the drop fails, then the call's end arrives.
    carrier.voicemailFails = {};
    await machine(one!.providerCallId!);
    await dialer.onEvent({ provider: 'twilio', providerCallId: one!.providerCallId!, kind: 'completed' });
    // The call's end is stored while the drop is still out (its callback won the race).
    carrier.voicemailFails = {
      meanwhile: () => dialer.onEvent({ provider: 'twilio', providerCallId: two!.providerCallId!, kind: 'completed' }),
    };
    await machine(two!.providerCallId!);
    expect(carrier.voicemails).toEqual([]);
    expect((await targets(c.id)).map((t) => [t.phone, t.status, t.outcome])).toEqual([
      [early, 'retryScheduled', 'no_answer'],
      [late, 'done', 'no_answer'],
    ]);
    // The call's end had noted a voicemail on the property; a correction follows it. Nothing for the other one.
    const notes = (await ctx.services.notes.list(scope, property.id)).map((n) => n.content).reverse();
    expect(notes.filter((n) => n.includes(early!))).toEqual([]);
    expect(notes.filter((n) => n.includes(late!))).toEqual([
      expect.stringMatching(/Voicemail left for/),
      expect.stringMatching(
        new RegExp(`^Correction, campaign «${c.name}»: no voicemail was left for \\${late}; the call ended`),
      ),
    ]);
  });

  it("a carrier that leaves the voicemail itself gets the playbook's message with the dial", async () => {
    clock = new Date('2026-12-08T21:00:00Z');
    const c = await activeCampaign([uniquePhone()]);
    const carrier = new ScriptedDialer();
    carrier.voicemailAtDial = true;
    expect(await dialerOn(carrier, 'test-vm').tick({ campaignId: c.id })).toMatchObject({ dialed: 1 });
    expect(carrier.dials[0]!.voicemailMessage).toMatch(/I'm an AI.*call us back at five one two/);
  });

  it('the gate runs before every dial: outside hours waits, no consent blocks; each decision is audited', async () => {
    clock = new Date('2026-12-09T03:30:00Z'); // 21:30 in Austin
    const phone = uniquePhone();
    const c = await activeCampaign([phone]);
    const carrier = new ScriptedDialer();
    const dialer = dialerOn(carrier, 'test-2');
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ claimed: 1, deferred: 1, dialed: 0 });
    let [t] = await targets(c.id);
    expect(t).toMatchObject({ status: 'retryScheduled', attempts: 0 });
    expect(t!.nextAttemptAt.getTime()).toBe(clock.getTime() + 15 * 60_000);
    // The next morning, consent revoked meanwhile by an opt-out elsewhere: blocked for good.
    await ctx.services.doNotCall.add(ctx.orm.em.fork(), phone, 'manual');
    clock = new Date('2026-12-09T16:00:00Z');
    expect(await dialer.tick({ campaignId: c.id })).toMatchObject({ claimed: 1, blocked: 1 });
    [t] = await targets(c.id);
    expect(t).toMatchObject({ status: 'blocked', outcome: 'blocked_by_rule' });
    expect(carrier.dials).toEqual([]);
    const decisions = await ctx.orm.em.fork().find(DialDecision, { campaign: c.id }, { orderBy: { id: 'asc' } });
    expect(decisions.map((d) => [d.allowed, d.blockedBy.includes('dnc.internal')])).toEqual([
      [false, false],
      [false, true],
    ]);
  });

  it('a refused dial: not retryable ends the target; retryable waits for the retry delay', async () => {
    clock = new Date('2026-12-08T21:00:00Z');
    const [bad, flaky] = [uniquePhone(), uniquePhone()];
    const c = await activeCampaign([bad!, flaky!]);
    const carrier = new ScriptedDialer();
    carrier.refuse.set(bad!, new DialError('21211 invalid To number', false, 400));
    carrier.refuse.set(flaky!, new DialError('503 from carrier', true, 503));
    expect(await dialerOn(carrier, 'test-3').tick({ campaignId: c.id })).toMatchObject({ failed: 2 });
    const t = await targets(c.id);
    expect(t.map((x) => [x.status, x.outcome, x.attempts])).toEqual([
      ['exhausted', 'failed', 1],
      ['retryScheduled', 'failed', 1],
    ]);
  });

  it('two instances on one database never dial a number twice; a crashed instance’s claims are taken over safely', async () => {
    clock = new Date('2026-12-08T21:00:00Z');
    const phones = Array.from({ length: 12 }, () => uniquePhone());
    const c = await activeCampaign(phones, { callsPerMinute: 120, maxConcurrent: 50 });
    const carrier = new ScriptedDialer();
    const [one, two] = [dialerOn(carrier, 'one'), dialerOn(carrier, 'two')];
    const only = { campaignId: c.id };
    await Promise.all([one.tick(only), two.tick(only), one.tick(only), two.tick(only)]);
    expect(carrier.dials.map((d) => d.to).sort()).toEqual([...phones].sort());

    // An instance died after counting a dial but before the carrier answered: its claim lapses, and the
    // attempt counts as failed (retried after the delay), never redialled at once.
    const em = ctx.orm.em.fork();
    const victim = (await targets(c.id))[0]!;
    await em.nativeUpdate(
      CampaignTarget,
      { id: victim.id },
      { status: 'dialing', lastProviderCallId: null, claimedBy: 'dead', claimedUntil: new Date(clock.getTime() - 1) },
    );
    const before = carrier.dials.length;
    await one.tick({ campaignId: c.id });
    expect(carrier.dials.length).toBe(before);
    expect(await em.fork().findOneOrFail(CampaignTarget, victim.id)).toMatchObject({ status: 'retryScheduled' });
  });
});
