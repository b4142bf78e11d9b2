import { describe, expect, it } from 'vitest';
import {
  authenticateVapiRequest,
  parseVapiTimestamp,
  signVapiRequest,
  verifyVapiSecret,
  verifyVapiSignature,
  type HeaderBag,
} from '../../src/integrations/vapi/auth.ts';

const HMAC = 'vapi-hmac-secret-0123456789abcdef';
const SECRET = 'vapi-server-secret-0123456789';
const NOW = new Date('2026-11-25T04:00:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const BODY = Buffer.from('{"message":{"type":"status-update","status":"ringing"}}');

function signed(timestamp: string | number, body: Buffer | string = BODY, secret = HMAC): HeaderBag {
  return { 'x-vapi-timestamp': String(timestamp), 'x-vapi-signature': signVapiRequest(secret, timestamp, body) };
}

describe('parseVapiTimestamp', () => {
  it('reads seconds and milliseconds (with or without a fraction) as milliseconds', () => {
    expect(parseVapiTimestamp(String(NOW_S))).toBe(NOW.getTime());
    expect(parseVapiTimestamp(String(NOW.getTime()))).toBe(NOW.getTime());
    expect(parseVapiTimestamp(`${NOW_S}.5`)).toBe(NOW.getTime() + 500);
    expect(parseVapiTimestamp(` ${NOW_S} `)).toBe(NOW.getTime());
  });

  it('rejects what is not a Unix time', () => {
    for (const bad of ['', 'abc', '-1', '0', '1e12', '2026-11-25T04:00:00Z', '12345678901234567', '1.2.3']) {
      expect(parseVapiTimestamp(bad)).toBeNull();
    }
  });
});

describe('verifyVapiSignature', () => {
  it('accepts the hex HMAC-SHA256 of "<timestamp>.<body>", with or without sha256=, seconds or ms', () => {
    expect(verifyVapiSignature(BODY, signed(NOW_S), HMAC, { now: NOW })).toEqual({ ok: true });
    expect(verifyVapiSignature(BODY, signed(NOW.getTime()), HMAC, { now: NOW })).toEqual({ ok: true });
    const prefixed = {
      'x-vapi-timestamp': String(NOW_S),
      'x-vapi-signature': `sha256=${signVapiRequest(HMAC, NOW_S, BODY)}`,
    };
    expect(verifyVapiSignature(BODY, prefixed, HMAC, { now: NOW })).toEqual({ ok: true });
    const upper = {
      'X-Vapi-Timestamp': String(NOW_S),
      'X-Vapi-Signature': signVapiRequest(HMAC, NOW_S, BODY).toUpperCase(),
    };
    expect(verifyVapiSignature(BODY, upper, HMAC, { now: NOW })).toEqual({ ok: true });
    // A string body signs the same as its bytes.
    expect(verifyVapiSignature(BODY.toString('utf8'), signed(NOW_S), HMAC, { now: NOW })).toEqual({ ok: true });
  });

  it('refuses a tampered body, a wrong secret, a swapped timestamp and malformed signatures', () => {
    const headers = signed(NOW_S);
    expect(verifyVapiSignature(Buffer.from(`${BODY.toString()} `), headers, HMAC, { now: NOW })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyVapiSignature(BODY, signed(NOW_S, BODY, 'another-secret-0123456789'), HMAC, { now: NOW }).ok).toBe(
      false,
    );
    // The signature covers the timestamp: moving it (still within the window) breaks the signature.
    expect(
      verifyVapiSignature(BODY, { ...headers, 'x-vapi-timestamp': String(NOW_S - 1) }, HMAC, { now: NOW }),
    ).toEqual({ ok: false, reason: 'bad_signature' });
    // Seconds and milliseconds are different signed strings.
    expect(
      verifyVapiSignature(BODY, { ...headers, 'x-vapi-timestamp': String(NOW.getTime()) }, HMAC, { now: NOW }).ok,
    ).toBe(false);
    for (const signature of ['abc', 'sha256=', `sha1=${'a'.repeat(64)}`, 'g'.repeat(64), 'a'.repeat(63)]) {
      expect(verifyVapiSignature(BODY, { ...headers, 'x-vapi-signature': signature }, HMAC, { now: NOW })).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    }
  });

  it('refuses timestamps more than 5 minutes away, either way, and bad or missing headers', () => {
    expect(verifyVapiSignature(BODY, signed(NOW_S - 299), HMAC, { now: NOW })).toEqual({ ok: true });
    expect(verifyVapiSignature(BODY, signed(NOW_S - 301), HMAC, { now: NOW })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyVapiSignature(BODY, signed(NOW_S + 301), HMAC, { now: NOW }).ok).toBe(false);
    expect(verifyVapiSignature(BODY, signed(NOW.getTime() - 10 * 60_000), HMAC, { now: NOW })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyVapiSignature(BODY, signed('yesterday'), HMAC, { now: NOW })).toEqual({
      ok: false,
      reason: 'bad_timestamp',
    });
    const { 'x-vapi-timestamp': _t, ...noTimestamp } = signed(NOW_S);
    expect(verifyVapiSignature(BODY, noTimestamp, HMAC, { now: NOW })).toEqual({
      ok: false,
      reason: 'missing_timestamp',
    });
    expect(verifyVapiSignature(BODY, { 'x-vapi-timestamp': String(NOW_S) }, HMAC, { now: NOW })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    // A header sent twice counts as missing.
    const twice = { ...signed(NOW_S), 'x-vapi-signature': [signVapiRequest(HMAC, NOW_S, BODY), 'x'] };
    expect(verifyVapiSignature(BODY, twice, HMAC, { now: NOW })).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('a custom tolerance applies', () => {
    expect(verifyVapiSignature(BODY, signed(NOW_S - 30), HMAC, { now: NOW, toleranceSeconds: 10 }).ok).toBe(false);
  });
});

describe('verifyVapiSecret', () => {
  it('accepts Authorization: Bearer <secret> (any case) or X-Vapi-Secret: <secret>', () => {
    expect(verifyVapiSecret({ authorization: `Bearer ${SECRET}` }, SECRET)).toEqual({ ok: true });
    expect(verifyVapiSecret({ Authorization: `bearer   ${SECRET} ` }, SECRET)).toEqual({ ok: true });
    expect(verifyVapiSecret({ 'x-vapi-secret': SECRET }, SECRET)).toEqual({ ok: true });
    expect(verifyVapiSecret({ 'X-Vapi-Secret': ` ${SECRET}` }, SECRET)).toEqual({ ok: true });
    // One valid header is enough (an unrelated Authorization does not spoil X-Vapi-Secret).
    expect(verifyVapiSecret({ authorization: 'Bearer other', 'x-vapi-secret': SECRET }, SECRET)).toEqual({ ok: true });
  });

  it('refuses wrong, partial, unprefixed and missing secrets', () => {
    expect(verifyVapiSecret({ authorization: 'Bearer wrong-secret-0123456789' }, SECRET)).toEqual({
      ok: false,
      reason: 'bad_secret',
    });
    expect(verifyVapiSecret({ authorization: `Bearer ${SECRET.slice(0, -1)}` }, SECRET).ok).toBe(false);
    expect(verifyVapiSecret({ authorization: `Bearer ${SECRET}x` }, SECRET).ok).toBe(false);
    expect(verifyVapiSecret({ authorization: SECRET }, SECRET)).toEqual({ ok: false, reason: 'missing_secret' });
    expect(verifyVapiSecret({ authorization: `Basic ${SECRET}` }, SECRET)).toEqual({
      ok: false,
      reason: 'missing_secret',
    });
    expect(verifyVapiSecret({}, SECRET)).toEqual({ ok: false, reason: 'missing_secret' });
    expect(verifyVapiSecret({ 'x-vapi-secret': '' }, SECRET)).toEqual({ ok: false, reason: 'missing_secret' });
    expect(verifyVapiSecret({ 'x-vapi-secret': [SECRET, SECRET] }, SECRET)).toEqual({
      ok: false,
      reason: 'missing_secret',
    });
  });
});

describe('authenticateVapiRequest', () => {
  const both = { hmacSecret: HMAC, serverSecret: SECRET, now: NOW };

  it('with VAPI_HMAC_SECRET: requires the HMAC; the shared secret alone is refused', () => {
    expect(authenticateVapiRequest(BODY, signed(NOW_S), both)).toEqual({ ok: true, method: 'hmac' });
    expect(authenticateVapiRequest(BODY, { authorization: `Bearer ${SECRET}` }, both)).toMatchObject({
      ok: false,
      status: 401,
      error: 'unauthorized',
      reason: 'missing_signature',
    });
    expect(authenticateVapiRequest(BODY, signed(NOW_S - 600), both)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'stale_timestamp',
      message: expect.stringMatching(/5 minutes/),
    });
  });

  it('acceptSecretWithHmac (custom LLM): the shared secret also passes when both are configured', () => {
    const chat = { ...both, acceptSecretWithHmac: true };
    expect(authenticateVapiRequest(BODY, { authorization: `Bearer ${SECRET}` }, chat)).toEqual({
      ok: true,
      method: 'secret',
    });
    expect(authenticateVapiRequest(BODY, signed(NOW_S), chat)).toEqual({ ok: true, method: 'hmac' });
    expect(authenticateVapiRequest(BODY, { authorization: 'Bearer wrong-secret-0123456789' }, chat)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'bad_secret',
    });
    // A bad signature is not rescued by the secret.
    const badSig = { ...signed(NOW_S), 'x-vapi-signature': 'f'.repeat(64), authorization: `Bearer ${SECRET}` };
    expect(authenticateVapiRequest(BODY, badSig, chat)).toMatchObject({ ok: false, reason: 'bad_signature' });
    // Without VAPI_SERVER_SECRET there is no secret to accept.
    expect(
      authenticateVapiRequest(
        BODY,
        { authorization: `Bearer ${SECRET}` },
        { hmacSecret: HMAC, now: NOW, acceptSecretWithHmac: true },
      ),
    ).toMatchObject({ ok: false, reason: 'missing_signature' });
  });

  it('with only VAPI_SERVER_SECRET: requires the shared secret; a signature alone is refused', () => {
    const secretOnly = { serverSecret: SECRET, now: NOW };
    expect(authenticateVapiRequest(BODY, { 'x-vapi-secret': SECRET }, secretOnly)).toEqual({
      ok: true,
      method: 'secret',
    });
    expect(authenticateVapiRequest(BODY, signed(NOW_S), secretOnly)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'missing_secret',
    });
    expect(authenticateVapiRequest(BODY, { authorization: 'Bearer nope' }, secretOnly)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'bad_secret',
      message: 'Invalid Vapi secret',
    });
  });

  it('with neither setting: refuses everything with 403 naming the settings', () => {
    for (const headers of [{}, signed(NOW_S), { authorization: `Bearer ${SECRET}` }]) {
      const result = authenticateVapiRequest(BODY, headers, { now: NOW, acceptSecretWithHmac: true });
      expect(result).toMatchObject({ ok: false, status: 403, error: 'forbidden', reason: 'not_configured' });
      expect(!result.ok && result.message).toMatch(/VAPI_HMAC_SECRET.*VAPI_SERVER_SECRET/);
    }
    // Empty strings count as unset.
    expect(authenticateVapiRequest(BODY, {}, { hmacSecret: '', serverSecret: '' })).toMatchObject({ status: 403 });
  });
});
