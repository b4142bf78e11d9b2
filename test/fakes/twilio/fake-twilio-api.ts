import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { signTwilioRequest } from '../../../src/integrations/twilio/twilio.ts';

/**
 * A fake Twilio REST API for outbound calls, on 127.0.0.1 with a random port (telephony.md A1.4, A1.5):
 *
 *   POST /2010-04-01/Accounts/{AccountSid}/Calls.json         create (form-encoded) → 201 call resource
 *   POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json  update (Status=completed|canceled, Url, Twiml)
 *   GET  /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json  fetch
 *
 * An update with Twiml (a voicemail drop) is kept on the call (`twiml`) and ends it as `completed`, as if the TwiML
 * had played to its end; like a hang-up it sends no callback itself (`play` reports the end).
 *
 * Every request needs HTTP Basic `AccountSid:AuthToken` (401, error 20003). Bodies are checked as Twilio does:
 * To and From required and E.164, exactly one of Url / Twiml / ApplicationSid, absolute http(s) URLs, Timeout
 * 1–600, known StatusCallbackEvent / MachineDetection / AsyncAmd values. Errors use Twilio's JSON
 * `{code, message, more_info, status}`; codes 20003, 20404, 21201, 21205, 21208, 21211, 21212, 21213, 21220 are
 * Twilio's, the others (marked) are the nearest documented ones. Requests are recorded (repeated form keys as
 * arrays) and failures can be scripted.
 *
 * `play(callSid, outcome)` then acts the call out: it POSTs the status callbacks the call subscribed to (and the
 * async AMD verdict) to the URLs given at creation, form-encoded and signed with X-Twilio-Signature under the
 * account's auth token, one after the other, and returns what it delivered.
 */

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
}

export interface RecordedTwilioRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The form body; a key sent more than once (StatusCallbackEvent) as an array, in order. */
  fields: Record<string, string | string[]>;
}

export interface TwilioFailure {
  status: number;
  code: number;
  message?: string;
}

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

/** How a played call goes. `human`/`machine`: answered, AMD verdict (if asked), then completed. */
export type TwilioCallOutcome = 'no-answer' | 'busy' | 'failed' | 'human' | 'machine';

export interface PlayOptions {
  /** Seconds of conversation for an answered call. Default 42. */
  talkSec?: number;
  /** AnsweredBy for `machine`. Default machine_end_beep (DetectMessageEnd) or machine_start (Enable). */
  answeredBy?: string;
}

