/**
 * A failed call to an external provider, classified so callers (and our own retry loop) can tell a transient
 * failure from a permanent one.
 *
 * - `http`: the provider answered with a non-2xx status (`status` is set). 408, 429 and 5xx are retryable; any
 *   other 4xx is not.
 * - `timeout`: no complete answer within the per-call timeout. Retryable.
 * - `network`: the connection failed (refused, reset, DNS). Retryable.
 * - `invalid_response`: a 2xx whose body is not the documented shape. Not retryable.
 * - `invalid_request`: we refused to send the request (e.g. a non-numeric id). Not retryable.
 */
export type ProviderErrorKind = 'http' | 'timeout' | 'network' | 'invalid_response' | 'invalid_request';

export interface ProviderErrorInit {
  provider: string;
  operation: string;
  kind: ProviderErrorKind;
  status?: number | null;
  retryable: boolean;
  /**
   * True when the provider surely did not act on the request (429, connection refused, DNS failure, a request we
   * never sent), so even a non-idempotent call such as "create a submission" can be repeated without risking a
   * duplicate. A 5xx or a timeout leaves that open.
   */
  unprocessed?: boolean;
  /** From a Retry-After header, when the provider sent one. */
  retryAfterMs?: number | null;
  /** The provider's own error text, truncated. */
  detail?: string | null;
  cause?: unknown;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly provider: string;
  readonly operation: string;
  readonly kind: ProviderErrorKind;
  /** HTTP status, or null when there was no HTTP answer. */
  readonly status: number | null;
  readonly retryable: boolean;
  readonly unprocessed: boolean;
  readonly retryAfterMs: number | null;
  readonly detail: string | null;

  constructor(init: ProviderErrorInit) {
    const status = init.status ?? null;
    const what = status === null ? init.kind : `HTTP ${status}`;
    super(`${init.provider} ${init.operation} failed: ${what}${init.detail ? ` (${init.detail})` : ''}`, {
      cause: init.cause,
    });
    this.provider = init.provider;
    this.operation = init.operation;
    this.kind = init.kind;
    this.status = status;
    this.retryable = init.retryable;
    this.unprocessed = init.unprocessed ?? false;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.detail = init.detail ?? null;
  }
}

/** 408 and 429 and every 5xx are worth another try; the remaining 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
