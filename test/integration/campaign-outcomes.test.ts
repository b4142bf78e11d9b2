import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignTarget, type ICampaign, type ICampaignTarget } from '../../src/domain/campaigns/campaign.entity.ts';
import { CampaignOutcomes, nextBusinessMorning, type OutcomeCode } from '../../src/domain/campaigns/outcomes.ts';
import { Contact } from '../../src/domain/contacts/contact.entity.ts';
import { Note } from '../../src/domain/notes/note.entity.ts';
import { Notification } from '../../src/domain/notifications/notification.entity.ts';
import { ScheduledTask } from '../../src/domain/tasks/task.entity.ts';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';

const TZ = 'America/Chicago';
/** Tuesday 2026-12-08 15:00 in Chicago (CST, UTC-6). */
const NOW = new Date('2026-12-08T21:00:00Z');
/** Wednesday 2026-12-09 09:00 in Chicago. */
const NEXT_MORNING = new Date('2026-12-09T15:00:00Z');

let ctx: AppContext;
let a: TestAgent;
let b: TestAgent;
let outcomes: CampaignOutcomes;
let propertyId: number;
let campaignId: number;

beforeAll(async () => {
  ctx = await testContext();
  a = await newAgent(ctx);
  b = await newAgent(ctx);
  const s = ctx.services;
  outcomes = new CampaignOutcomes(s.notes, s.tasks, s.notifications, s.contacts);
  propertyId = (await s.properties.create(a.scope(), { address: '77 Outcome Ln', city: 'Austin', state: 'TX' })).id;
  campaignId = (
    await s.campaigns.create(a.scope(), {
      name: 'Just listed',
      purpose: 'property_update',
      callerId: '+15125550147',
      propertyId,
      telemarketing: false,
    })
  ).id;
});

/** A fresh contact of the property, enrolled in the campaign; the campaign and target loaded in `scope`. */
async function enrolled(scope = a.scope(), name = 'Sam Seller') {
  const phone = uniquePhone();
  const contact = await ctx.services.contacts.create(scope, {
    property_id: propertyId,
    name,
    role: 'seller',
    phone,
    notes: 'Met at open house.',
  });
  await ctx.services.campaigns.enrol(scope, campaignId, { contactIds: [contact.id] });
  const campaign: ICampaign = await ctx.services.campaigns.get(scope, campaignId);
  const target: ICampaignTarget = await scope.em.findOneOrFail(CampaignTarget, { campaign: campaignId, phone });
  return { scope, phone, contactId: contact.id, campaign, target };
}

async function record(outcome: OutcomeCode, extra: { note?: string; callBackAt?: Date; interestedTask?: string } = {}) {
  const e = await enrolled();
  const writes = await outcomes.record(e.scope, {
    campaign: e.campaign,
    target: e.target,
    outcome,
    timeZone: TZ,
    now: NOW,
    callSid: 'CA123',
    ...extra,
  });
  const em = ctx.orm.em.fork();
  return {
    ...e,
    writes,
    note: writes.noteId ? await em.findOneOrFail(Note, writes.noteId) : null,
    task: writes.taskId ? await em.findOneOrFail(ScheduledTask, writes.taskId) : null,
    notification: writes.notificationId ? await em.findOneOrFail(Notification, writes.notificationId) : null,
    contact: await em.findOneOrFail(Contact, e.contactId),
  };
}