export interface TwilioDelivery {
  kind: 'status' | 'amd';
  url: string;
  params: Record<string, string>;
  signature: string;
  /** HTTP status our server answered, or null when it could not be reached. */
  responseStatus: number | null;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const EVENTS = new Set(['initiated', 'ringing', 'answered', 'completed']);
const ENDED = new Set<FakeCallStatus>(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const CALLS = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json$/;
const CALL = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\/([^/]+)\.json$/;

class TwilioHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export class FakeTwilioApi {
  readonly accountSid: string;
  readonly authToken: string;
  readonly requests: RecordedTwilioRequest[] = [];
  readonly calls = new Map<string, FakeTwilioCall>();
  /** Every callback `play` delivered, in order. */
  readonly deliveries: TwilioDelivery[] = [];

  private readonly server: Server;
  private readonly failures: TwilioFailure[] = [];
  private port = 0;

  private constructor(options: FakeTwilioOptions) {
    this.accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    this.authToken = options.authToken ?? randomBytes(16).toString('hex');
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, 20500, `Internal error: ${String(err)}`);
      });
    });
  }

  static async start(options: FakeTwilioOptions = {}): Promise<FakeTwilioApi> {
    const fake = new FakeTwilioApi(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The adapter's `apiBaseUrl`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.requests.length = 0;
    this.deliveries.length = 0;
    this.failures.length = 0;
    this.calls.clear();
  }

  /** The next request (of any kind) is refused with this Twilio error. */
  failNext(failure: TwilioFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  requestsTo(method: string, pathPattern: RegExp): RecordedTwilioRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  call(sid: string): FakeTwilioCall {
    const call = this.calls.get(sid);
    if (!call) throw new Error(`fake Twilio: no call ${sid}`);
    return call;
  }

  /**
   * Acts the call out and POSTs its callbacks (only the subscribed status events; a terminal status other than
   * completed comes as the `completed` event, as Twilio sends it). Resolves when every callback was answered.
   */
  async play(callSid: string, outcome: TwilioCallOutcome, options: PlayOptions = {}): Promise<TwilioDelivery[]> {
    const call = this.call(callSid);
    if (ENDED.has(call.status)) throw new Error(`fake Twilio: call ${callSid} already ended (${call.status})`);
    const out: (TwilioDelivery | null)[] = [];
    const talkSec = options.talkSec ?? 42;
    out.push(await this.status(call, 'initiated', 'queued'));
    if (outcome === 'busy') {
      out.push(await this.status(call, 'completed', 'busy', { CallDuration: '0' }));
    } else if (outcome === 'failed') {
      out.push(await this.status(call, 'completed', 'failed', { CallDuration: '0', SipResponseCode: '503' }));
    } else {
      out.push(await this.status(call, 'ringing', 'ringing'));
      if (outcome === 'no-answer') {
        out.push(await this.status(call, 'completed', 'no-answer', { CallDuration: '0' }));
      } else {
        out.push(await this.status(call, 'answered', 'in-progress'));
        if (call.machineDetection) {
          const machine =
            options.answeredBy ?? (call.machineDetection === 'DetectMessageEnd' ? 'machine_end_beep' : 'machine_start');
          call.answeredBy = outcome === 'human' ? 'human' : machine;
          if (call.asyncAmd && call.asyncAmdStatusCallback) {
            out.push(await this.amd(call, call.answeredBy));
          }
        }
        call.durationSec = talkSec;
        out.push(await this.status(call, 'completed', 'completed', { CallDuration: String(talkSec) }));
      }
    }
    return out.filter((d): d is TwilioDelivery => d !== null);
  }

  /** The call resource as the API shows it. */
  callJson(call: FakeTwilioCall): Record<string, unknown> {
    const uri = `/2010-04-01/Accounts/${this.accountSid}/Calls/${call.sid}.json`;
    const sub = `/2010-04-01/Accounts/${this.accountSid}/Calls/${call.sid}`;
    return {
      sid: call.sid,
      date_created: call.created.toUTCString().replace('GMT', '+0000'),
      date_updated: new Date().toUTCString().replace('GMT', '+0000'),
      parent_call_sid: null,
      account_sid: this.accountSid,
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
        feedback_summaries: `/2010-04-01/Accounts/${this.accountSid}/Calls/FeedbackSummary.json`,
      },
    };
  }

  // ---- callbacks ----

  private async status(
    call: FakeTwilioCall,
    event: 'initiated' | 'ringing' | 'answered' | 'completed',
    status: FakeCallStatus,
    extra: Record<string, string> = {},
  ): Promise<TwilioDelivery | null> {
    call.status = status;
    // Twilio always reports the end when a StatusCallback is set; the other events only when subscribed.
    if (!call.statusCallback || (event !== 'completed' && !call.statusCallbackEvents.includes(event))) return null;
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: call.sid,
      CallStatus: status,
      Called: call.to,
      Caller: call.from,
      Direction: 'outbound-api',
      From: call.from,
      To: call.to,
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(call.sequence++),
      Timestamp: new Date().toUTCString().replace('GMT', '+0000'),
      ...extra,
    };
    return this.deliver('status', call.statusCallback, params);
  }

  private async amd(call: FakeTwilioCall, answeredBy: string): Promise<TwilioDelivery> {
    const params = {
      AccountSid: this.accountSid,
      CallSid: call.sid,
      AnsweredBy: answeredBy,
      MachineDetectionDuration: answeredBy === 'human' ? '1840' : '4210',
    };
    return this.deliver('amd', call.asyncAmdStatusCallback!, params);
  }

  private async deliver(kind: 'status' | 'amd', url: string, params: Record<string, string>): Promise<TwilioDelivery> {
    const signature = signTwilioRequest(this.authToken, url, params);
    let responseStatus: number | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'TwilioProxy/1.1',
          'x-twilio-signature': signature,
          'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
        },
        body: new URLSearchParams(params).toString(),
      });
      responseStatus = res.status;
      await res.arrayBuffer();
    } catch {
      // our server could not be reached: responseStatus stays null
    }
    const delivery: TwilioDelivery = { kind, url, params, signature, responseStatus };
    this.deliveries.push(delivery);
    return delivery;
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const fields = parseForm(rawBody);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: { ...req.headers },
      rawBody,
      fields,
    });

    const failure = this.failures.shift();
    if (failure) {
      sendError(res, failure.status, failure.code, failure.message ?? `Scripted failure ${failure.code}`);
      return;
    }
    try {
      const [status, body] = this.route(req, url.pathname, fields);
      send(res, status, body);
    } catch (err) {
      if (err instanceof TwilioHttpError) sendError(res, err.status, err.code, err.message);
      else throw err;
    }
  }

  private route(
    req: IncomingMessage,
    pathname: string,
    fields: Record<string, string | string[]>,
  ): [number, Record<string, unknown>] {
    const method = req.method ?? 'GET';
    const create = CALLS.exec(pathname);
    const one = CALL.exec(pathname);
    const accountInPath = create?.[1] ?? one?.[1];
    if (!accountInPath) throw new TwilioHttpError(404, 20404, `The requested resource ${pathname} was not found`);
    this.authenticate(req, accountInPath);
    if (create) {
      if (method !== 'POST') throw new TwilioHttpError(405, 20004, 'Method not allowed');
      this.requireForm(req);
      return [201, this.callJson(this.createCall(fields))];
    }
    const sid = one![2]!;
    const call = this.calls.get(sid);
    if (!call) throw new TwilioHttpError(404, 20404, `The requested resource ${pathname} was not found`);
    if (method === 'GET') return [200, this.callJson(call)];
    if (method === 'POST') {
      this.requireForm(req);
      this.updateCall(call, fields);
      return [200, this.callJson(call)];
    }
    throw new TwilioHttpError(405, 20004, 'Method not allowed');
  }

  private authenticate(req: IncomingMessage, accountInPath: string): void {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+(.+)$/i.exec(header);
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : '';
    const pass = colon >= 0 ? decoded.slice(colon + 1) : '';
    if (user !== this.accountSid || pass !== this.authToken || accountInPath !== this.accountSid) {
      throw new TwilioHttpError(401, 20003, 'Authenticate');
    }
  }

  private requireForm(req: IncomingMessage): void {
    const type = req.headers['content-type'] ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      // Marked: Twilio's exact answer to a non-form body is not documented.
      throw new TwilioHttpError(400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    }
  }

  private createCall(fields: Record<string, string | string[]>): FakeTwilioCall {
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
    const call: FakeTwilioCall = {
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
    this.calls.set(call.sid, call);
    return call;
  }

  private updateCall(call: FakeTwilioCall, fields: Record<string, string | string[]>): void {
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
}

function parseForm(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  send(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}
