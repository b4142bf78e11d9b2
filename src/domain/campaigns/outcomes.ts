import { DateTime } from 'luxon';
import type { ContactsService } from '../contacts/contacts.service.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { NotesService } from '../notes/notes.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import { Property } from '../properties/property.entity.ts';
import { isValidTimeZone, type AgentScope } from '../shared/scope.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import type { ICampaign, ICampaignTarget, OUTCOME_CODES } from './campaign.entity.ts';

export type OutcomeCode = (typeof OUTCOME_CODES)[number];

/** What one outcome wrote to the CRM (ids of the rows created). */
export interface OutcomeWrites {
  noteId?: number;
  taskId?: number;
  notificationId?: number;
  contactUpdated?: boolean;
}

export interface OutcomeInput {
  campaign: ICampaign;
  target: ICampaignTarget;
  outcome: OutcomeCode;
  /** What the person said, from the call (appended to the note). */
  note?: string | null;
  /** When the person asked to be called back (call_back); missing or past means the next business morning. */
  callBackAt?: Date | null;
  callSid?: string | null;
  /** The agent's IANA time zone: business mornings and dates in the texts are the agent's. */
  timeZone: string;
  now?: Date;
  /** The interested follow-up task's title; {name} and {property} are filled in. */
  interestedTask?: string;
}

export const DEFAULT_INTERESTED_TASK = 'Follow up with {name} about {property}';
const CONTACT_NOTES_MAX = 10_000;

/** 09:00 local on the next weekday still ahead of `now` (today when it is a weekday before 09:00). */
export function nextBusinessMorning(now: Date, timeZone: string, hour = 9): Date {
  let at = DateTime.fromJSDate(now, { zone: timeZone }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  if (at.toMillis() <= now.getTime()) at = at.plus({ days: 1 });
  while (at.weekday > 5) at = at.plus({ days: 1 });
  return at.toJSDate();
}

/** Appends a line to free text, dropping the oldest text when it would outgrow the contact's notes. */
function appendLine(text: string | null | undefined, line: string): string {
  const all = text?.trim() ? `${text.trimEnd()}\n${line}` : line;
  return all.length <= CONTACT_NOTES_MAX ? all : all.slice(all.length - CONTACT_NOTES_MAX);
}

/**
 * Writes a campaign call's outcome back to the CRM, agent-scoped and in the scope's EntityManager: a note on
 * the campaign's property, a follow-up or call-back task, a notification for a lead who is interested, and
 * the contact's own record (a wrong number is cleared; a do-not-call request is noted). Outcomes where nobody
 * was reached (no_answer, busy, failed, blocked_by_rule, no_outcome) write nothing. The do-not-call entry
 * itself is DoNotCallService's. Not idempotent: record each call's outcome once.
 */
export class CampaignOutcomes {
  constructor(
    private readonly notes: NotesService,
    private readonly tasks: TasksService,
    private readonly notifications: NotificationsService,
    private readonly contacts: ContactsService,
  ) {}

  async record(scope: AgentScope, input: OutcomeInput): Promise<OutcomeWrites> {
    const { campaign, target, outcome, timeZone } = input;
    const reached = ['interested', 'call_back', 'not_interested', 'wrong_number', 'do_not_call', 'voicemail_left'];
    if (!reached.includes(outcome)) return {};
    if (
      campaign.agent.id !== scope.agentId ||
      target.agent.id !== scope.agentId ||
      target.campaign.id !== campaign.id
    ) {
      throw new NotFoundError('CampaignTarget', target.id);
    }
    if (!isValidTimeZone(timeZone)) {
      throw new ValidationError(`"${timeZone}" is not an IANA time zone`, { field: 'timeZone' });
    }
    const now = input.now ?? new Date();
    const local = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).setLocale('en-US');
    const contact = target.contact ? await this.contacts.get(scope, target.contact.id) : null;
    const property = campaign.property
      ? await scope.em.findOne(Property, { id: campaign.property.id, agent: scope.agentId })
      : null;
    const name = target.name ?? contact?.name ?? null;
    const who = name ? `${name} (${target.phone})` : target.phone;
    const said = input.note?.trim() ? ` ${input.note.trim()}` : '';
    const head = `Campaign «${campaign.name}»: `;
    const today = local(now).toISODate();

    let note: string;
    let task: { title: string; at: Date } | null = null;
    let contactLine: string | null = null;
    switch (outcome) {
      case 'interested': {
        const template = input.interestedTask ?? DEFAULT_INTERESTED_TASK;
        const title = template
          .replaceAll('{name}', name ?? target.phone)
          .replaceAll('{property}', property?.address ?? campaign.name);
        note = `${head}${who} is interested.${said}`;
        task = { title, at: nextBusinessMorning(now, timeZone) };
        break;
      }
      case 'call_back': {
        const at = input.callBackAt && input.callBackAt > now ? input.callBackAt : nextBusinessMorning(now, timeZone);
        note = `${head}${who} asked to be called back ${local(at).toFormat("ccc, LLL d 'at' h:mm a ZZZZ")}.${said}`;
        task = { title: `Call back ${name ?? target.phone} (${campaign.name})`, at };
        break;
      }
      case 'not_interested':
        note = `${head}${who} is not interested.${said}`;
        break;
      case 'wrong_number':
        note = `${head}${target.phone} is a wrong number${name ? ` (not ${name})` : ''}.${said}`;
        contactLine = `Wrong number ${target.phone} (campaign «${campaign.name}», ${today})`;
        break;
      case 'do_not_call':
        note = `${head}${who} asked not to be called again.${said}`;
        contactLine = `Asked not to be called (${today})`;
        break;
      default: // voicemail_left
        note = `${head}Voicemail left for ${who}.${said}`;
    }

    const writes: OutcomeWrites = {};
    if (property) {
      const written = await this.notes.add(scope, property.id, {
        content: note.slice(0, 20_000),
        source: 'phone_call',
        created_by: 'campaign',
      });
      writes.noteId = written.id;
    }
    if (task) {
      const created = await this.tasks.create(
        scope,
        {
          task_type: 'follow_up',
          title: task.title.slice(0, 200),
          description: `${note}${input.callSid ? ` (call ${input.callSid})` : ''}`.slice(0, 5_000),
          scheduled_at: task.at.toISOString(),
          property_id: property?.id ?? null,
          contact_id: contact?.id ?? null,
        },
        { createdBy: 'campaign' },
      );
      writes.taskId = created.id;
    }
    if (outcome === 'interested') {
      const made = await this.notifications.create(
        scope,
        {
          type: 'new_lead',
          priority: 'high',
          title: `${name ?? target.phone} is interested — ${campaign.name}`,
          message: note,
          propertyId: property?.id ?? null,
          contactId: contact?.id ?? null,
          data: {
            campaign_id: campaign.id,
            target_id: target.id,
            phone: target.phone,
            task_id: writes.taskId ?? null,
            call_sid: input.callSid ?? null,
          },
          icon: 'phone',
        },
        now,
      );
      if (made) writes.notificationId = made.id;
    }
    if (contact && contactLine) {
      await this.contacts.update(scope, contact.id, {
        ...(outcome === 'wrong_number' && contact.phone === target.phone ? { phone: null } : {}),
        notes: appendLine(contact.notes, contactLine),
      });
      writes.contactUpdated = true;
    }
    return writes;
  }
}
