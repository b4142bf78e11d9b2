import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { singleHeader, type HeaderBag } from '../shared/headers.ts';

/**
 * Authenticity of Vapi's requests to our server URL (telephony.md A2, "Auth").
 *
 * Vapi signs or authenticates with a credential configured on its side; we accept two of its schemes:
 * - HMAC (preferred): `x-vapi-signature: <hex HMAC-SHA256 of "<x-vapi-timestamp>.<raw body>">` (an optional
 *   `sha256=` prefix is accepted) plus `x-vapi-timestamp` in Unix seconds or milliseconds, within 5 minutes of
 *   our clock. Configure the Vapi HMAC credential with SHA256, signature header `x-vapi-signature`, timestamp
 *   header `x-vapi-timestamp` and the payload format `{timestamp}.{body}`.
 * - Shared secret: `Authorization: Bearer <secret>` (Vapi's Bearer Token credential) or the legacy
 *   `X-Vapi-Secret: <secret>`.
 *
 * Every comparison is constant-time. A header sent twice counts as missing.
 */

export const VAPI_SIGNATURE_HEADER = 'x-vapi-signature';
export const VAPI_TIMESTAMP_HEADER = 'x-vapi-timestamp';
export const VAPI_SECRET_HEADER = 'x-vapi-secret';

/** Largest clock difference accepted for a signed request (replay window). */
export const VAPI_SIGNATURE_TOLERANCE_SECONDS = 300;

export type { HeaderBag };

export interface VapiAuthSettings {
  /** VAPI_HMAC_SECRET: when set, requests must be HMAC-signed. */
  hmacSecret?: string | null | undefined;
  /** VAPI_SERVER_SECRET: the shared secret, required when no HMAC secret is set. */
  serverSecret?: string | null | undefined;
  /**
   * Also accept the shared secret when an HMAC secret is set. For the custom-LLM endpoint: Vapi authenticates its
   * chat-completion requests with an API key (Authorization header) and cannot HMAC-sign them.
   */
  acceptSecretWithHmac?: boolean;
  now?: Date;
  toleranceSeconds?: number;
}

export type VapiAuthFailure =
  | 'not_configured'
  | 'missing_signature'
  | 'missing_timestamp'
  | 'bad_timestamp'
  | 'stale_timestamp'
  | 'bad_signature'
  | 'missing_secret'
  | 'bad_secret';

export type VapiAuthResult =
  | { ok: true; method: 'hmac' | 'secret' }
  | { ok: false; status: 401 | 403; reason: VapiAuthFailure; error: 'unauthorized' | 'forbidden'; message: string };

const MESSAGES: Record<VapiAuthFailure, string> = {
  not_configured:
    'Vapi requests are refused: neither VAPI_HMAC_SECRET nor VAPI_SERVER_SECRET is configured on this server',
  missing_signature: `Missing ${VAPI_SIGNATURE_HEADER} header (HMAC-SHA256 of "<timestamp>.<body>")`,
  missing_timestamp: `Missing ${VAPI_TIMESTAMP_HEADER} header`,
  bad_timestamp: `${VAPI_TIMESTAMP_HEADER} must be a Unix time in seconds or milliseconds`,
  stale_timestamp: `${VAPI_TIMESTAMP_HEADER} is more than 5 minutes away from the server clock`,
  bad_signature: `Invalid ${VAPI_SIGNATURE_HEADER}`,
  missing_secret: 'Missing credentials: send "Authorization: Bearer <secret>" or "X-Vapi-Secret: <secret>"',
  bad_secret: 'Invalid Vapi secret',
};

function failure(reason: VapiAuthFailure): Extract<VapiAuthResult, { ok: false }> {
  const forbidden = reason === 'not_configured';
  return {
    ok: false,
    status: forbidden ? 403 : 401,
    reason,
    error: forbidden ? 'forbidden' : 'unauthorized',
    message: MESSAGES[reason],
  };
}

