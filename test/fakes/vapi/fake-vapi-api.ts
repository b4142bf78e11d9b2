import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { signVapiRequest } from '../../../src/integrations/vapi/auth.ts';

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

export interface FakeVapiCall {
  id: string;
  phoneNumberId: string;
  customerNumber: string;
  assistant: Record<string, unknown> | null;
  assistantId: string | null;
  status: 'queued' | 'ringing' | 'in-progress' | 'ended';
  endedReason: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** Bodies POSTed to its control URL. */
  controls: Record<string, unknown>[];
}

export type VapiCallOutcome = 'no-answer' | 'busy' | 'failed' | 'human' | 'machine';

export interface VapiDelivery {
  type: string;
  url: string;
  rawBody: string;
  headers: Record<string, string>;
  responseStatus: number | null;
}

/** Top-level properties of CreateCallDto (server-sdk-typescript `CreateCallDto`). */
const CREATE_CALL_KEYS = new Set([
  'assistantVersion',
  'transport',
  'customers',
  'name',
  'schedulePlan',
  'assistantId',
  'assistant',
  'assistantOverrides',
  'squadId',
  'squad',
  'squadOverrides',
  'workflowId',
  'workflow',
  'workflowOverrides',
  'phoneNumberId',
  'phoneNumber',
  'customerId',
  'customer',
]);
const VOICEMAIL_PROVIDERS = new Set(['vapi', 'google', 'openai', 'twilio']);
const E164 = /^\+[1-9]\d{1,14}$/;

class VapiHttpError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string | string[],
  ) {
    super(Array.isArray(messages) ? messages.join('; ') : messages);
  }
}

export class FakeVapiApi {
  readonly apiKey: string;
  readonly orgId = randomUUID();
  readonly phoneNumbers: Record<string, string>;
  serverAuth: { hmacSecret: string } | { bearer: string } | null;
  readonly requests: RecordedVapiRequest[] = [];
  readonly calls = new Map<string, FakeVapiCall>();
  readonly deliveries: VapiDelivery[] = [];

  private readonly server: Server;
  private readonly failures: VapiFailure[] = [];
  private port = 0;

