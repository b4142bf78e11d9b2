import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignsService } from '../../src/domain/campaigns/campaigns.service.ts';
import { CampaignTarget, DialDecision, DncList, DncListNumber } from '../../src/domain/campaigns/campaign.entity.ts';
import { DialGate } from '../../src/domain/campaigns/dial-gate.ts';
import { DoNotCallService } from '../../src/domain/campaigns/do-not-call.ts';
import { Contact } from '../../src/domain/contacts/contact.entity.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';

let ctx: AppContext;
let a: TestAgent;
const campaigns = new CampaignsService();
const gate = new DialGate();
const dnc = new DoNotCallService();
const scope = () => ({ em: ctx.orm.em.fork(), agentId: a.agentId });
/** Tuesday 2026-12-08 15:00 in Austin (CST): inside every window. */
const AFTERNOON = new Date('2026-12-08T21:00:00Z');

beforeAll(async () => {
  ctx = await testContext();
  a = await newAgent(ctx);
});

async function targetOf(campaignId: number, phone: string) {
  return ctx.orm.em.fork().findOneOrFail(CampaignTarget, { campaign: campaignId, phone });
}

describe('campaign enrolment', () => {
  it('normalises numbers to E.164, skips duplicates and numbers already enrolled, reports invalid ones', async () => {
    const c = await campaigns.create(scope(), {
      name: 'Elm neighbours',
      purpose: 'just_listed',
      callerId: '(512) 555-0147',
    });
    expect(c).toMatchObject({ callerId: '+15125550147', playbook: 'just-listed', status: 'draft', maxAttempts: 3 });
    const first = await campaigns.enrol(scope(), c.id, {
      numbers: [
        { phone: '512-555-0101', name: 'Ann' },
        { phone: '+1 (512) 555 0101' },
        { phone: '5125550102', zip: '78701' },
        { phone: '12345' },
        { phone: '+44 20 7946 0958' },
      ],
    });
    expect(first).toEqual({
      requested: 5,
      added: 2,
      skippedExisting: 0,
      skippedDuplicate: 1,
      invalid: ['12345', '+44 20 7946 0958'],
    });
    const again = await campaigns.enrol(scope(), c.id, { numbers: [{ phone: '(512) 555-0102' }] });
    expect(again).toMatchObject({ requested: 1, added: 0, skippedExisting: 1 });
    expect(await campaigns.stats(scope(), c.id)).toEqual({
      targets: 2,
      byStatus: { queued: 2 },
      byOutcome: {},
      attempts: 0,
      abandonment: { live_answered: 0, abandoned: 0, rate: 0, throttle: 'none' },
    });
  });

  it('enrols a property’s contacts by role', async () => {
    const property = await ctx.services.properties.create(scope(), {
      address: '141 Elm St',
      city: 'Austin',
      state: 'TX',
    });
    const em = ctx.orm.em.fork();
    for (const [name, role, phone] of [
      ['Sam Seller', 'seller', '512-555-0111'],
      ['Nia Neighbour', 'other', '512-555-0112'],
      ['No Phone', 'seller', null],
    ] as const) {
      em.create(Contact, { agent: a.agentId, property: property.id, name, role, phone });
    }
    await em.flush();
    const c = await campaigns.create(scope(), {
      name: 'Update the seller',
      purpose: 'property_update',
      callerId: '+15125550147',
      propertyId: property.id,
      contactRoles: ['Seller'],
      telemarketing: false,
    });
    const report = await campaigns.enrol(scope(), c.id, { fromProperty: true });
    expect(report).toMatchObject({ requested: 2, added: 1, invalid: [expect.stringMatching(/has no phone/)] });
    expect((await targetOf(c.id, '+15125550111')).name).toBe('Sam Seller');
  });

  it('refuses bad settings with the field named', async () => {
    await expect(campaigns.create(scope(), { name: 'x', purpose: 'just_sold', callerId: 'nope' })).rejects.toThrow(
      /caller_id/,
    );
    await expect(
      campaigns.create(scope(), { name: 'x', purpose: 'just_sold', callerId: '+15125550147', maxAttempts: 11 }),
    ).rejects.toThrow(/max_attempts must be a whole number from 1 to 10/);
    await expect(
      campaigns.create(scope(), {
        name: 'x',
        purpose: 'just_sold',
        callerId: '+15125550147',
        windowStart: '20:00',
        windowEnd: '09:00',
      }),
    ).rejects.toThrow(/window_start/);
  });
});

