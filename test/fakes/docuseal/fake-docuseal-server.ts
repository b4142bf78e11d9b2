import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An in-memory DocuSeal for tests, on 127.0.0.1 with a random port, speaking the shapes of the real REST API
 * (https://www.docuseal.com/docs/api; OpenAPI types of the `@docuseal/api` package):
 *
 *   POST /submissions, GET|DELETE /submissions/{id}, GET|PUT /submitters/{id}
 *
 * under a base path (default `/api`, as on-premises DocuSeal). Every request needs `X-Auth-Token: <apiKey>`
 * (401 `{"error":"Not authenticated"}`). Requests are recorded; failures and hangs can be queued; helpers move a
 * signer through opened/started/completed/declined and build the webhook DocuSeal would send, signed.
 */

export interface FakeDocuSealOptions {
  apiKey?: string;
  basePath?: string;
  /** Template id → its roles. Default: 1001 with Seller and Buyer. */
  templates?: Record<number, string[]>;
}

export interface RecordedRequest {
  method: string;
  /** Full path, base path included, without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** Parsed JSON, or null for an empty or non-JSON body. */
  body: unknown;
}

export interface FakeFailure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type DocuSealEventType =
  | 'form.viewed'
  | 'form.started'
  | 'form.completed'
  | 'form.declined'
  | 'submission.created'
  | 'submission.completed'
  | 'submission.expired'
  | 'submission.archived';

export interface DocuSealWebhookEvent {
  event_type: DocuSealEventType | (string & {});
  timestamp: string;
  data: Record<string, unknown>;
}

export interface SignedWebhook {
  event: DocuSealWebhookEvent;
  rawBody: Buffer;
  headers: Record<string, string>;
}

interface FakeSubmitter {
  id: number;
  submissionId: number;
  uuid: string;
  slug: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  role: string;
  externalId: string | null;
  metadata: Record<string, unknown>;
  group: number;
  sendEmail: boolean;
  sentAt: string | null;
  openedAt: string | null;
  completedAt: string | null;
  declinedAt: string | null;
  declineReason: string | null;
  createdAt: string;
  updatedAt: string;
}

interface FakeSubmission {
  id: number;
  slug: string;
  templateId: number;
  order: 'preserved' | 'random';
  expireAt: string | null;
  expired: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  submitterIds: number[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class FakeDocuSealServer {
  readonly apiKey: string;
  readonly basePath: string;
  /** Every request, in arrival order (failed, hung and unauthorised ones included). */
  readonly requests: RecordedRequest[] = [];
  /** Signature-request e-mails DocuSeal would have sent: on creation and on PUT send_email. */
  readonly emails: { submitterId: number; email: string | null; kind: 'request' | 'resend' }[] = [];

  private readonly server: Server;
  private readonly templates = new Map<number, string[]>();
  private readonly submissions = new Map<number, FakeSubmission>();
  private readonly submitters = new Map<number, FakeSubmitter>();
  private readonly planned: ({ kind: 'fail'; failure: FakeFailure } | { kind: 'hang' })[] = [];
  // Ids start at a random base, as a real account's do: a reused test database may hold
  // contracts from earlier runs whose submission ids must not collide with this run's.
  private nextSubmissionId = 500 + Math.floor(Math.random() * 1e9);
  private nextSubmitterId = 9000 + Math.floor(Math.random() * 1e9);
  private port = 0;

  private constructor(options: FakeDocuSealOptions) {
    this.apiKey = options.apiKey ?? `test-key-${randomBytes(6).toString('hex')}`;
    this.basePath = (options.basePath ?? '/api').replace(/\/+$/, '');
    for (const [id, roles] of Object.entries(options.templates ?? { 1001: ['Seller', 'Buyer'] })) {
      this.templates.set(Number(id), roles);
    }
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: FakeDocuSealOptions = {}): Promise<FakeDocuSealServer> {
    const fake = new FakeDocuSealServer(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What to configure as the adapter's baseUrl. */
  get url(): string {
    return `${this.origin}${this.basePath}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets requests, queued failures, e-mails and data (templates stay). */
  reset(): void {
    this.requests.length = 0;
    this.emails.length = 0;
    this.planned.length = 0;
    this.submissions.clear();
    this.submitters.clear();
  }

  addTemplate(id: number, roles: string[]): void {
    this.templates.set(id, roles);
  }

  /** The next `count` requests get this answer instead of being served. */
  failNext(count: number, failure: FakeFailure = { status: 500 }): void {
    for (let i = 0; i < count; i++) this.planned.push({ kind: 'fail', failure });
  }

  /** The next `count` requests are read and never answered (until close()). */
  hangNext(count = 1): void {
    for (let i = 0; i < count; i++) this.planned.push({ kind: 'hang' });
  }

  requestsTo(method: string, pathSuffix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === `${this.basePath}${pathSuffix}`);
  }

  // ---- state as the API shows it ----

  submissionJson(id: number): Record<string, unknown> {
    const sub = this.submission(id);
    const submitters = sub.submitterIds.map((sid) => this.submitterJson(sid));
    const statuses = submitters.map((s) => s.status);
    const status = statuses.includes('declined')
      ? 'declined'
      : statuses.every((s) => s === 'completed')
        ? 'completed'
        : this.isExpired(sub)
          ? 'expired'
          : 'pending';
    const completedAt =
      status === 'completed'
        ? (submitters
            .map((s) => s.completed_at as string)
            .sort()
            .at(-1) ?? null)
        : null;
    return {
      id: sub.id,
      name: null,
      slug: sub.slug,
      source: 'api',
      submitters_order: sub.order,
      audit_log_url: null,
      combined_document_url: null,
      created_at: sub.createdAt,
      updated_at: sub.updatedAt,
      archived_at: sub.archivedAt,
      expire_at: sub.expireAt,
      variables: {},
      submitters,
      template: { id: sub.templateId, name: `Template ${sub.templateId}`, external_id: null, folder_name: 'Default' },
      created_by_user: null,
      submission_events: [],
      documents: [],
      status,
      completed_at: completedAt,
    };
  }

  submitterJson(id: number): Record<string, unknown> & { status: string } {
    const s = this.submitter(id);
    const status = s.declinedAt
      ? 'declined'
      : s.completedAt
        ? 'completed'
        : s.openedAt
          ? 'opened'
          : s.sentAt
            ? 'sent'
            : 'awaiting';
    return {
      id: s.id,
      submission_id: s.submissionId,
      uuid: s.uuid,
      email: s.email,
      slug: s.slug,
      sent_at: s.sentAt,
      opened_at: s.openedAt,
      completed_at: s.completedAt,
      declined_at: s.declinedAt,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      name: s.name,
      phone: s.phone,
      external_id: s.externalId,
      status,
      role: s.role,
      metadata: s.metadata,
      preferences: { send_email: s.sendEmail },
      values: [],
      documents: [],
    };
  }

  /** Submitter ids of a submission, in creation order. */
  submitterIdsOf(submissionId: number | string): number[] {
    return [...this.submission(Number(submissionId)).submitterIds];
  }

  // ---- simulated signer activity; each returns the webhook events DocuSeal would emit ----

  simulateOpen(submitterId: number | string): DocuSealWebhookEvent[] {
    const s = this.submitter(Number(submitterId));
    s.openedAt ??= now();
    s.updatedAt = now();
    return [this.formEvent('form.viewed', s.id)];
  }

  simulateStart(submitterId: number | string): DocuSealWebhookEvent[] {
    const s = this.submitter(Number(submitterId));
    s.openedAt ??= now();
    s.updatedAt = now();
    return [this.formEvent('form.started', s.id)];
  }

  simulateComplete(submitterId: number | string): DocuSealWebhookEvent[] {
    const s = this.submitter(Number(submitterId));
    if (s.completedAt || s.declinedAt) throw new Error(`submitter ${s.id} already finished`);
    s.openedAt ??= now();
    s.completedAt = now();
    s.updatedAt = now();
    const sub = this.submission(s.submissionId);
    const events = [this.formEvent('form.completed', s.id)];
    const rest = sub.submitterIds.map((id) => this.submitter(id));
    if (rest.every((x) => x.completedAt)) {
      events.push(this.submissionEvent('submission.completed', sub.id));
    } else if (sub.order === 'preserved') {
      this.inviteNextGroup(sub);
    }
    return events;
  }

  simulateDecline(submitterId: number | string, reason = 'Not agreed'): DocuSealWebhookEvent[] {
    const s = this.submitter(Number(submitterId));
    if (s.completedAt || s.declinedAt) throw new Error(`submitter ${s.id} already finished`);
    s.openedAt ??= now();
    s.declinedAt = now();
    s.declineReason = reason;
    s.updatedAt = now();
    return [this.formEvent('form.declined', s.id)];
  }

  simulateExpire(submissionId: number | string): DocuSealWebhookEvent[] {
    const sub = this.submission(Number(submissionId));
    sub.expired = true;
    sub.updatedAt = now();
    return [this.submissionEvent('submission.expired', sub.id)];
  }

  formEvent(type: DocuSealEventType, submitterId: number): DocuSealWebhookEvent {
    const s = this.submitter(submitterId);
    const submission = this.submissionJson(s.submissionId);
    return {
      event_type: type,
      timestamp: now(),
      data: {
        ...this.submitterJson(submitterId),
        ua: 'Mozilla/5.0',
        ip: '203.0.113.7',
        decline_reason: s.declineReason,
        audit_log_url: null,
        submission_url: `${this.origin}/e/${submission.slug as string}`,
        template: submission.template,
        submission: {
          id: submission.id,
          audit_log_url: null,
          combined_document_url: null,
          status: submission.status,
          url: `${this.origin}/e/${submission.slug as string}`,
          variables: {},
          created_at: submission.created_at,
        },
      },
    };
  }

  submissionEvent(type: DocuSealEventType, submissionId: number): DocuSealWebhookEvent {
    return { event_type: type, timestamp: now(), data: this.submissionJson(submissionId) };
  }

  /** Our scheme: `X-DocuSeal-Signature: sha256=<hex HMAC-SHA256(raw body)>` (prefix optional). */
  signWebhook(event: DocuSealWebhookEvent, secret: string, options: { prefix?: boolean } = {}): SignedWebhook {
    const rawBody = Buffer.from(JSON.stringify(event));
    const hex = createHmac('sha256', secret).update(rawBody).digest('hex');
    return {
      event,
      rawBody,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'DocuSeal.com Webhook',
        'x-docuseal-signature': options.prefix === false ? hex : `sha256=${hex}`,
      },
    };
  }

  /** DocuSeal's own HMAC scheme: `X-Docuseal-Signature: <unix seconds>.<hex HMAC-SHA256("<ts>.<raw body>")>`. */
  signWebhookLikeDocuSeal(event: DocuSealWebhookEvent, signingSecret: string, at = new Date()): SignedWebhook {
    const rawBody = Buffer.from(JSON.stringify(event));
    const ts = Math.floor(at.getTime() / 1000);
    const hex = createHmac('sha256', signingSecret)
      .update(`${ts}.${rawBody.toString('utf8')}`)
      .digest('hex');
    return {
      event,
      rawBody,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'DocuSeal.com Webhook',
        'x-docuseal-signature': `${ts}.${hex}`,
      },
    };
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.origin);
    const body = parseJson(rawBody);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      rawBody,
      body,
    });

    const plan = this.planned.shift();
    if (plan?.kind === 'hang') return;
    if (plan?.kind === 'fail') {
      const { status, body: failBody, headers } = plan.failure;
      send(res, status, failBody ?? { error: status === 429 ? 'Too many requests' : 'Internal server error' }, headers);
      return;
    }

    if (req.headers['x-auth-token'] !== this.apiKey) {
      send(res, 401, { error: 'Not authenticated' });
      return;
    }
    if (rawBody && body === null) {
      send(res, 422, { error: 'JSON parse error' });
      return;
    }
    try {
      const [status, answer] = this.route(req.method ?? 'GET', url.pathname, body);
      send(res, status, answer);
    } catch (err) {
      if (err instanceof HttpError) send(res, err.status, { error: err.message });
      else send(res, 500, { error: String(err) });
    }
  }

  private route(method: string, pathname: string, body: unknown): [number, unknown] {
    if (!pathname.startsWith(`${this.basePath}/`)) throw new HttpError(404, 'Not found');
    const path = pathname.slice(this.basePath.length);
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/submissions') return [200, this.createSubmission(body)];
    if ((m = /^\/submissions\/(\d+)$/.exec(path))) {
      const id = Number(m[1]);
      if (method === 'GET') return [200, this.submissionJson(this.submission(id).id)];
      if (method === 'DELETE') {
        const sub = this.submission(id);
        sub.archivedAt = now();
        sub.updatedAt = sub.archivedAt;
        return [200, { id: sub.id, archived_at: sub.archivedAt }];
      }
    }
    if ((m = /^\/submitters\/(\d+)$/.exec(path))) {
      const id = Number(m[1]);
      if (method === 'GET') return [200, this.submitterJson(this.submitter(id).id)];
      if (method === 'PUT') return [200, this.updateSubmitter(id, body)];
    }
    throw new HttpError(404, 'Not found');
  }

  private createSubmission(body: unknown): unknown[] {
    if (!isObject(body)) throw new HttpError(422, 'template_id is required');
    const templateId = body.template_id;
    if (templateId === undefined) throw new HttpError(422, 'template_id is required');
    const roles = typeof templateId === 'number' ? this.templates.get(templateId) : undefined;
    if (!roles || typeof templateId !== 'number') throw new HttpError(422, 'Template not found');
    if (body.send_email !== undefined && typeof body.send_email !== 'boolean') {
      throw new HttpError(422, 'send_email must be a boolean');
    }
    const order = body.order ?? 'preserved';
    if (order !== 'preserved' && order !== 'random') throw new HttpError(422, 'order must be preserved or random');
    if (body.message !== undefined) {
      if (!isObject(body.message) || typeof body.message.body !== 'string') {
        throw new HttpError(422, 'message.body is required');
      }
    }
    if (body.expire_at !== undefined && Number.isNaN(Date.parse(String(body.expire_at)))) {
      throw new HttpError(422, 'expire_at is not a date');
    }
    const list = body.submitters;
    if (!Array.isArray(list) || list.length === 0) throw new HttpError(422, 'submitters is required');

    const created = now();
    const sub: FakeSubmission = {
      id: this.nextSubmissionId++,
      slug: randomBytes(7).toString('base64url'),
      templateId,
      order,
      expireAt: body.expire_at === undefined ? null : new Date(String(body.expire_at)).toISOString(),
      expired: false,
      archivedAt: null,
      createdAt: created,
      updatedAt: created,
      submitterIds: [],
    };
    const sendEmail = body.send_email !== false;
    const parsed = list.map((raw, index) => {
      if (!isObject(raw)) throw new HttpError(422, 'submitter must be an object');
      if (!raw.email && !raw.phone && !raw.name) throw new HttpError(422, 'email, phone or name is required');
      const role = raw.role === undefined ? roles[index] : raw.role;
      if (typeof role !== 'string' || !roles.includes(role)) {
        throw new HttpError(422, `Unknown submitter role: ${String(role)}`);
      }
      const group = raw.order === undefined ? index : raw.order;
      if (typeof group !== 'number') throw new HttpError(422, 'order must be a number');
      return { raw, role, group };
    });
    for (const { raw, role, group } of parsed) {
      const s: FakeSubmitter = {
        id: this.nextSubmitterId++,
        submissionId: sub.id,
        uuid: randomUUID(),
        slug: randomBytes(7).toString('base64url'),
        email: typeof raw.email === 'string' ? raw.email.toLowerCase() : null,
        name: typeof raw.name === 'string' ? raw.name : null,
        phone: typeof raw.phone === 'string' ? raw.phone : null,
        role,
        externalId: typeof raw.external_id === 'string' ? raw.external_id : null,
        metadata: isObject(raw.metadata) ? raw.metadata : {},
        group,
        sendEmail: raw.send_email !== false && sendEmail,
        sentAt: null,
        openedAt: null,
        completedAt: null,
        declinedAt: null,
        declineReason: null,
        createdAt: created,
        updatedAt: created,
      };
      this.submitters.set(s.id, s);
      sub.submitterIds.push(s.id);
    }
    this.submissions.set(sub.id, sub);
    if (order === 'random') {
      for (const id of sub.submitterIds) this.invite(this.submitter(id), 'request');
    } else {
      this.inviteNextGroup(sub);
    }
    return sub.submitterIds.map((id) => ({
      ...this.submitterJson(id),
      embed_src: `${this.origin}/s/${this.submitter(id).slug}`,
    }));
  }

  private updateSubmitter(id: number, body: unknown): unknown {
    const s = this.submitter(id);
    if (s.completedAt) throw new HttpError(422, 'Submitter has already completed the submission.');
    if (!isObject(body)) return this.submitterJson(id);
    if (typeof body.email === 'string') s.email = body.email.toLowerCase();
    if (typeof body.name === 'string') s.name = body.name;
    if (typeof body.external_id === 'string') s.externalId = body.external_id;
    s.updatedAt = now();
    if (body.send_email === true) this.invite(s, 'resend');
    return { ...this.submitterJson(id), embed_src: `${this.origin}/s/${s.slug}` };
  }

  /** Preserved order: e-mail the lowest group that has not finished. */
  private inviteNextGroup(sub: FakeSubmission): void {
    const open = sub.submitterIds.map((id) => this.submitter(id)).filter((s) => !s.completedAt && !s.declinedAt);
    const first = Math.min(...open.map((s) => s.group));
    for (const s of open) if (s.group === first && !s.sentAt) this.invite(s, 'request');
  }

  private invite(s: FakeSubmitter, kind: 'request' | 'resend'): void {
    if (!s.sendEmail && kind === 'request') return;
    s.sentAt = now();
    s.updatedAt = s.sentAt;
    this.emails.push({ submitterId: s.id, email: s.email, kind });
  }

  private isExpired(sub: FakeSubmission): boolean {
    return sub.expired || (sub.expireAt !== null && Date.parse(sub.expireAt) < Date.now());
  }

  private submission(id: number): FakeSubmission {
    const sub = this.submissions.get(id);
    if (!sub) throw new HttpError(404, 'Not found');
    return sub;
  }

  private submitter(id: number): FakeSubmitter {
    const s = this.submitters.get(id);
    if (!s) throw new HttpError(404, 'Not found');
    return s;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
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

function now(): string {
  return new Date().toISOString();
}