  private constructor(options: FakeVapiOptions) {
    this.apiKey = options.apiKey ?? randomUUID();
    this.phoneNumbers = options.phoneNumbers ?? { [randomUUID()]: '+15125550100' };
    this.serverAuth = options.serverAuth ?? null;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, `Internal error: ${String(err)}`);
      });
    });
  }

  static async start(options: FakeVapiOptions = {}): Promise<FakeVapiApi> {
    const fake = new FakeVapiApi(options);
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

  /** The first phone number's id. */
  get phoneNumberId(): string {
    return Object.keys(this.phoneNumbers)[0]!;
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
    const server = isObject(call.assistant?.server) ? call.assistant.server : {};
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
    let responseStatus: number | null = null;
    try {
      const res = await fetch(url, { method: 'POST', headers, body: rawBody });
      responseStatus = res.status;
      await res.arrayBuffer();
    } catch {
      // our server could not be reached: responseStatus stays null
    }
    const delivery = { type, url, rawBody, headers, responseStatus };
    this.deliveries.push(delivery);
    return delivery;
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const body = parseJson(rawBody);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: { ...req.headers }, rawBody, body });

    const failure = this.failures.shift();
    if (failure) {
      sendError(res, failure.status, failure.message ?? `Scripted failure ${failure.status}`);
      return;
    }
    try {
      const [status, answer] = this.route(req, url.pathname, rawBody, body);
      if (typeof answer === 'string') {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(answer);
      } else {
        send(res, status, answer);
      }
    } catch (err) {
      if (err instanceof VapiHttpError) sendError(res, err.status, err.messages);
      else throw err;
    }
  }

  private route(req: IncomingMessage, pathname: string, rawBody: string, body: unknown): [number, unknown] {
    const method = req.method ?? 'GET';
    const control = /^\/control\/([^/]+)$/.exec(pathname);
    if (control && method === 'POST') {
      // Live Call Control: no key by default (monitorPlan.controlAuthenticationEnabled false).
      const call = this.calls.get(control[1]!);
      if (!call || call.status === 'ended') throw new VapiHttpError(404, 'Call not found or not active'); // marked
      if (!isObject(body) || typeof body.type !== 'string') throw new VapiHttpError(400, 'type must be a string');
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
      return [201, this.callJson(this.createCall(body))];
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

  private createCall(body: unknown): FakeVapiCall {
    if (!isObject(body)) throw new VapiHttpError(400, ['body must be an object']);
    const problems: string[] = [];
    for (const key of Object.keys(body))
      if (!CREATE_CALL_KEYS.has(key)) problems.push(`property ${key} should not exist`);
    const phoneNumberId = body.phoneNumberId;
    if (typeof phoneNumberId !== 'string' || !phoneNumberId) problems.push('phoneNumberId must be a string');
    const customer = body.customer;
    const number = isObject(customer) ? customer.number : undefined;
    if (typeof number !== 'string' || !E164.test(number)) {
      // Vapi's own wording is unverified; it checks E.164 unless customer.numberE164CheckEnabled is false.
      problems.push('customer.number must be a valid phone number in the E.164 format');
    }
    const hasAssistant = body.assistant !== undefined;
    const hasAssistantId = body.assistantId !== undefined;
    if (hasAssistant === hasAssistantId) problems.push('exactly one of assistant or assistantId must be given');
    if (hasAssistant) problems.push(...assistantProblems(body.assistant));
    if (problems.length) throw new VapiHttpError(400, problems);
    if (!this.phoneNumbers[phoneNumberId as string]) {
      throw new VapiHttpError(400, `Couldn't Get Phone Number. Phone Number ${String(phoneNumberId)} Not Found`); // marked
    }
    const now = new Date().toISOString();
    const call: FakeVapiCall = {
      id: randomUUID(),
      phoneNumberId: phoneNumberId as string,
      customerNumber: number as string,
      assistant: hasAssistant ? (body.assistant as Record<string, unknown>) : null,
      assistantId: hasAssistantId ? String(body.assistantId) : null,
      status: 'queued',
      endedReason: null,
      createdAt: now,
      startedAt: null,
      endedAt: null,
      controls: [],
    };
    this.calls.set(call.id, call);
    return call;
  }
}

const GREETING = "Hi, you've reached Sam. Leave a message after the tone.";

/** What was said on an answered call, as Vapi's artifact (`transcript`, `messages` with roles user/bot). */
function artifactOf(call: FakeVapiCall): Record<string, unknown> {
  if (call.endedReason !== 'voicemail') {
    return { transcript: 'AI: Hello, this is an AI assistant calling for Dana Realtor.\n', messages: [] };
  }
  const left = call.assistant?.voicemailMessage;
  const said = [
    { role: 'user', message: GREETING },
    ...(typeof left === 'string' ? [{ role: 'bot', message: left }] : []),
  ];
  return {
    transcript: said.map((m) => `${m.role === 'bot' ? 'AI' : 'User'}: ${m.message}\n`).join(''),
    messages: said,
  };
}

function assistantProblems(assistant: unknown): string[] {
  if (!isObject(assistant)) return ['assistant must be an object'];
  const out: string[] = [];
  if (assistant.name !== undefined && (typeof assistant.name !== 'string' || assistant.name.length > 40)) {
    out.push('assistant.name must be shorter than or equal to 40 characters');
  }
  if (assistant.server !== undefined) {
    const server = assistant.server;
    if (!isObject(server) || typeof server.url !== 'string' || !isHttpUrl(server.url)) {
      out.push('assistant.server.url must be a URL address');
    }
  }
  if (assistant.serverMessages !== undefined && !Array.isArray(assistant.serverMessages)) {
    out.push('assistant.serverMessages must be an array');
  }
  if (assistant.metadata !== undefined && !isObject(assistant.metadata)) {
    out.push('assistant.metadata must be an object');
  }
  const vmd = assistant.voicemailDetection;
  if (vmd !== undefined && vmd !== 'off') {
    if (!isObject(vmd) || typeof vmd.provider !== 'string' || !VOICEMAIL_PROVIDERS.has(vmd.provider)) {
      out.push('assistant.voicemailDetection.provider must be one of vapi, google, openai, twilio');
    }
  }
  const vm = assistant.voicemailMessage;
  if (vm !== undefined && (typeof vm !== 'string' || vm.length > 1000)) {
    out.push('assistant.voicemailMessage must be shorter than or equal to 1000 characters');
  }
  const model = assistant.model;
  if (model !== undefined) {
    if (!isObject(model) || typeof model.provider !== 'string') out.push('assistant.model.provider must be a string');
    else if (model.provider === 'custom-llm' && (typeof model.url !== 'string' || !isHttpUrl(model.url))) {
      out.push('assistant.model.url must be a URL address');
    }
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

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function sendError(res: ServerResponse, status: number, message: string | string[]): void {
  send(res, status, { message, error: ERROR_NAMES[status] ?? 'Error', statusCode: status });
}
