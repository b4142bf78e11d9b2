import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { signVapiRequest } from '../../../src/integrations/vapi/auth.ts';
import { HttpFake, isRecord, parseJson, postCallback, readRequest, sendJson } from '../http-fake.ts';
import { artifactOf, newVapiCall, sendVapiError, VapiHttpError, type FakeVapiCall } from './vapi-calls.ts';

export type { FakeVapiCall } from './vapi-calls.ts';

/**
 * A fake Vapi API for outbound calls, on 127.0.0.1 with a random port (telephony.md A2; Vapi OpenAPI
 * `CreateCallDto`, `Call`, `Monitor`; docs `calls/call-features` for Live Call Control):
 *
 *   POST /call                      Bearer private key; JSON CreateCallDto → 201 Call (status queued, monitor URLs)
 *   GET  /call/{id}                 Bearer → the Call
 *   POST /control/{id}              the call's `monitor.controlUrl` (no key, Vapi's default) {type: "end-call", …}
 *
 * Errors use Vapi's (NestJS) shape `{message: string | string[], error, statusCode}`. Like Vapi's validation the
 * fake refuses unknown top-level properties ("property metadata should not exist"), a customer number that is not
 * E.164, a missing phoneNumberId or an unknown one, and both/neither of `assistant` and `assistantId`. Failures can
 * be scripted; requests are recorded.
 *
 * `play(callId, outcome)` POSTs the server messages of the call, `{message: {type, call, assistant, phoneNumber,
 * customer, timestamp, …}}`, to the assistant's `server.url`: `status-update`s then an `end-of-call-report`,
 * authenticated as configured (HMAC like our auth.ts expects, a Bearer secret, or nothing). A `machine` call ends
 * with endedReason "voicemail"; the report's artifact has the machine's greeting and, when the assistant had a
 * `voicemailMessage`, the message the assistant left after it (without one Vapi hangs up silently).
 */

export interface FakeVapiOptions {
  apiKey?: string;
  /** Phone numbers of the org: id → E.164. Default one number. */
  phoneNumbers?: Record<string, string>;
  /** How `play` authenticates to the server URL. Default none. */
  serverAuth?: { hmacSecret: string } | { bearer: string } | null;
}

export interface RecordedVapiRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON, or null. */
  body: unknown;
}

export interface VapiFailure {
  status: number;
  message?: string | string[];
}

export type VapiCallOutcome = 'no-answer' | 'busy' | 'failed' | 'human' | 'machine';

export interface VapiDelivery {
  type: string;
  url: string;
  rawBody: string;
  headers: Record<string, string>;
  responseStatus: number | null;
}

export class FakeVapiApi extends HttpFake {
  readonly apiKey: string;
  readonly orgId = randomUUID();
  readonly phoneNumbers: Record<string, string>;
  serverAuth: { hmacSecret: string } | { bearer: string } | null;
  readonly requests: RecordedVapiRequest[] = [];
  readonly calls = new Map<string, FakeVapiCall>();
  readonly deliveries: VapiDelivery[] = [];

  private readonly failures: VapiFailure[] = [];

  private constructor(options: FakeVapiOptions) {
    super();
    this.apiKey = options.apiKey ?? randomUUID();
    this.phoneNumbers = options.phoneNumbers ?? { [randomUUID()]: '+15125550100' };
    this.serverAuth = options.serverAuth ?? null;
  }

  static async start(options: FakeVapiOptions = {}): Promise<FakeVapiApi> {
    const fake = new FakeVapiApi(options);
    await fake.listen();
    return fake;
  }

  /** The adapter's `apiBaseUrl`. */
  get url(): string {
    return this.origin;
  }

  /** The first phone number's id. */
  get phoneNumberId(): string {
    return Object.keys(this.phoneNumbers)[0]!;
  }

  reset(): void {
    this.requests.length = 0;
    this.deliveries.length = 0;
    this.failures.length = 0;
    this.calls.clear();
  }

