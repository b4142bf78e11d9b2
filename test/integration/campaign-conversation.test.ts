import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Call, CallTurn } from '../../src/domain/calls/call.entity.ts';
import { CallAttempt, CampaignTarget } from '../../src/domain/campaigns/campaign.entity.ts';
import { Contact } from '../../src/domain/contacts/contact.entity.ts';
import { Note } from '../../src/domain/notes/note.entity.ts';
import { Notification } from '../../src/domain/notifications/notification.entity.ts';
import { Showing } from '../../src/domain/showings/showing.entity.ts';
import { ScheduledTask } from '../../src/domain/tasks/task.entity.ts';
import { TwilioOutboundDialer } from '../../src/integrations/twilio/outbound-dialer.ts';
import type { AppContext } from '../../src/services.ts';
import { placeCall } from '../../src/softphone/index.ts';
import { FakeTwilioApi } from '../fakes/twilio/fake-twilio-api.ts';
import {
  agentWithListing,
  campaignServer,
  dialledJustListed,
  type CampaignServer,
  type Enrolee,
} from '../helpers/campaigns.ts';
import { uniquePhone, type TestAgent } from '../helpers/context.ts';
import { WAIT } from '../helpers/wait.ts';

/**
 * Whole campaign calls: the dialer dials through the fake Twilio, the person answers (the softphone plays
 * Twilio: the answer URL, then ConversationRelay), the just-listed playbook talks with the local brain, and the
 * outcome lands on the target and in the CRM (note, follow-up task, notification, contact).
 */

let fake: FakeTwilioApi;
let server: CampaignServer;
let ctx: AppContext;
let agent: TestAgent;
let propertyId: number;