describe('campaign outcomes written back to the CRM', () => {
  it('interested: a note, a follow-up next business morning, a high-priority notification', async () => {
    const r = await record('interested', { note: 'Wants a showing Saturday.' });
    expect(r.note!.content).toBe(
      `Campaign «Just listed»: Sam Seller (${r.phone}) is interested. Wants a showing Saturday.`,
    );
    expect(r.note!.property.id).toBe(propertyId);
    expect(r.note!.source).toBe('phone_call');
    expect(r.task).toMatchObject({
      taskType: 'follow_up',
      title: 'Follow up with Sam Seller about 77 Outcome Ln',
      propertyId,
      contactId: r.contactId,
      createdBy: 'campaign',
    });
    expect(r.task!.scheduledAt.toISOString()).toBe(NEXT_MORNING.toISOString());
    expect(r.task!.description).toContain('(call CA123)');
    expect(r.notification).toMatchObject({
      type: 'new_lead',
      priority: 'high',
      title: 'Sam Seller is interested — Just listed',
      propertyId,
      contactId: r.contactId,
    });
    expect(r.notification!.data).toMatchObject({ task_id: r.writes.taskId, call_sid: 'CA123' });
    expect(r.writes.contactUpdated).toBeUndefined();
    expect(r.contact.phone).toBe(r.phone);
  });

  it('interested: uses the given task template', async () => {
    const r = await record('interested', { interestedTask: 'Send {property} brochure to {name}' });
    expect(r.task!.title).toBe('Send 77 Outcome Ln brochure to Sam Seller');
  });

  it('call_back: a task at the asked time, and a note', async () => {
    const at = new Date('2026-12-10T20:30:00Z');
    const r = await record('call_back', { callBackAt: at });
    expect(r.task).toMatchObject({ taskType: 'follow_up', title: 'Call back Sam Seller (Just listed)' });
    expect(r.task!.scheduledAt.toISOString()).toBe(at.toISOString());
    expect(r.note!.content).toBe(
      `Campaign «Just listed»: Sam Seller (${r.phone}) asked to be called back Thu, Dec 10 at 2:30 PM CST.`,
    );
    expect(r.writes.notificationId).toBeUndefined();
  });

  it('call_back without a time (or with a past one): next business morning', async () => {
    expect((await record('call_back')).task!.scheduledAt.toISOString()).toBe(NEXT_MORNING.toISOString());
    const past = await record('call_back', { callBackAt: new Date('2026-12-01T15:00:00Z') });
    expect(past.task!.scheduledAt.toISOString()).toBe(NEXT_MORNING.toISOString());
  });

  it('not_interested: a note only', async () => {
    const r = await record('not_interested', { note: 'Already sold.' });
    expect(Object.keys(r.writes)).toEqual(['noteId']);
    expect(r.note!.content).toBe(`Campaign «Just listed»: Sam Seller (${r.phone}) is not interested. Already sold.`);
  });

  it('wrong_number: the contact loses the number, its notes say why, and a note', async () => {
    const r = await record('wrong_number');
    expect(r.writes).toMatchObject({ contactUpdated: true });
    expect(r.writes.taskId).toBeUndefined();
    expect(r.contact.phone).toBeNull();
    expect(r.contact.notes).toBe(`Met at open house.\nWrong number ${r.phone} (campaign «Just listed», 2026-12-08)`);
    expect(r.note!.content).toBe(`Campaign «Just listed»: ${r.phone} is a wrong number (not Sam Seller).`);
  });

  it('do_not_call: the contact notes record the request, and a note', async () => {
    const r = await record('do_not_call');
    expect(r.writes).toMatchObject({ contactUpdated: true });
    expect(r.contact.phone).toBe(r.phone);
    expect(r.contact.notes).toBe('Met at open house.\nAsked not to be called (2026-12-08)');
    expect(r.note!.content).toBe(`Campaign «Just listed»: Sam Seller (${r.phone}) asked not to be called again.`);
  });

  it('voicemail_left: a note', async () => {
    const r = await record('voicemail_left');
    expect(Object.keys(r.writes)).toEqual(['noteId']);
    expect(r.note!.content).toBe(`Campaign «Just listed»: Voicemail left for Sam Seller (${r.phone}).`);
  });

  it.each(['no_answer', 'busy', 'failed', 'blocked_by_rule', 'no_outcome'] as const)(
    '%s: writes nothing',
    async (o) => {
      const r = await record(o);
      expect(r.writes).toEqual({});
      expect(await ctx.orm.em.fork().count(Note, { agent: a.agentId, content: { $like: `%${r.phone}%` } })).toBe(0);
    },
  );

  it('another agent sees none of it, and cannot record on this campaign', async () => {
    const r = await record('interested');
    await record('wrong_number');
    await expect(ctx.services.notes.list(b.scope(), propertyId)).rejects.toThrow(/not found/i);
    expect(await ctx.services.tasks.list(b.scope(), { limit: 200 })).toEqual([]);
    expect(
      await ctx.services.notifications.list(b.scope(), { unread_only: false, include_dismissed: true, limit: 200 }),
    ).toEqual([]);
    await expect(ctx.services.contacts.get(b.scope(), r.contactId)).rejects.toThrow(/not found/i);
    await expect(
      outcomes.record(b.scope(), { campaign: r.campaign, target: r.target, outcome: 'interested', timeZone: TZ }),
    ).rejects.toThrow(/not found/i);
    // The owner sees them.
    const notes = await ctx.services.notes.list(a.scope(), propertyId, 200);
    expect(notes.map((n) => n.id)).toContain(r.writes.noteId);
  });
});

describe('nextBusinessMorning', () => {
  it('is today 09:00 before nine on a weekday, else the next weekday', () => {
    expect(nextBusinessMorning(new Date('2026-12-08T13:00:00Z'), TZ).toISOString()).toBe('2026-12-08T15:00:00.000Z');
    expect(nextBusinessMorning(NOW, TZ).toISOString()).toBe(NEXT_MORNING.toISOString());
    // Friday afternoon → Monday; Saturday → Monday.
    expect(nextBusinessMorning(new Date('2026-12-11T22:00:00Z'), TZ).toISOString()).toBe('2026-12-14T15:00:00.000Z');
    expect(nextBusinessMorning(new Date('2026-12-12T12:00:00Z'), TZ).toISOString()).toBe('2026-12-14T15:00:00.000Z');
    // Across the DST change: Monday 2026-03-09 09:00 CDT is 14:00Z.
    expect(nextBusinessMorning(new Date('2026-03-06T22:00:00Z'), TZ).toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });
});