  /** The next request (of any kind) gets this error. */
  failNext(failure: VapiFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  requestsTo(method: string, pathPattern: RegExp): RecordedVapiRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  call(id: string): FakeVapiCall {
    const call = this.calls.get(id);
    if (!call) throw new Error(`fake Vapi: no call ${id}`);
    return call;
  }

  /** Acts the call out and POSTs its server messages to the assistant's server URL, one after the other. */
  async play(callId: string, outcome: VapiCallOutcome, options: { talkSec?: number } = {}): Promise<VapiDelivery[]> {
    const call = this.call(callId);
    if (call.status === 'ended') throw new Error(`fake Vapi: call ${callId} already ended`);
    const out: VapiDelivery[] = [];
    const talkMs = (options.talkSec ?? 42) * 1000;
    const endedReason: Record<VapiCallOutcome, string> = {
      'no-answer': 'customer-did-not-answer',
      busy: 'customer-busy',
      failed: 'twilio-failed-to-connect-call',
      human: 'customer-ended-call',
      machine: 'voicemail',
    };
    if (outcome === 'no-answer' || outcome === 'human' || outcome === 'machine') {
      out.push(await this.statusUpdate(call, 'ringing'));
    }
    if (outcome === 'human' || outcome === 'machine') {
      call.startedAt = new Date().toISOString();
      out.push(await this.statusUpdate(call, 'in-progress'));
    }
    call.endedReason = endedReason[outcome];
    call.endedAt = call.startedAt
      ? new Date(Date.parse(call.startedAt) + talkMs).toISOString()
      : new Date().toISOString();
    out.push(await this.statusUpdate(call, 'ended'));
    out.push(await this.endOfCallReport(call));
    return out;
  }

  /** The Call object as the API shows it. */
  callJson(call: FakeVapiCall): Record<string, unknown> {
    return {
      id: call.id,
      orgId: this.orgId,
      createdAt: call.createdAt,
      updatedAt: new Date().toISOString(),
      type: 'outboundPhoneCall',
      status: call.status,
      ...(call.endedReason ? { endedReason: call.endedReason } : {}),
      ...(call.startedAt ? { startedAt: call.startedAt } : {}),
      ...(call.endedAt ? { endedAt: call.endedAt } : {}),
      cost: 0,
      phoneCallProvider: 'twilio',
      phoneCallProviderId: `CA${call.id.replace(/-/g, '')}`,
      phoneCallTransport: 'pstn',
      phoneNumberId: call.phoneNumberId,
      customer: { number: call.customerNumber },
      ...(call.assistant ? { assistant: call.assistant } : {}),
      ...(call.assistantId ? { assistantId: call.assistantId } : {}),
      monitor: {
        listenUrl: `ws://127.0.0.1:${this.port}/listen/${call.id}`,
        controlUrl: `${this.url}/control/${call.id}`,
      },
    };
  }

  // ---- server messages ----

  private envelope(call: FakeVapiCall, type: string, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      message: {
        timestamp: Date.now(),
        type,
        ...extra,
        call: this.callJson(call),
        phoneNumber: { id: call.phoneNumberId, provider: 'twilio', number: this.phoneNumbers[call.phoneNumberId] },
        customer: { number: call.customerNumber },
        ...(call.assistant ? { assistant: call.assistant } : {}),
      },
    };
  }

  private async statusUpdate(call: FakeVapiCall, status: FakeVapiCall['status']): Promise<VapiDelivery> {
    call.status = status;
    const extra: Record<string, unknown> = { status };
    if (status === 'ended') extra.endedReason = call.endedReason;
    return this.deliver(call, 'status-update', this.envelope(call, 'status-update', extra));
  }

  private async endOfCallReport(call: FakeVapiCall): Promise<VapiDelivery> {
    const answered = call.startedAt !== null;
    const durationMs = answered ? Date.parse(call.endedAt!) - Date.parse(call.startedAt!) : 0;
    const extra: Record<string, unknown> = {
      endedReason: call.endedReason,
      ...(answered ? { startedAt: call.startedAt } : {}),
      endedAt: call.endedAt,
      cost: answered ? 0.0731 : 0,
      durationMs,
      durationSeconds: durationMs / 1000,
      artifact: answered ? artifactOf(call) : {},
      analysis: {},
    };
    return this.deliver(call, 'end-of-call-report', this.envelope(call, 'end-of-call-report', extra));
  }

