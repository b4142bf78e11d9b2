import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isHttpUrl, sendJson } from '../http-fake.ts';

/**
 * The call resource of the fake Twilio REST API (fake-twilio-api.ts): a call created or updated from a form body,
 * checked as Twilio checks it, the JSON the API shows for it, and Twilio's error answer.
 */

export type FakeCallStatus =
  'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export interface FakeTwilioCall {
  sid: string;
  to: string;
  from: string;
  url: string | null;
  /** The inline TwiML it was last given (create or update). */
  twiml: string | null;
  statusCallback: string | null;
  statusCallbackEvents: string[];
  machineDetection: string | null;
  asyncAmd: boolean;
  asyncAmdStatusCallback: string | null;
  timeoutSec: number;
  status: FakeCallStatus;
  answeredBy: string | null;
  durationSec: number | null;
  created: Date;
  /** SequenceNumber of the next status callback. */
  sequence: number;
  /** Update requests it received, in order. */
  updates: Record<string, string | string[]>[];
}

/** A form body; a key sent more than once (StatusCallbackEvent) as an array, in order. */
export type TwilioForm = Record<string, string | string[]>;

export const ENDED = new Set<FakeCallStatus>(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const E164 = /^\+[1-9]\d{1,14}$/;
const EVENTS = new Set(['initiated', 'ringing', 'answered', 'completed']);

export class TwilioHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Twilio's JSON error `{code, message, more_info, status}`. */
export function sendTwilioError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

export function parseForm(raw: string): TwilioForm {
  const out: TwilioForm = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** A call from a create request's form, checked as Twilio does (throws TwilioHttpError). */
export function newTwilioCall(fields: TwilioForm): FakeTwilioCall {
  const one = (name: string): string | undefined => {
    const v = fields[name];
    if (Array.isArray(v)) throw new TwilioHttpError(400, 20001, `${name} must be given once`); // marked
    return v;
  };
  const to = one('To');
  const from = one('From');
  if (!to) throw new TwilioHttpError(400, 21201, "No 'To' number is specified");
  if (!from) throw new TwilioHttpError(400, 21213, "No 'From' number is specified");
  if (!E164.test(to)) throw new TwilioHttpError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  if (!E164.test(from)) throw new TwilioHttpError(400, 21212, `Invalid 'From' Phone Number: ${from}`);
  const url = one('Url');
  const twiml = one('Twiml');
  const app = one('ApplicationSid');
  if (!url && !twiml && !app) {
    throw new TwilioHttpError(400, 21205, "Either a 'Url', 'Twiml' or 'ApplicationSid' parameter is required");
  }
  if (url && !isHttpUrl(url)) throw new TwilioHttpError(400, 21205, `Url is not a valid URL: ${url}`);
  const statusCallback = one('StatusCallback') ?? null;
  // Marked: 21609 is Twilio's "Invalid StatusCallback URL" for messaging; voice may answer with another code.
  if (statusCallback && !isHttpUrl(statusCallback)) throw new TwilioHttpError(400, 21609, 'Invalid StatusCallback');
  const rawEvents = fields.StatusCallbackEvent;
  const events = rawEvents === undefined ? ['completed'] : Array.isArray(rawEvents) ? rawEvents : [rawEvents];
  for (const e of events) {
    if (!EVENTS.has(e)) throw new TwilioHttpError(400, 20001, `Invalid StatusCallbackEvent: ${e}`); // marked
  }
  for (const name of ['StatusCallbackMethod', 'Method', 'AsyncAmdStatusCallbackMethod']) {
    const m = one(name);
    if (m !== undefined && m !== 'GET' && m !== 'POST') {
      throw new TwilioHttpError(400, 20001, `Invalid ${name}: ${m}`); // marked
    }
  }
  const timeoutRaw = one('Timeout');
  const timeoutSec = timeoutRaw === undefined ? 60 : Number(timeoutRaw);
  if (!/^\d+$/.test(timeoutRaw ?? '60') || timeoutSec < 1 || timeoutSec > 600) {
    throw new TwilioHttpError(400, 21208, 'Invalid Timeout');
  }
  const machineDetection = one('MachineDetection') ?? null;
  if (machineDetection !== null && machineDetection !== 'Enable' && machineDetection !== 'DetectMessageEnd') {
    throw new TwilioHttpError(400, 21263, `Invalid MachineDetection: ${machineDetection}`); // marked
  }
  const asyncAmd = one('AsyncAmd');
  if (asyncAmd !== undefined && asyncAmd !== 'true' && asyncAmd !== 'false') {
    throw new TwilioHttpError(400, 21263, `Invalid AsyncAmd: ${asyncAmd}`); // marked
  }
  const asyncAmdStatusCallback = one('AsyncAmdStatusCallback') ?? null;
  if (asyncAmdStatusCallback && !isHttpUrl(asyncAmdStatusCallback)) {
    throw new TwilioHttpError(400, 21263, 'Invalid AsyncAmdStatusCallback'); // marked
  }
  return {
    sid: `CA${randomBytes(16).toString('hex')}`,
    to,
    from,
    url: url ?? null,
    twiml: twiml ?? null,
    statusCallback,
    statusCallbackEvents: events,
    machineDetection,
    asyncAmd: asyncAmd === 'true',
    asyncAmdStatusCallback,
    timeoutSec,
    status: 'queued',
    answeredBy: null,
    durationSec: null,
    created: new Date(),
    sequence: 0,
    updates: [],
  };
}

/** Applies an update request (Status=completed|canceled, Url, Twiml) as Twilio does (throws TwilioHttpError). */
export function updateTwilioCall(call: FakeTwilioCall, fields: TwilioForm): void {
  call.updates.push(fields);
  const status = fields.Status;
  if (status !== undefined) {
    if (status !== 'completed' && status !== 'canceled') {
      throw new TwilioHttpError(400, 20001, `Invalid Status: ${String(status)}`); // marked
    }
    if (ENDED.has(call.status)) return; // ending an ended call changes nothing
    if (status === 'canceled' && call.status === 'in-progress') return; // canceled leaves answered calls alone
    call.status = call.status === 'in-progress' ? 'completed' : 'canceled';
    return;
  }
  if (fields.Url !== undefined || fields.Twiml !== undefined) {
    if (call.status !== 'in-progress') {
      throw new TwilioHttpError(400, 21220, 'Unable to update record. Call is not in-progress. Cannot redirect.');
    }
  }
  if (typeof fields.Twiml === 'string') {
    if (fields.Twiml.length > 4000) throw new TwilioHttpError(400, 20001, 'Twiml is over 4000 characters'); // marked
    call.twiml = fields.Twiml;
    call.status = 'completed';
  }
}

/** The call resource as the API shows it. */
export function callResource(accountSid: string, call: FakeTwilioCall): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${accountSid}/Calls/${call.sid}.json`;
  const sub = `/2010-04-01/Accounts/${accountSid}/Calls/${call.sid}`;
  return {
    sid: call.sid,
    date_created: call.created.toUTCString().replace('GMT', '+0000'),
    date_updated: new Date().toUTCString().replace('GMT', '+0000'),
    parent_call_sid: null,
    account_sid: accountSid,
    to: call.to,
    to_formatted: call.to,
    from: call.from,
    from_formatted: call.from,
    phone_number_sid: `PN${call.sid.slice(2)}`,
    status: call.status,
    start_time: null,
    end_time: null,
    duration: call.durationSec === null ? null : String(call.durationSec),
    price: null,
    price_unit: 'USD',
    direction: 'outbound-api',
    answered_by: call.answeredBy,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri,
    subresource_uris: {
      feedback: `${sub}/Feedback.json`,
      user_defined_messages: `${sub}/UserDefinedMessages.json`,
      notifications: `${sub}/Notifications.json`,
      recordings: `${sub}/Recordings.json`,
      streams: `${sub}/Streams.json`,
      payments: `${sub}/Payments.json`,
      user_defined_message_subscriptions: `${sub}/UserDefinedMessageSubscriptions.json`,
      siprec: `${sub}/Siprec.json`,
      events: `${sub}/Events.json`,
      feedback_summaries: `/2010-04-01/Accounts/${accountSid}/Calls/FeedbackSummary.json`,
    },
  };
}
