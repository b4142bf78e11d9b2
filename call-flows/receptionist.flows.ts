/**
 * The receptionist's executable call flows: each `call-flows/receptionist/*.call` script is played by the
 * softphone (Twilio ConversationRelay protocol, signed webhooks) against a real server, then checked on what
 * happened: the ordered tool calls and machine states from the call's event stream, and the rows written.
 * Run all: npm run call-flows.
 */
import { readFileSync } from 'node:fs';
import { Call, CallTurn } from '../src/domain/calls/call.entity.ts';
import { Contact } from '../src/domain/contacts/contact.entity.ts';
import { Notification } from '../src/domain/notifications/notification.entity.ts';
import { ScheduledTask } from '../src/domain/tasks/task.entity.ts';
import { runScript, type ScriptResult } from '../src/softphone/index.ts';
import type { CallServer, FlowLine } from './harness.ts';

export interface FlowCheck {
  server: CallServer;
  line: FlowLine;
  result: ScriptResult;
  callSid: string;
}

export interface Flow {
  name: string;
  script: string;
  /** The tool calls of the call, in order (name and ok/failed). */
  tools: string[];
  /** States that must appear in this order (others may come between). */
  states: string[];
  /** Rows the call must have written. Throws with a message when something is missing. */
  check(c: FlowCheck): Promise<void>;
}

const CALLER = '+13125550188'; // Illinois: an all-party-consent state, so the greeting has the recording notice

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function callRow(c: FlowCheck) {
  const em = c.server.ctx.orm.em.fork();
  const call = await em.findOneOrFail(Call, { callSid: c.callSid });
  const turns = await em.find(CallTurn, { call: call.id }, { orderBy: { seq: 'asc' } });
  return { call, turns, em };
}

async function api(c: FlowCheck, path: string): Promise<unknown> {
  const res = await c.server.app.inject({ url: path, headers: { authorization: `Bearer ${c.line.apiKey}` } });
  assert(res.statusCode === 200, `GET ${path} → ${res.statusCode} ${res.body}`);
  return res.json();
}

