import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import type { SignerStatus } from '../../domain/contracts/contract.entity.ts';
import type {
  ESignatureProvider,
  ProviderSubmission,
  ProviderSubmitter,
  SignatureRequest,
} from '../../domain/contracts/esignature.port.ts';
import {
  docuSealCreateSubmissionResponseSchema,
  docuSealSubmissionSchema,
  type DocuSealCreateSubmissionBody,
  type DocuSealSubmitter,
  type DocuSealSubmitterStatus,
  type DocuSealUpdateSubmitterBody,
} from './docuseal-api.ts';
import { isRetryableStatus, ProviderError } from './provider-error.ts';

export const DOCUSEAL_DEFAULT_BASE_URL = 'https://api.docuseal.com';

export interface DocuSealProviderOptions {
  apiKey: string;
  /** https://api.docuseal.com (default), https://api.docuseal.eu, or https://<host>/api on-premises. */
  baseUrl?: string;
  /** Deadline of one HTTP attempt, response body included. Default 10 000. */
  timeoutMs?: number;
  /** Further attempts after the first for a retryable failure. Default 2. */
  maxRetries?: number;
  /** First backoff delay; doubles per attempt, with jitter. Default 250. */
  retryBaseDelayMs?: number;
  /** Longest wait between attempts; a Retry-After beyond it ends the retries. Default 5 000. */
  retryMaxDelayMs?: number;
  /** Whether DocuSeal e-mails the signing requests itself. Default true. */
  sendEmail?: boolean;
}

/** Metadata key under which each submitter carries our contract id (DocuSeal has no submission-level external id). */
export const CONTRACT_EXTERNAL_ID_METADATA_KEY = 'contract_external_id';

const SIGNING_LINK = '{{submitter.link}}';

const SIGNER_STATUS: Record<DocuSealSubmitterStatus, SignerStatus> = {
  awaiting: 'pending',
  sent: 'pending',
  opened: 'opened',
  completed: 'completed',
  declined: 'declined',
};

/** Connection failures where the request cannot have reached DocuSeal. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface CallSpec<T> {
  operation: string;
  method: Method;
  path: string;
  body?: unknown;
  /** Parses a 2xx body; null when the body is ignored. */
  schema: z.ZodType<T> | null;
  /**
   * Safe to repeat after an unknown outcome. Non-idempotent calls are repeated only when the error says DocuSeal
   * did not act on them (429, connection refused), so a 5xx or a timeout never creates a second submission.
   */
  idempotent: boolean;
}

/** The e-signature port on DocuSeal's REST API, over fetch. */
export class DocuSealProvider implements ESignatureProvider {
  readonly name = 'docuseal';
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly sendEmail: boolean;

