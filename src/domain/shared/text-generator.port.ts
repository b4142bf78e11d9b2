/**
 * Text generation by a large language model, as the domain sees it: one system prompt, one user prompt, one
 * answer. Vendor adapters (OpenAI, Anthropic) live in src/integrations/llm/; nothing here knows an SDK.
 */

export interface TextGenerationRequest {
  /** Instructions for the model (role, tone, output rules). */
  system: string;
  /** The user turn. */
  prompt: string;
  /** Upper bound on generated tokens. */
  maxTokens: number;
  /** Sampling temperature; the provider's default when omitted. */
  temperature?: number;
  /** Ask for a JSON object answer; `text` is then the JSON text of one object. */
  json?: boolean;
  /** Deadline of one attempt, overriding the adapter's default. Retries get the same deadline again. */
  timeoutMs?: number;
}

export interface TextGenerationResult {
  text: string;
  /** The model that answered, as the provider reports it (may be a dated snapshot of the configured one). */
  model: string;
  provider: string;
  /** Prompt tokens billed, cached ones included; null when the provider did not say. */
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface TextGenerator {
  readonly provider: string;
  /** The configured model id. */
  readonly model: string;
  /** Resolves with the answer or rejects with a TextGenerationError. */
  generate(req: TextGenerationRequest): Promise<TextGenerationResult>;
}

/**
 * - `http`: the provider answered with an error status (`status` is set).
 * - `timeout`: no answer within the deadline.
 * - `connection`: the request did not get through (refused, reset, DNS).
 * - `invalid_response`: a success whose content is unusable (empty, a refusal, no JSON object when one was asked for).
 * - `invalid_request`: the request was refused before it was sent (bad options or credentials).
 */
export type TextGenerationErrorKind = 'http' | 'timeout' | 'connection' | 'invalid_response' | 'invalid_request';

export interface TextGenerationErrorInit {
  provider: string;
  kind: TextGenerationErrorKind;
  retryable: boolean;
  status?: number | null;
  /** The provider's error type or code, e.g. `authentication_error`, `rate_limit_exceeded`. */
  code?: string | null;
  /** The provider's request id, for support tickets. */
  requestId?: string | null;
  /** The provider's own error text, truncated. May echo request details: log it as sensitive. */
  detail?: string | null;
  cause?: unknown;
}

/** A failed generation. Retryable means trying again later may succeed; the adapter has already retried. */
export class TextGenerationError extends Error {
  override readonly name = 'TextGenerationError';
  readonly provider: string;
  readonly kind: TextGenerationErrorKind;
  readonly retryable: boolean;
  /** HTTP status, or null when there was no HTTP error answer. */
  readonly status: number | null;
  readonly code: string | null;
  readonly requestId: string | null;
  readonly detail: string | null;

  constructor(init: TextGenerationErrorInit) {
    const status = init.status ?? null;
    const what = status === null ? init.kind : `HTTP ${status}`;
    super(`${init.provider} text generation failed: ${what}${init.code ? ` ${init.code}` : ''}`, {
      cause: init.cause,
    });
    this.provider = init.provider;
    this.kind = init.kind;
    this.retryable = init.retryable;
    this.status = status;
    this.code = init.code ?? null;
    this.requestId = init.requestId ?? null;
    this.detail = init.detail ?? null;
  }
}

/** 408, 429 and every 5xx are worth another try; the remaining 4xx (400, 401, 403, 404, 422) fail the same way again. */
export function isRetryableGenerationStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
