import { DialError } from '../../domain/campaigns/dialer.port.ts';
import { isObject } from './json.ts';

/** Failures of Vapi's REST API (an HTTP refusal, an unreachable API) as the dialer's `DialError`. */

/** 408, 429 and 5xx are worth another attempt; every other 4xx is not. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Vapi's error answer `{message: string | string[], error, statusCode}` as a `DialError`. A 4xx that names the
 * concurrency limit is retryable (unverified wording and status: Vapi reports the org's concurrent-call limit, and
 * a slot frees up when a call ends).
 */
export function vapiHttpError(status: number, body: unknown, action: string): DialError {
  const raw = isObject(body) ? body.message : undefined;
  const text = Array.isArray(raw)
    ? raw.filter((m) => typeof m === 'string').join('; ')
    : typeof raw === 'string'
      ? raw
      : '';
  const concurrency = /concurren/i.test(text);
  return new DialError(
    `Vapi refused to ${action} (HTTP ${status})${text ? `: ${text}` : ''}`,
    retryableStatus(status) || concurrency,
    status,
  );
}

/** A request that got no answer (timeout, DNS, refused connection): retryable. */
export function networkError(err: unknown, action: string): DialError {
  if (err instanceof DialError) return err;
  const e = err as { name?: unknown; cause?: { code?: unknown } } | null;
  const why =
    e?.name === 'TimeoutError' ? 'timed out' : typeof e?.cause?.code === 'string' ? e.cause.code : 'network error';
  return new DialError(`Vapi could not be reached to ${action} (${why})`, true);
}