/** Hex HMAC-SHA256 of `${timestamp}.${rawBody}`: what Vapi sends in x-vapi-signature (and what tests sign with). */
export function signVapiRequest(secret: string, timestamp: string | number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * A Unix timestamp header in seconds or milliseconds (optionally with a fraction) as milliseconds; null when it
 * is not one. Values from 10^11 on are milliseconds (10^11 seconds is the year 5138).
 */
export function parseVapiTimestamp(value: string): number | null {
  const trimmed = value.trim();
  if (!/^\d{1,16}(?:\.\d{1,6})?$/.test(trimmed)) return null;
  const n = Number(trimmed);
  if (!Number.isFinite(n) || n <= 0) return null;
  return n >= 1e11 ? n : n * 1000;
}

const SIGNATURE = /^(?:sha256=)?([0-9a-f]{64})$/i;

/** Checks the HMAC scheme only. */
export function verifyVapiSignature(
  rawBody: Buffer | string,
  headers: HeaderBag,
  secret: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): { ok: true } | { ok: false; reason: VapiAuthFailure } {
  const signature = singleHeader(headers, VAPI_SIGNATURE_HEADER);
  if (signature === undefined || !signature.trim()) return { ok: false, reason: 'missing_signature' };
  const timestamp = singleHeader(headers, VAPI_TIMESTAMP_HEADER);
  if (timestamp === undefined || !timestamp.trim()) return { ok: false, reason: 'missing_timestamp' };
  const at = parseVapiTimestamp(timestamp);
  if (at === null) return { ok: false, reason: 'bad_timestamp' };
  const now = (options.now ?? new Date()).getTime();
  if (Math.abs(now - at) > (options.toleranceSeconds ?? VAPI_SIGNATURE_TOLERANCE_SECONDS) * 1000) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const match = SIGNATURE.exec(signature.trim());
  if (!match?.[1] || !secret) return { ok: false, reason: 'bad_signature' };
  // Signed over the timestamp exactly as sent.
  const expected = createHmac('sha256', secret).update(`${timestamp.trim()}.`).update(rawBody).digest();
  const given = Buffer.from(match[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: 'bad_signature' };
}

/** Checks the shared-secret scheme only: `Authorization: Bearer <secret>` or `X-Vapi-Secret: <secret>`. */
export function verifyVapiSecret(
  headers: HeaderBag,
  secret: string,
): { ok: true } | { ok: false; reason: VapiAuthFailure } {
  const authorization = singleHeader(headers, 'authorization');
  const bearer = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1]?.trim() : undefined;
  const legacy = singleHeader(headers, VAPI_SECRET_HEADER)?.trim();
  const given = [bearer, legacy].filter((v): v is string => !!v);
  if (!given.length) return { ok: false, reason: 'missing_secret' };
  if (!secret) return { ok: false, reason: 'bad_secret' };
  // Either header may carry it (Vapi's Bearer credential can be renamed to X-Vapi-Secret without the prefix).
  return given.some((v) => equalStrings(v, secret)) ? { ok: true } : { ok: false, reason: 'bad_secret' };
}

/**
 * One decision for a request to the Vapi endpoints:
 * - VAPI_HMAC_SECRET set: the HMAC is required (the shared secret is also accepted with `acceptSecretWithHmac`
 *   when VAPI_SERVER_SECRET is set too);
 * - else VAPI_SERVER_SECRET set: the shared secret is required;
 * - neither: everything is refused with 403 naming the settings.
 * Missing or wrong credentials: 401.
 */
export function authenticateVapiRequest(
  rawBody: Buffer | string,
  headers: HeaderBag,
  settings: VapiAuthSettings,
): VapiAuthResult {
  const { hmacSecret, serverSecret } = settings;
  if (hmacSecret) {
    const signed = verifyVapiSignature(rawBody, headers, hmacSecret, settings);
    if (signed.ok) return { ok: true, method: 'hmac' };
    if (settings.acceptSecretWithHmac && serverSecret && signed.reason === 'missing_signature') {
      const shared = verifyVapiSecret(headers, serverSecret);
      if (shared.ok) return { ok: true, method: 'secret' };
      if (shared.reason === 'bad_secret') return failure('bad_secret');
    }
    return failure(signed.reason);
  }
  if (serverSecret) {
    const shared = verifyVapiSecret(headers, serverSecret);
    return shared.ok ? { ok: true, method: 'secret' } : failure(shared.reason);
  }
  return failure('not_configured');
}

/** Constant-time for any lengths: compares fixed-size hashes. */
function equalStrings(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