  private async deliver(call: FakeVapiCall, type: string, payload: unknown): Promise<VapiDelivery> {
    const server = isRecord(call.assistant?.server) ? call.assistant.server : {};
    const url = typeof server.url === 'string' ? server.url : null;
    if (!url) throw new Error(`fake Vapi: call ${call.id} has no server URL`);
    const rawBody = JSON.stringify(payload);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Vapi/1.0' };
    const auth = this.serverAuth;
    if (auth && 'hmacSecret' in auth) {
      const ts = String(Date.now());
      headers['x-vapi-timestamp'] = ts;
      headers['x-vapi-signature'] = signVapiRequest(auth.hmacSecret, ts, rawBody);
    } else if (auth) {
      headers.authorization = `Bearer ${auth.bearer}`;
    }
    const responseStatus = await postCallback(url, headers, rawBody);
    const delivery = { type, url, rawBody, headers, responseStatus };
    this.deliveries.push(delivery);
    return delivery;
  }

  // ---- HTTP ----

  protected async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, headers, rawBody } = await readRequest(req);
    const body = parseJson(rawBody);
    this.requests.push({ method, path, headers, rawBody, body });

    const failure = this.failures.shift();
    if (failure) {
      sendVapiError(res, failure.status, failure.message ?? `Scripted failure ${failure.status}`);
      return;
    }
    try {
      const [status, answer] = this.route(req, path, rawBody, body);
      if (typeof answer === 'string') {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(answer);
      } else {
        sendJson(res, status, answer);
      }
    } catch (err) {
      if (err instanceof VapiHttpError) sendVapiError(res, err.status, err.messages);
      else throw err;
    }
  }

  protected override serveFailed(res: ServerResponse, err: unknown): void {
    if (!res.headersSent) sendVapiError(res, 500, `Internal error: ${String(err)}`);
  }

  private route(req: IncomingMessage, pathname: string, rawBody: string, body: unknown): [number, unknown] {
    const method = req.method ?? 'GET';
    const control = /^\/control\/([^/]+)$/.exec(pathname);
    if (control && method === 'POST') {
      // Live Call Control: no key by default (monitorPlan.controlAuthenticationEnabled false).
      const call = this.calls.get(control[1]!);
      if (!call || call.status === 'ended') throw new VapiHttpError(404, 'Call not found or not active'); // marked
      if (!isRecord(body) || typeof body.type !== 'string') throw new VapiHttpError(400, 'type must be a string');
      call.controls.push(body);
      if (body.type === 'end-call') {
        call.status = 'ended';
        // Unverified which endedReason Vapi records for a call ended through the control URL.
        call.endedReason = call.startedAt ? 'assistant-ended-call' : 'manually-canceled';
        call.endedAt = new Date().toISOString();
      }
      return [200, 'OK'];
    }
    this.authenticate(req);
    if (pathname === '/call' && method === 'POST') {
      if (rawBody && body === null) throw new VapiHttpError(400, 'Unexpected token in JSON');
      const call = newVapiCall(body, this.phoneNumbers);
      this.calls.set(call.id, call);
      return [201, this.callJson(call)];
    }
    const one = /^\/call\/([^/]+)$/.exec(pathname);
    if (one && method === 'GET') {
      const call = this.calls.get(decodeURIComponent(one[1]!));
      if (!call) throw new VapiHttpError(404, 'Not Found');
      return [200, this.callJson(call)];
    }
    throw new VapiHttpError(404, `Cannot ${method} ${pathname}`);
  }

  private authenticate(req: IncomingMessage): void {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (match?.[1]?.trim() !== this.apiKey) {
      throw new VapiHttpError(
        401,
        'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.',
      );
    }
  }
}