  constructor(options: DocuSealProviderOptions) {
    if (!options.apiKey) throw new Error('DocuSeal: apiKey is required');
    const baseUrl = (options.baseUrl ?? DOCUSEAL_DEFAULT_BASE_URL).replace(/\/+$/, '');
    const parsed = new URL(baseUrl);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new Error(`DocuSeal: baseUrl must be http(s), got ${parsed.protocol}`);
    }
    this.apiKey = options.apiKey;
    this.baseUrl = baseUrl;
    this.timeoutMs = positive(options.timeoutMs, 10_000, 'timeoutMs');
    this.maxRetries = Math.floor(nonNegative(options.maxRetries, 2, 'maxRetries'));
    this.retryBaseDelayMs = nonNegative(options.retryBaseDelayMs, 250, 'retryBaseDelayMs');
    this.retryMaxDelayMs = nonNegative(options.retryMaxDelayMs, 5_000, 'retryMaxDelayMs');
    this.sendEmail = options.sendEmail ?? true;
  }

  async createSubmission(req: SignatureRequest): Promise<ProviderSubmission> {
    const operation = 'createSubmission';
    const body = this.buildCreateBody(req);
    const submitters = await this.call({
      operation,
      method: 'POST',
      path: '/submissions',
      body,
      schema: docuSealCreateSubmissionResponseSchema,
      idempotent: false,
    });
    const submissionIds = new Set(submitters.map((s) => s.submission_id));
    const [providerSubmissionId] = [...submissionIds];
    if (submissionIds.size !== 1 || providerSubmissionId === undefined) {
      throw invalidResponse(operation, `expected one submission, got ${submissionIds.size}`);
    }
    return { providerSubmissionId, status: 'pending', submitters: submitters.map(toProviderSubmitter) };
  }

  async getSubmission(providerSubmissionId: string): Promise<ProviderSubmission> {
    const operation = 'getSubmission';
    const submission = await this.call({
      operation,
      method: 'GET',
      path: `/submissions/${numericId(operation, providerSubmissionId)}`,
      schema: docuSealSubmissionSchema,
      idempotent: true,
    });
    return {
      providerSubmissionId: submission.id,
      status: submission.status,
      submitters: submission.submitters.map(toProviderSubmitter),
    };
  }

  async remind(providerSubmitterId: string): Promise<void> {
    const operation = 'remind';
    const body: DocuSealUpdateSubmitterBody = { send_email: true };
    await this.call({
      operation,
      method: 'PUT',
      path: `/submitters/${numericId(operation, providerSubmitterId)}`,
      body,
      schema: null,
      idempotent: false,
    });
  }

  async archive(providerSubmissionId: string): Promise<void> {
    const operation = 'archive';
    await this.call({
      operation,
      method: 'DELETE',
      path: `/submissions/${numericId(operation, providerSubmissionId)}`,
      schema: null,
      idempotent: true,
    });
  }

  /** The POST /submissions body for a request. Throws a non-retryable ProviderError for what DocuSeal cannot take. */
  buildCreateBody(req: SignatureRequest): DocuSealCreateSubmissionBody {
    const operation = 'createSubmission';
    const templateId = req.providerTemplateId?.trim() ?? '';
    if (!/^\d+$/.test(templateId)) {
      throw invalidRequest(operation, 'DocuSeal needs a numeric providerTemplateId (upload the template first)');
    }
    if (req.signers.length === 0) throw invalidRequest(operation, 'at least one signer is required');

    const sequential = req.order === 'sequential';
    // Stable sort: DocuSeal's 'preserved' order follows the array (and the groups given by `order`).
    const signers = [...req.signers].sort((a, b) => a.order - b.order);
    const body: DocuSealCreateSubmissionBody = {
      template_id: Number(templateId),
      send_email: this.sendEmail,
      order: sequential ? 'preserved' : 'random',
      submitters: signers.map((s) => ({
        role: s.role,
        email: s.email,
        name: s.name,
        external_id: s.externalId,
        ...(sequential ? { order: Math.max(0, s.order - 1) } : {}),
        metadata: { [CONTRACT_EXTERNAL_ID_METADATA_KEY]: req.externalId },
      })),
    };
    const message = req.message?.trim();
    if (message) {
      // A custom body replaces DocuSeal's e-mail text, so it must carry the signing link itself.
      body.message = {
        subject: req.documentName,
        body: message.includes(SIGNING_LINK) ? message : `${message}\n\n${SIGNING_LINK}`,
      };
    }
    if (req.expiresAt) {
      if (Number.isNaN(req.expiresAt.getTime())) throw invalidRequest(operation, 'expiresAt is not a valid date');
      body.expire_at = req.expiresAt.toISOString();
    }
    return body;
  }

  private async call<T>(spec: CallSpec<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(spec);
      } catch (err) {
        const delay = this.retryDelay(spec, err, attempt);
        if (delay === null) throw err;
        await sleep(delay);
      }
    }
  }

  /** Milliseconds to wait before the next attempt, or null to give up. */
  private retryDelay(spec: CallSpec<unknown>, err: unknown, attempt: number): number | null {
    if (!(err instanceof ProviderError) || !err.retryable || attempt >= this.maxRetries) return null;
    if (!spec.idempotent && !err.unprocessed) return null;
    const exp = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** attempt);
    const backoff = exp / 2 + (Math.random() * exp) / 2;
    if (err.retryAfterMs === null) return backoff;
    if (err.retryAfterMs > this.retryMaxDelayMs) return null;
    return Math.max(backoff, err.retryAfterMs);
  }

  private async attempt<T>(spec: CallSpec<T>): Promise<T> {
    const { operation } = spec;
    const signal = AbortSignal.timeout(this.timeoutMs);
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const res = await fetch(`${this.baseUrl}${spec.path}`, {
        method: spec.method,
        headers: {
          'X-Auth-Token': this.apiKey,
          Accept: 'application/json',
          ...(spec.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
        redirect: 'error',
      });
      status = res.status;
      headers = res.headers;
      text = await res.text();
    } catch (err) {
      throw transportError(operation, err);
    }

    if (status < 200 || status >= 300) {
      throw new ProviderError({
        provider: 'docuseal',
        operation,
        kind: 'http',
        status,
        retryable: isRetryableStatus(status),
        unprocessed: status === 429,
        retryAfterMs: parseRetryAfter(headers.get('retry-after')),
        detail: errorDetail(text),
      });
    }
    if (spec.schema === null) return undefined as T;

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw invalidResponse(operation, 'body is not JSON', cause);
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalidResponse(operation, issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'bad shape');
    }
    return parsed.data;
  }
}

function toProviderSubmitter(s: DocuSealSubmitter): ProviderSubmitter {
  return {
    providerSubmitterId: s.id,
    email: s.email ?? '',
    role: s.role ?? '',
    status: SIGNER_STATUS[s.status],
    url: s.embed_src ?? null,
    externalId: s.external_id ?? null,
  };
}

function numericId(operation: string, id: string): string {
  if (!/^\d+$/.test(id)) throw invalidRequest(operation, `not a DocuSeal id: ${JSON.stringify(id.slice(0, 40))}`);
  return id;
}

function transportError(operation: string, err: unknown): ProviderError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ProviderError({ provider: 'docuseal', operation, kind: 'timeout', retryable: true, cause: err });
  }
  const code = errorCode(err);
  return new ProviderError({
    provider: 'docuseal',
    operation,
    kind: 'network',
    retryable: true,
    unprocessed: code !== null && NOT_SENT_CODES.has(code),
    detail: code,
    cause: err,
  });
}

/** fetch wraps socket errors: TypeError('fetch failed', { cause: { code } }). */
function errorCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function invalidResponse(operation: string, detail: string, cause?: unknown): ProviderError {
  return new ProviderError({
    provider: 'docuseal',
    operation,
    kind: 'invalid_response',
    retryable: false,
    detail,
    cause,
  });
}

function invalidRequest(operation: string, detail: string): ProviderError {
  return new ProviderError({
    provider: 'docuseal',
    operation,
    kind: 'invalid_request',
    retryable: false,
    unprocessed: true,
    detail,
  });
}

/** DocuSeal errors are `{"error": "..."}`; keep that text, or the start of the body. */
function errorDetail(text: string): string | null {
  if (!text) return null;
  let detail = text;
  try {
    const json: unknown = JSON.parse(text);
    if (json && typeof json === 'object' && typeof (json as { error?: unknown }).error === 'string') {
      detail = (json as { error: string }).error;
    }
  } catch {
    // not JSON: keep the raw text
  }
  return detail.length > 200 ? `${detail.slice(0, 200)}…` : detail;
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`DocuSeal: ${name} must be a positive number`);
  return v;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`DocuSeal: ${name} must be a non-negative number`);
  return v;
}
