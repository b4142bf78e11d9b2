import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { signTwilioRequest } from '../../../src/integrations/twilio/twilio.ts';
import { HttpFake, postCallback, readRequest, sendJson } from '../http-fake.ts';
import {
  callResource,
  ENDED,
  newTwilioCall,
  parseForm,
  sendTwilioError,
  TwilioHttpError,
  updateTwilioCall,
  type FakeCallStatus,
  type FakeTwilioCall,
} from './twilio-calls.ts';

export type { FakeCallStatus, FakeTwilioCall } from './twilio-calls.ts';

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

const CALLS = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json$/;
const CALL = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\/([^/]+)\.json$/;

export class FakeTwilioApi extends HttpFake {
  readonly accountSid: string;
  readonly authToken: string;
  readonly requests: RecordedTwilioRequest[] = [];
  readonly calls = new Map<string, FakeTwilioCall>();
  /** Every callback `play` delivered, in order. */
  readonly deliveries: TwilioDelivery[] = [];

  private readonly failures: TwilioFailure[] = [];

  private constructor(options: FakeTwilioOptions) {
    super();
    this.accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    this.authToken = options.authToken ?? randomBytes(16).toString('hex');
  }

  static async start(options: FakeTwilioOptions = {}): Promise<FakeTwilioApi> {
    const fake = new FakeTwilioApi(options);
    await fake.listen();
    return fake;
  }

  /** The adapter's `apiBaseUrl`. */
  get url(): string {
    return this.origin;
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
    return callResource(this.accountSid, call);
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
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
    };
    const responseStatus = await postCallback(url, headers, new URLSearchParams(params).toString());
    const delivery: TwilioDelivery = { kind, url, params, signature, responseStatus };
    this.deliveries.push(delivery);
    return delivery;
  }

  // ---- HTTP ----

  protected async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, headers, rawBody } = await readRequest(req);
    const fields = parseForm(rawBody);
    this.requests.push({ method, path, headers, rawBody, fields });

    const failure = this.failures.shift();
    if (failure) {
      sendTwilioError(res, failure.status, failure.code, failure.message ?? `Scripted failure ${failure.code}`);
      return;
    }
    try {
      const [status, body] = this.route(req, path, fields);
      sendJson(res, status, body);
    } catch (err) {
      if (err instanceof TwilioHttpError) sendTwilioError(res, err.status, err.code, err.message);
      else throw err;
    }
  }

  protected override serveFailed(res: ServerResponse, err: unknown): void {
    if (!res.headersSent) sendTwilioError(res, 500, 20500, `Internal error: ${String(err)}`);
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
      const call = newTwilioCall(fields);
      this.calls.set(call.sid, call);
      return [201, this.callJson(call)];
    }
    const sid = one![2]!;
    const call = this.calls.get(sid);
    if (!call) throw new TwilioHttpError(404, 20404, `The requested resource ${pathname} was not found`);
    if (method === 'GET') return [200, this.callJson(call)];
    if (method === 'POST') {
      this.requireForm(req);
      updateTwilioCall(call, fields);
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
}
