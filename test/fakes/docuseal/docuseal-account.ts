import { randomUUID, randomBytes } from 'node:crypto';
import { HttpFake, isRecord } from '../http-fake.ts';

/**
 * The account behind the fake DocuSeal (fake-docuseal-server.ts): its templates, submissions and submitters, the
 * JSON the API shows for them, submissions created and submitters updated as the API checks them, and the
 * signature-request e-mails DocuSeal would send.
 */

export interface FakeSubmitter {
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

export interface FakeSubmission {
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

/** An error the API answers with `{"error": message}`. */
export class DocuSealHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export abstract class DocuSealAccount extends HttpFake {
  /** Signature-request e-mails DocuSeal would have sent: on creation and on PUT send_email. */
  readonly emails: { submitterId: number; email: string | null; kind: 'request' | 'resend' }[] = [];

  private readonly templates = new Map<number, string[]>();
  private readonly submissions = new Map<number, FakeSubmission>();
  private readonly submitters = new Map<number, FakeSubmitter>();
  // Ids start at a random base, as a real account's do: a reused test database may hold
  // contracts from earlier runs whose submission ids must not collide with this run's.
  private nextSubmissionId = 500 + Math.floor(Math.random() * 1e9);
  private nextSubmitterId = 9000 + Math.floor(Math.random() * 1e9);

  protected constructor(templates: Record<number, string[]>) {
    super();
    for (const [id, roles] of Object.entries(templates)) this.templates.set(Number(id), roles);
  }

  addTemplate(id: number, roles: string[]): void {
    this.templates.set(id, roles);
  }

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

  /** Forgets e-mails, submissions and submitters (templates stay). */
  protected forgetData(): void {
    this.emails.length = 0;
    this.submissions.clear();
    this.submitters.clear();
  }

  protected archiveSubmission(id: number): unknown {
    const sub = this.submission(id);
    sub.archivedAt = now();
    sub.updatedAt = sub.archivedAt;
    return { id: sub.id, archived_at: sub.archivedAt };
  }

  protected createSubmission(body: unknown): unknown[] {
    if (!isRecord(body)) throw new DocuSealHttpError(422, 'template_id is required');
    const templateId = body.template_id;
    if (templateId === undefined) throw new DocuSealHttpError(422, 'template_id is required');
    const roles = typeof templateId === 'number' ? this.templates.get(templateId) : undefined;
    if (!roles || typeof templateId !== 'number') throw new DocuSealHttpError(422, 'Template not found');
    if (body.send_email !== undefined && typeof body.send_email !== 'boolean') {
      throw new DocuSealHttpError(422, 'send_email must be a boolean');
    }
    const order = body.order ?? 'preserved';
    if (order !== 'preserved' && order !== 'random')
      throw new DocuSealHttpError(422, 'order must be preserved or random');
    if (body.message !== undefined) {
      if (!isRecord(body.message) || typeof body.message.body !== 'string') {
        throw new DocuSealHttpError(422, 'message.body is required');
      }
    }
    if (body.expire_at !== undefined && Number.isNaN(Date.parse(String(body.expire_at)))) {
      throw new DocuSealHttpError(422, 'expire_at is not a date');
    }
    const list = body.submitters;
    if (!Array.isArray(list) || list.length === 0) throw new DocuSealHttpError(422, 'submitters is required');

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
      if (!isRecord(raw)) throw new DocuSealHttpError(422, 'submitter must be an object');
      if (!raw.email && !raw.phone && !raw.name) throw new DocuSealHttpError(422, 'email, phone or name is required');
      const role = raw.role === undefined ? roles[index] : raw.role;
      if (typeof role !== 'string' || !roles.includes(role)) {
        throw new DocuSealHttpError(422, `Unknown submitter role: ${String(role)}`);
      }
      const group = raw.order === undefined ? index : raw.order;
      if (typeof group !== 'number') throw new DocuSealHttpError(422, 'order must be a number');
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
        metadata: isRecord(raw.metadata) ? raw.metadata : {},
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

  protected updateSubmitter(id: number, body: unknown): unknown {
    const s = this.submitter(id);
    if (s.completedAt) throw new DocuSealHttpError(422, 'Submitter has already completed the submission.');
    if (!isRecord(body)) return this.submitterJson(id);
    if (typeof body.email === 'string') s.email = body.email.toLowerCase();
    if (typeof body.name === 'string') s.name = body.name;
    if (typeof body.external_id === 'string') s.externalId = body.external_id;
    s.updatedAt = now();
    if (body.send_email === true) this.invite(s, 'resend');
    return { ...this.submitterJson(id), embed_src: `${this.origin}/s/${s.slug}` };
  }

  /** Preserved order: e-mail the lowest group that has not finished. */
  protected inviteNextGroup(sub: FakeSubmission): void {
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

  protected submission(id: number): FakeSubmission {
    const sub = this.submissions.get(id);
    if (!sub) throw new DocuSealHttpError(404, 'Not found');
    return sub;
  }

  protected submitter(id: number): FakeSubmitter {
    const s = this.submitters.get(id);
    if (!s) throw new DocuSealHttpError(404, 'Not found');
    return s;
  }
}

export function now(): string {
  return new Date().toISOString();
}
