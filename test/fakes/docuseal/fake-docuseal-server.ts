import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson, readRequest, sendJson } from '../http-fake.ts';
import { DocuSealAccount, DocuSealHttpError, now } from './docuseal-account.ts';

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

export class FakeDocuSealServer extends DocuSealAccount {
  readonly apiKey: string;
  readonly basePath: string;
  /** Every request, in arrival order (failed, hung and unauthorised ones included). */
  readonly requests: RecordedRequest[] = [];

  private readonly planned: ({ kind: 'fail'; failure: FakeFailure } | { kind: 'hang' })[] = [];

  private constructor(options: FakeDocuSealOptions) {
    super(options.templates ?? { 1001: ['Seller', 'Buyer'] });
    this.apiKey = options.apiKey ?? `test-key-${randomBytes(6).toString('hex')}`;
    this.basePath = (options.basePath ?? '/api').replace(/\/+$/, '');
  }

  static async start(options: FakeDocuSealOptions = {}): Promise<FakeDocuSealServer> {
    const fake = new FakeDocuSealServer(options);
    await fake.listen();
    return fake;
  }

  /** What to configure as the adapter's baseUrl. */
  get url(): string {
    return `${this.origin}${this.basePath}`;
  }

  /** Forgets requests, queued failures, e-mails and data (templates stay). */
  reset(): void {
    this.requests.length = 0;
    this.planned.length = 0;
    this.forgetData();
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

  protected async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, query, headers, rawBody } = await readRequest(req);
    const body = parseJson(rawBody);
    this.requests.push({ method, path, query, headers, rawBody, body });

    const plan = this.planned.shift();
    if (plan?.kind === 'hang') return this.hold(res);
    if (plan?.kind === 'fail') {
      const { status, body: failBody, headers: failHeaders } = plan.failure;
      const answer = failBody ?? { error: status === 429 ? 'Too many requests' : 'Internal server error' };
      sendJson(res, status, answer, failHeaders);
      return;
    }

    if (req.headers['x-auth-token'] !== this.apiKey) {
      sendJson(res, 401, { error: 'Not authenticated' });
      return;
    }
    if (rawBody && body === null) {
      sendJson(res, 422, { error: 'JSON parse error' });
      return;
    }
    try {
      const [status, answer] = this.route(method, path, body);
      sendJson(res, status, answer);
    } catch (err) {
      if (err instanceof DocuSealHttpError) sendJson(res, err.status, { error: err.message });
      else sendJson(res, 500, { error: String(err) });
    }
  }

  private route(method: string, pathname: string, body: unknown): [number, unknown] {
    if (!pathname.startsWith(`${this.basePath}/`)) throw new DocuSealHttpError(404, 'Not found');
    const path = pathname.slice(this.basePath.length);
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/submissions') return [200, this.createSubmission(body)];
    if ((m = /^\/submissions\/(\d+)$/.exec(path))) {
      const id = Number(m[1]);
      if (method === 'GET') return [200, this.submissionJson(this.submission(id).id)];
      if (method === 'DELETE') return [200, this.archiveSubmission(id)];
    }
    if ((m = /^\/submitters\/(\d+)$/.exec(path))) {
      const id = Number(m[1]);
      if (method === 'GET') return [200, this.submitterJson(this.submitter(id).id)];
      if (method === 'PUT') return [200, this.updateSubmitter(id, body)];
    }
    throw new DocuSealHttpError(404, 'Not found');
  }
}