beforeAll(async () => {
  fake = await FakeTwilioApi.start();
  server = await campaignServer({
    VOICE_TRANSPORT: 'conversation-relay',
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_API_BASE_URL: fake.url,
  });
  ctx = server.ctx;
  ({ agent, propertyId } = await agentWithListing(ctx));
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

/** A started just-listed campaign on the property calling these people; returns its targets by phone. */
async function justListed(people: Enrolee[]) {
  const { c, current, settled } = await dialledJustListed(ctx, agent.scope, {
    name: `Just listed: 141 Elm (${Date.now()})`,
    propertyId,
    people,
    dialer: new TwilioOutboundDialer({ accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url }),
    urls: { callback: `${ctx.config.publicUrl}/twilio/dial-events`, answer: `${ctx.config.publicUrl}/twilio/outbound` },
  });
  const targets = await ctx.orm.em.fork().find(CampaignTarget, { campaign: c.id });
  const byPhone = new Map(targets.map((t) => [t.phone, t]));
  const answer = (phone: string) =>
    placeCall({
      authToken: fake.authToken,
      server: ctx.config.publicUrl,
      from: c.callerId,
      to: phone,
      answer: { callSid: byPhone.get(phone)!.lastProviderCallId!, path: '/twilio/outbound' },
    });
  return { c, answer, target: settled, current };
}

describe('a campaign call with the just-listed playbook (local brain)', () => {
  it('an interested neighbour books a viewing: outcome, showing, follow-up task, notification and note', async () => {
    const phone = uniquePhone();
    const { c, answer, target } = await justListed([{ phone, name: 'Sam Ortiz' }]);
    const call = await answer(phone);
    expect(call.greeting).toMatch(
      /^Hi Sam, this is Dana Reyes's virtual assistant at .+\. I'm an AI, calling because a home just came on the market near you, at one forty-one Elm Street, Austin\./,
    );
    expect(call.greeting).toMatch(/press 9 or say stop\. Would you like to hear about it, or see it\?$/);

    expect(await call.say('How many bedrooms does it have?')).toMatch(/3 bed|three bed/i);
    expect(await call.say("Yes, I'd love to see it.")).toMatch(/What day and time/);
    const booked = await call.say('Tomorrow at 10 am works.');
    expect(booked).toMatch(/Dana Reyes will meet you there/);
    await call.ended;

    const t = await target(phone);
    expect([t.status, t.outcome]).toEqual(['done', 'interested']);
    const em = ctx.orm.em.fork();
    const showing = await em.findOneOrFail(Showing, { property: propertyId, visitorPhone: phone });
    expect(showing.visitorName).toBe('Sam Ortiz');
    // The CRM write-back follows the target's move.
    const task = await vi.waitFor(
      () => em.fork().findOneOrFail(ScheduledTask, { agent: agent.agentId, title: { $like: 'Call Sam%' } }),
      WAIT,
    );
    expect(task.title).toBe('Call Sam Ortiz back: interested in the new listing at 141 Elm St, Austin');
    const notification = await vi.waitFor(
      () => em.fork().findOneOrFail(Notification, { agent: agent.agentId, title: { $like: 'Sam Ortiz%' } }),
      WAIT,
    );
    expect(notification.priority).toBe('high');
    const note = await vi.waitFor(
      () => em.fork().findOneOrFail(Note, { property: propertyId, content: { $like: `%${phone}%` } }),
      WAIT,
    );
    expect(note.content).toMatch(/is interested/);

    // The call record: outbound, from the caller ID to the person, with its turns and the attempt linked.
    const record = await em.findOneOrFail(Call, { callSid: t.lastProviderCallId! });
    expect([record.direction, record.fromNumber, record.toNumber]).toEqual(['outbound', c.callerId, phone]);
    const attempt = await em.findOneOrFail(CallAttempt, { providerCallId: t.lastProviderCallId! });
    expect(attempt.callId).toBe(record.id);
    expect(attempt.greetedAt!.getTime() - attempt.connectedAt!.getTime()).toBeLessThan(2_000);
    const tools = (await em.find(CallTurn, { call: record.id, role: 'tool' }, { orderBy: { seq: 'asc' } })).map(
      (turn) => turn.toolName,
    );
    expect(tools).toEqual(['listing_info', 'schedule_viewing', 'set_call_outcome', 'end_call']);
  });

  it('"call me back tomorrow at 5" becomes a call-back task at that time; the carrier\'s end does not pre-empt it', async () => {
    const phone = uniquePhone();
    const { answer, target, current } = await justListed([{ phone, name: 'Lee Park' }]);
    const call = await answer(phone);
    // Twilio's "completed" callback for the call may come before the conversation's report.
    const t0 = await current(phone);
    await fake.play(t0.lastProviderCallId!, 'human');
    expect((await current(phone)).status).toBe('conversation');
    expect(await call.say("I'm driving right now, call me back tomorrow at 5 pm.")).toMatch(/call you back tomorrow/i);
    await call.ended;
    const t = await target(phone);
    expect([t.status, t.outcome]).toEqual(['done', 'call_back']);
    const task = await vi.waitFor(
      () => ctx.orm.em.fork().findOneOrFail(ScheduledTask, { agent: agent.agentId, title: { $like: '%Lee Park%' } }),
      WAIT,
    );
    const due = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Chicago',
      hour: 'numeric',
      hour12: false,
    }).format(task.scheduledAt);
    expect(due).toBe('17');
  });

  it('a wrong number clears the contact\'s phone; "not interested" is noted; both end politely', async () => {
    const wrong = uniquePhone();
    const declining = uniquePhone();
    const contact = await ctx.services.contacts.create(agent.scope(), {
      name: 'Pat Quinn',
      phone: wrong,
      role: 'other',
      property_id: propertyId,
    });
    const { answer, target } = await justListed([{ phone: wrong, contactId: contact.id }, { phone: declining }]);

    const w = await answer(wrong);
    expect(await w.say('You have the wrong number, nobody by that name lives here.')).toMatch(/Sorry about that/);
    const d = await answer(declining);
    expect(await d.say('No thanks, not interested.')).toMatch(/No problem/);
    await Promise.all([w.ended, d.ended]);

    expect((await target(wrong)).outcome).toBe('wrong_number');
    expect((await target(declining)).outcome).toBe('not_interested');
    const updated = await vi.waitFor(async () => {
      const row = await ctx.orm.em.fork().findOneOrFail(Contact, contact.id);
      expect(row.phone).toBeNull();
      return row;
    }, WAIT);
    expect(updated.notes).toMatch(new RegExp(`Wrong number \\${wrong}`));
  });

  it('the opt-out is the machine\'s: "stop calling me" mid-conversation lists the number before the goodbye', async () => {
    const phone = uniquePhone();
    const { answer, target } = await justListed([{ phone, name: 'Ana Silva' }]);
    const call = await answer(phone);
    expect(await call.say('Tell me about it.')).toMatch(/Elm/);
    expect(await call.say('Actually, stop calling me.')).toMatch(/off our list/);
    await call.ended;
    const t = await target(phone);
    expect([t.status, t.outcome]).toEqual(['optedOut', 'do_not_call']);
    expect(await ctx.services.doNotCall.isListed(ctx.orm.em.fork(), phone)).toBe(true);
  });
});