describe('the dial gate (immediately before every dial)', () => {
  it('allows a consented informational call in hours and stores the decision with its rules', async () => {
    const phone = uniquePhone();
    const c = await campaigns.create(scope(), {
      name: 'Info',
      purpose: 'property_update',
      callerId: '+15125550147',
      telemarketing: false,
    });
    await campaigns.enrol(scope(), c.id, { numbers: [{ phone }] });
    await dnc.recordConsent(scope(), {
      phone,
      type: 'pec',
      source: 'listing agreement',
      evidence: 'signed 2026-11-02',
      givenAt: new Date('2026-11-02T00:00:00Z'),
    });
    const v = await gate.decide(scope(), c, await targetOf(c.id, phone), AFTERNOON);
    expect(v).toMatchObject({ allowed: true, blockedBy: [], zones: ['America/Chicago'] });
    const row = await ctx.orm.em.fork().findOneOrFail(DialDecision, { campaign: c.id });
    expect(row).toMatchObject({ allowed: true, phone });
    expect(row.rules.map((r) => r.rule)).toEqual(
      expect.arrayContaining(['federal.window', 'campaign.window', 'dnc.internal', 'consent']),
    );
  });

  it('outside hours is retried later; do-not-call and missing consent block for good', async () => {
    const phone = uniquePhone();
    const c = await campaigns.create(scope(), {
      name: 'Info 2',
      purpose: 'property_update',
      callerId: '+15125550147',
      telemarketing: false,
    });
    await campaigns.enrol(scope(), c.id, { numbers: [{ phone }] });
    const target = await targetOf(c.id, phone);
    // No consent on record.
    expect(await gate.decide(scope(), c, target, AFTERNOON)).toMatchObject({
      allowed: false,
      retryable: false,
      blockedBy: ['consent'],
    });
    await dnc.recordConsent(scope(), {
      phone,
      type: 'pewc',
      source: 'web form',
      evidence: 'checkbox text …, IP 203.0.113.9',
      givenAt: new Date('2026-11-01T00:00:00Z'),
    });
    // 21:30 in Austin: the federal window, the Texas window and the campaign's own hours.
    const late = await gate.decide(scope(), c, target, new Date('2026-12-09T03:30:00Z'));
    expect(late.allowed).toBe(false);
    expect(late.retryable).toBe(true);
    expect(late.blockedBy).toEqual(expect.arrayContaining(['federal.window', 'campaign.window']));
    // A spoken opt-out: listed at once, consent withdrawn, blocked for good in every campaign.
    expect(await dnc.add(ctx.orm.em.fork(), phone, 'opt_out_spoken', { agentId: a.agentId, campaignId: c.id })).toEqual(
      { phone, added: true },
    );
    expect(await dnc.add(ctx.orm.em.fork(), phone, 'opt_out_keyed')).toEqual({ phone, added: false });
    const after = await gate.decide(scope(), c, target, AFTERNOON);
    expect(after).toMatchObject({ allowed: false, retryable: false });
    expect(after.blockedBy).toEqual(expect.arrayContaining(['dnc.internal', 'consent']));
  });

  it('telemarketing needs written consent and a national list scrubbed within 31 days', async () => {
    const phone = uniquePhone();
    const c = await campaigns.create(scope(), {
      name: 'Just listed',
      purpose: 'just_listed',
      callerId: '+15125550147',
    });
    await campaigns.enrol(scope(), c.id, { numbers: [{ phone }] });
    const target = await targetOf(c.id, phone);
    await dnc.recordConsent(scope(), {
      phone,
      type: 'pec',
      source: 'open house sign-in',
      evidence: 'verbal',
      givenAt: new Date('2026-11-01T00:00:00Z'),
    });
    const em = ctx.orm.em.fork();
    const blocked = await gate.decide(scope(), c, target, AFTERNOON);
    expect(blocked.blockedBy).toEqual(expect.arrayContaining(['consent']));
    expect(blocked.rules.find((r) => r.rule === 'dnc.national_list_age')?.ok).toBe(false);

    await dnc.recordConsent(scope(), {
      phone,
      type: 'pewc',
      source: 'web form',
      evidence: 'I agree to be called by …',
      givenAt: new Date('2026-11-01T00:00:00Z'),
    });
    const list = em.create(DncList, { kind: 'national', scrubbedAt: new Date('2026-11-01T00:00:00Z') });
    await em.flush();
    // 37 days after the scrub: too old.
    expect((await gate.decide(scope(), c, target, AFTERNOON)).blockedBy).toEqual(['dnc.national_list_age']);
    list.scrubbedAt = new Date('2026-11-20T00:00:00Z');
    em.create(DncListNumber, { list, phone });
    await em.flush();
    expect((await gate.decide(scope(), c, target, AFTERNOON)).blockedBy).toEqual(['dnc.registry']);
    await em.nativeDelete(DncListNumber, { phone });
    expect(await gate.decide(scope(), c, target, AFTERNOON)).toMatchObject({ allowed: true });
    await em.nativeDelete(DncList, { id: list.id });
  });
});