export const FLOWS: Flow[] = [
  {
    name: 'property inquiry → viewing booked',
    script: 'property-inquiry-viewing.call',
    tools: [
      'listing_info ok',
      'listing_info ok',
      'schedule_viewing ok',
      'create_lead ok',
      'create_lead ok',
      'create_lead ok',
      'end_call ok',
    ],
    states: ['triage.listening', 'triage.responding', 'property.responding', 'property.listening', 'closing', 'ended'],
    async check(c) {
      const showings = (await api(c, '/api/showings')) as {
        property_id: number;
        visitor_name: string;
        visitor_phone: string;
      }[];
      assert(showings.length === 1, `one showing booked, got ${showings.length}`);
      assert(showings[0]!.visitor_name === 'John Carter', `visitor name: ${showings[0]!.visitor_name}`);
      assert(showings[0]!.visitor_phone === CALLER, `visitor phone from caller ID: ${showings[0]!.visitor_phone}`);
      const { call, turns, em } = await callRow(c);
      assert(call.outcome === 'viewing_scheduled', `outcome ${call.outcome}`);
      assert(call.endedReason === 'goodbye', `ended reason ${call.endedReason}`);
      assert(call.propertyId === showings[0]!.property_id, 'the call is filed under the property');
      assert(turns[0]!.role === 'agent' && /recorded/.test(turns[0]!.text), 'greeting with the recording notice');
      assert(turns.filter((t) => t.role === 'caller').length === 7, 'seven caller turns');
      const lead = await em.findOne(Contact, { agent: c.line.agentId, phone: CALLER });
      assert(lead, 'the caller is a lead');
      assert(lead.name === 'John Carter' && lead.role === 'buyer', `lead ${lead.name} (${lead.role})`);
      assert(lead.property?.id === call.propertyId, 'the lead is on the listing');
      assert(/pre-approved/.test(lead.notes ?? '') && /lender: Chase/.test(lead.notes ?? ''), `notes: ${lead.notes}`);
      assert(/no agent yet/.test(lead.notes ?? ''), `notes: ${lead.notes}`);
    },
  },
  {
    name: 'take a message',
    script: 'take-message.call',
    tools: ['take_message ok', 'end_call ok'],
    states: ['triage.listening', 'triage.responding', 'closing', 'ended'],
    async check(c) {
      const { call, em } = await callRow(c);
      assert(call.outcome === 'message_taken', `outcome ${call.outcome}`);
      const task = await em.findOne(ScheduledTask, { agent: c.line.agentId, title: 'Call back Sarah Lee' });
      assert(task, 'a call-back task');
      assert(/Maple Drive/.test(task.description ?? ''), 'the task carries the message');
      const note = await em.findOne(Notification, { agent: c.line.agentId, type: 'new_lead', priority: 'high' });
      assert(note && /Sarah Lee/.test(note.title), 'a high-priority notification');
    },
  },
  {
    name: 'transfer with no answer',
    script: 'transfer-no-answer.call',
    tools: ['transfer_call ok'],
    states: ['triage.responding', 'transferring', 'ended'],
    async check(c) {
      const { call, em } = await callRow(c);
      assert(call.endedReason === 'transferred', `ended reason ${call.endedReason}`);
      assert(call.outcome === 'message_taken', `outcome after the missed transfer: ${call.outcome}`);
      const task = await em.findOne(ScheduledTask, { agent: c.line.agentId, taskType: 'follow_up' });
      assert(task && /Transfer not answered/.test(task.description ?? ''), 'a call-back task for the missed transfer');
    },
  },
  {
    name: 'unknown address → candidate',
    script: 'unknown-address.call',
    tools: ['listing_info failed', 'listing_info ok'],
    states: ['triage.responding', 'triage.listening', 'property.listening'],
    async check(c) {
      const { call, turns } = await callRow(c);
      assert(call.propertyId !== null, 'the call found the property');
      const failed = turns.find((t) => t.role === 'tool' && t.ok === false);
      assert(failed && /Did you mean/.test(failed.text), 'the failed lookup suggested a listing');
    },
  },
  {
    name: 'silence timeout',
    script: 'silence-timeout.call',
    tools: [],
    states: ['triage.listening', 'triage.checkingIn', 'closing', 'ended'],
    async check(c) {
      const { call } = await callRow(c);
      assert(call.endedReason === 'silence', `ended reason ${call.endedReason}`);
    },
  },
  {
    name: 'fair-housing question',
    script: 'fair-housing.call',
    tools: ['listing_info ok'],
    states: ['triage.responding', 'triage.listening', 'property.listening'],
    async check(c) {
      const { call, turns } = await callRow(c);
      assert(call.fairHousingDeflections === 1, `deflections ${call.fairHousingDeflections}`);
      assert(
        turns.some((t) => t.role === 'caller' && t.intent === 'fair_housing_question'),
        'the question is logged with its intent',
      );
    },
  },
  {
    name: 'caller interrupts mid-answer',
    script: 'interrupt.call',
    tools: ['listing_info ok', 'listing_info ok'],
    states: ['triage.responding', 'property.listening', 'property.responding'],
    async check(c) {
      const { turns } = await callRow(c);
      const cut = turns.find((t) => t.role === 'agent' && t.interrupted);
      assert(cut, 'the interrupted agent turn is marked');
      assert(cut.text.split(/\s+/).length === 4, `only the heard words are kept: "${cut.text}"`);
    },
  },
  {
    name: 'misunderstood twice → human offered',
    script: 'misunderstood.call',
    tools: ['transfer_call ok'],
    states: ['triage.listening', 'offeringHuman.listening', 'offeringHuman.responding', 'transferring', 'ended'],
    async check(c) {
      const { call } = await callRow(c);
      assert(call.endedReason === 'transferred', `ended reason ${call.endedReason}`);
    },
  },
];

function isSubsequence(wanted: string[], seen: string[]): boolean {
  let i = 0;
  for (const s of seen) if (s === wanted[i]) i++;
  return i === wanted.length;
}

/** Plays one flow on a fresh line; resolves with the problems found (empty when it passed). */
export async function runFlow(server: CallServer, line: FlowLine, flow: Flow): Promise<string[]> {
  const script = readFileSync(new URL(`receptionist/${flow.script}`, import.meta.url), 'utf8');
  const result = await runScript(script, {
    authToken: server.authToken,
    server: server.base,
    apiKey: line.apiKey,
    from: CALLER,
    to: line.line,
    transfer: 'no-answer',
    replyTimeoutMs: 10_000,
  });
  const problems = result.failures.map((f) => `line ${f.line} (${f.directive}): ${f.message}`);
  if (!result.callSid) return [...problems, 'no call was placed'];
  // The call's records are written as it goes; the last ones land just after the hang-up.
  await server.ctx.calls.get(result.callSid)?.done;
  const tools = result.events.flatMap((e) => (e.type === 'tool' ? [`${e.name} ${e.ok ? 'ok' : 'failed'}`] : []));
  if (tools.join(',') !== flow.tools.join(',')) problems.push(`tools ${tools.join(', ')} ≠ ${flow.tools.join(', ')}`);
  const states = result.events.flatMap((e) => (e.type === 'state' ? [e.value] : []));
  if (!isSubsequence(flow.states, states))
    problems.push(`states ${states.join(' → ')} lack ${flow.states.join(' → ')}`);
  try {
    await flow.check({ server, line, result, callSid: result.callSid });
  } catch (err) {
    problems.push((err as Error).message);
  }
  return problems;
}
