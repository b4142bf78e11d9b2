import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived per-call token carried in a TwiML <Parameter> (Twilio drops query strings on
 * stream URLs) and checked on the WebSocket's setup/start: HMAC-SHA256 of "callSid.expiry".
 */
export function issueCallToken(secret: string, callSid: string, now = Date.now(), ttlMs = 5 * 60_000): string {
  const expires = now + ttlMs;
  return `${expires}.${sign(secret, callSid, expires)}`;
}

export function verifyCallToken(secret: string, callSid: string, token: string | undefined, now = Date.now()): boolean {
  if (!token) return false;
  const [expiresText, signature] = token.split('.');
  const expires = Number(expiresText);
  if (!signature || !Number.isFinite(expires) || expires < now) return false;
  const expected = Buffer.from(sign(secret, callSid, expires));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function sign(secret: string, callSid: string, expires: number): string {
  return createHmac('sha256', secret).update(`${callSid}.${expires}`).digest('base64url');
}
