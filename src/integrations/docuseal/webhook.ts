import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { SignatureEvent } from '../../domain/contracts/esignature.port.ts';
import { docuSealId } from './docuseal-api.ts';
import { singleHeader, type HeaderBag } from '../shared/headers.ts';

/**
 * DocuSeal webhooks: authenticity checks and parsing into the port's SignatureEvent.
 *
 * Payload (every event): `{"event_type": "...", "timestamp": "<ISO 8601>", "data": {...}}`.
 * - form.viewed / form.started / form.completed / form.declined: `data` is the submitter (`id`, `submission_id`,
 *   `email`, `external_id`, `status`, `role`, `metadata`, ..., and `submission: {id, status, ...}`).
 * - submission.created / submission.completed / submission.expired: `data` is the submission (`id`, `status`,
 *   `submitters: [...]`). submission.archived: `data` is `{id, archived_at}`.
 * - template.created / template.updated / template.archived: templates; not ours.
 *
 * Authentication. Our requirement: `X-DocuSeal-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with a shared
 * secret (the `sha256=` prefix optional), checked by verifyDocuSealSignature. DocuSeal itself offers two schemes,
 * both off unless configured in verifyDocuSealWebhook:
 * - a key/value "secret" header added to every request (Console → Webhooks → Security → Secret);
 * - an HMAC (Security → HMAC, secret `whsec_...`) in the same header name with a different value:
 *   `X-Docuseal-Signature: <unix seconds>.<hex HMAC-SHA256 of "<unix seconds>.<raw body>">`, 5 minutes' tolerance.
 */

export const DOCUSEAL_SIGNATURE_HEADER = 'x-docuseal-signature';

/** DocuSeal's tolerance for its timestamped signature. */
export const DOCUSEAL_SIGNATURE_TOLERANCE_SECONDS = 300;

const SHA256_HEX = /^(?:sha256=)?([0-9a-f]{64})$/i;
const TIMESTAMPED = /^(\d{1,12})\.([0-9a-f]{64})$/i;

/**
 * Our scheme: HMAC-SHA256 of the exact request bytes under `secret`, hex, with or without `sha256=`. Missing header,
 * empty secret, malformed or wrong value: false. The comparison is constant-time.
 */
export function verifyDocuSealSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!secret || typeof header !== 'string') return false;
  const match = SHA256_HEX.exec(header.trim());
  if (!match?.[1]) return false;
  return equalDigests(Buffer.from(match[1], 'hex'), createHmac('sha256', secret).update(rawBody).digest());
}

/** DocuSeal's own HMAC scheme (`<unix seconds>.<hex>`), with a replay window around `now`. */
export function verifyDocuSealTimestampedSignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  if (!secret || typeof header !== 'string') return false;
  const match = TIMESTAMPED.exec(header.trim());
  if (!match?.[1] || !match[2]) return false;
  const ts = Number(match[1]);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - ts) > (options.toleranceSeconds ?? DOCUSEAL_SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.`).update(rawBody).digest();
  return equalDigests(Buffer.from(match[2], 'hex'), expected);
}

export interface DocuSealWebhookAuth {
  /** Shared secret of our `sha256=` scheme; always accepted. */
  secret: string;
  /** Also accept DocuSeal's key/value secret header. Off unless set. */
  secretHeader?: { name: string; value: string } | null;
  /** Also accept DocuSeal's timestamped HMAC, with this signing secret (`whsec_...`). Off unless set. */
  docuSealSigningSecret?: string | null;
  now?: Date;
}

export type { HeaderBag };

/**
 * One decision for a webhook request: our HMAC, or one of DocuSeal's schemes if the settings enable it. A header
 * sent twice counts as missing.
 */
export function verifyDocuSealWebhook(rawBody: Buffer, headers: HeaderBag, auth: DocuSealWebhookAuth): boolean {
  const signature = singleHeader(headers, DOCUSEAL_SIGNATURE_HEADER);
  if (verifyDocuSealSignature(rawBody, signature, auth.secret)) return true;
  if (
    auth.docuSealSigningSecret &&
    verifyDocuSealTimestampedSignature(rawBody, signature, auth.docuSealSigningSecret, { now: auth.now })
  ) {
    return true;
  }
  if (auth.secretHeader?.name && auth.secretHeader.value) {
    const given = singleHeader(headers, auth.secretHeader.name);
    if (given !== undefined && equalStrings(given, auth.secretHeader.value)) return true;
  }
  return false;
}

const FORM_EVENTS = {
  'form.viewed': 'viewed',
  'form.started': 'started',
  'form.completed': 'completed',
  'form.declined': 'declined',
} as const;

const SUBMISSION_EVENTS = {
  'submission.completed': 'submission_completed',
  'submission.expired': 'submission_expired',
} as const;

const timestamp = z
  .string()
  .min(1)
  .transform((s, ctx) => {
    const at = new Date(s);
    if (Number.isNaN(at.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'not a date' });
      return z.NEVER;
    }
    return at;
  });

const formEventSchema = z.object({
  event_type: z.enum(Object.keys(FORM_EVENTS) as [keyof typeof FORM_EVENTS]),
  timestamp,
  data: z
    .object({
      id: docuSealId,
      submission_id: docuSealId.optional(),
      submission: z.object({ id: docuSealId }).nullish(),
      email: z.string().nullish(),
      external_id: z.string().nullish(),
    })
    .refine((d) => d.submission_id !== undefined || d.submission, 'no submission id'),
});

const submissionEventSchema = z.object({
  event_type: z.enum(Object.keys(SUBMISSION_EVENTS) as [keyof typeof SUBMISSION_EVENTS]),
  timestamp,
  data: z.object({ id: docuSealId }),
});

/**
 * A verified webhook body (parsed JSON) as a SignatureEvent. Event types we do not follow, and malformed bodies,
 * give null.
 *
 * `externalId` is the submitter's `external_id` (our signer row id) on form.* events and null on submission.*
 * events, which carry no single submitter.
 */
export function parseDocuSealWebhook(json: unknown): SignatureEvent | null {
  const form = formEventSchema.safeParse(json);
  if (form.success) {
    const { data } = form.data;
    const providerSubmissionId = data.submission_id ?? data.submission?.id;
    if (providerSubmissionId === undefined) return null;
    return {
      kind: FORM_EVENTS[form.data.event_type],
      providerSubmissionId,
      providerSubmitterId: data.id,
      email: data.email ?? null,
      externalId: data.external_id ?? null,
      at: form.data.timestamp,
    };
  }
  const submission = submissionEventSchema.safeParse(json);
  if (submission.success) {
    return {
      kind: SUBMISSION_EVENTS[submission.data.event_type],
      providerSubmissionId: submission.data.data.id,
      providerSubmitterId: null,
      email: null,
      externalId: null,
      at: submission.data.timestamp,
    };
  }
  return null;
}

function equalDigests(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time for any lengths: compares fixed-size hashes. */
function equalStrings(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
