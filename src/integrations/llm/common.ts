import { BrainError } from '../../call-runtime/brain.port.ts';
import {
  isRetryableGenerationStatus,
  TextGenerationError,
  type TextGenerationRequest,
} from '../../domain/shared/text-generator.port.ts';

/** Defaults shared by the adapters. */
export const DEFAULT_LLM_TIMEOUT_MS = 15_000;
export const DEFAULT_LLM_MAX_RETRIES = 2;

export interface LlmAdapterOptions {
  apiKey: string;
  /** Override the vendor's API root (a proxy, a gateway, a test fake). */
  baseUrl?: string;
  model?: string;
  /** Deadline of one HTTP attempt. Default 15 000. */
  timeoutMs?: number;
  /** Further attempts after the first for a retryable failure (done by the vendor SDK). Default 2. */
  maxRetries?: number;
}

export function truncate(text: string | null | undefined, max = 300): string | null {
  if (!text) return null;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function validateRequest(provider: string, req: TextGenerationRequest): void {
  const problem =
    !Number.isInteger(req.maxTokens) || req.maxTokens < 1
      ? 'maxTokens must be a positive integer'
      : req.timeoutMs !== undefined && !(Number.isInteger(req.timeoutMs) && req.timeoutMs > 0)
        ? 'timeoutMs must be a positive integer'
        : req.temperature !== undefined && !(Number.isFinite(req.temperature) && req.temperature >= 0)
          ? 'temperature must be a non-negative number'
          : null;
  if (problem) throw new TextGenerationError({ provider, kind: 'invalid_request', retryable: false, detail: problem });
}

/** What the two SDKs' error classes have in common, read structurally. */
export interface SdkHttpErrorInfo {
  status: number;
  code: string | null;
  requestId: string | null;
  detail: string | null;
}

export function httpError(provider: string, info: SdkHttpErrorInfo, cause: unknown): TextGenerationError {
  return new TextGenerationError({
    provider,
    kind: 'http',
    status: info.status,
    retryable: isRetryableGenerationStatus(info.status),
    code: info.code,
    requestId: info.requestId,
    detail: truncate(info.detail),
    cause,
  });
}

/**
 * The first balanced `{…}` in `text` that parses as a JSON object, as its source text; null when there is none.
 * Skips prose and code fences around it; braces inside strings are respected.
 */
export function extractFirstJsonObject(text: string): string | null {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    const end = matchingBrace(text, start);
    if (end === -1) continue;
    const candidate = text.slice(start, end + 1);
    if (isJsonObject(candidate)) return candidate;
  }
  return null;
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

export function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The error classes every Stainless-generated SDK (OpenAI, Anthropic) exports, each its own. */
export interface SdkErrorClasses<ApiError> {
  timeout: abstract new (...args: never[]) => Error;
  connection: abstract new (...args: never[]) => Error;
  abort: abstract new (...args: never[]) => Error;
  api: abstract new (...args: never[]) => ApiError;
  base: abstract new (...args: never[]) => Error;
}

/**
 * One translation of SDK errors into TextGenerationError; the adapter supplies its SDK's classes
 * and how to read status, code, request id and message off its API error.
 */
export function mapSdkError<ApiError extends Error & { status?: number | undefined }>(
  provider: string,
  err: unknown,
  classes: SdkErrorClasses<ApiError>,
  httpInfo: (err: ApiError & { status: number }) => SdkHttpErrorInfo,
): TextGenerationError {
  if (err instanceof TextGenerationError) return err;
  // Timeout before connection error: the timeout class extends it.
  if (err instanceof classes.timeout)
    return new TextGenerationError({ provider, kind: 'timeout', retryable: true, cause: err });
  if (err instanceof classes.connection) {
    return new TextGenerationError({ provider, kind: 'connection', retryable: true, cause: err });
  }
  if (err instanceof classes.abort) {
    return new TextGenerationError({ provider, kind: 'timeout', retryable: true, detail: 'aborted', cause: err });
  }
  if (err instanceof classes.api && typeof err.status === 'number') {
    return httpError(provider, httpInfo(err as ApiError & { status: number }), err);
  }
  const invalidRequest = err instanceof classes.base;
  return new TextGenerationError({
    provider,
    kind: invalidRequest ? 'invalid_request' : 'invalid_response',
    retryable: false,
    detail: truncate(err instanceof Error ? err.message : String(err)),
    cause: err,
  });
}

/** Default cap on the tokens of one brain step: short spoken turns. */
export const DEFAULT_BRAIN_MAX_TOKENS = 300;

export interface BrainAdapterOptions extends LlmAdapterOptions {
  /** Upper bound on the tokens of one step. Default 300. */
  maxTokens?: number;
}

/**
 * The Brain port's error for an SDK failure already translated by `mapSdkError`. Retryable as there, and also
 * for 409 (a conflict, which the SDKs retry too), for an error event inside an accepted stream (the SDKs raise it
 * as an API error without status: the server failed mid-answer) and for a connection lost while the stream was
 * being read (undici's TypeError `terminated`, which the SDKs pass through unwrapped). The TextGenerationError,
 * with status, code, request id and the SDK error as its cause, is the cause.
 */
export function brainErrorFrom(err: TextGenerationError, streamErrorEvent: boolean): BrainError {
  const lostStream = err.kind === 'invalid_response' && err.cause instanceof TypeError;
  const what = streamErrorEvent
    ? 'error event in the stream'
    : lostStream
      ? 'connection lost in the stream'
      : err.status === null
        ? err.kind
        : `HTTP ${err.status}`;
  return new BrainError(
    `${err.provider} brain step failed: ${what}${err.code ? ` ${err.code}` : ''}`,
    streamErrorEvent || lostStream || err.retryable || err.status === 409,
    { cause: err },
  );
}

/** Streamed tool-call arguments as an object; `{}` for empty, unparsable or non-object JSON. */
export function parseToolArguments(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
