import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeMatcher, matches, parseMatcher } from '../../src/softphone/match.ts';
import { resolveApiKey, resolveAuthToken, SoftphoneConfigError } from '../../src/softphone/options.ts';
import { newSid, routeToServer } from '../../src/softphone/webhooks.ts';

describe('softphone expectation matching', () => {
  it('matches substrings case-insensitively, whitespace and typographic quotes normalised', () => {
    const reply = 'I’m  sorry, 12 Oak Street is SOLD.';
    expect(matches(parseMatcher('oak street'), reply)).toBe(true);
    expect(matches(parseMatcher("I'm sorry"), reply)).toBe(true);
    expect(matches(parseMatcher('is sold'), reply)).toBe(true);
    expect(matches(parseMatcher('available'), reply)).toBe(false);
  });

  it('treats /…/flags as a regex, with its own case sensitivity', () => {
    expect(parseMatcher('/sold\\.$/').kind).toBe('regex');
    expect(matches(parseMatcher('/SOLD\\.$/'), 'It is SOLD.')).toBe(true);
    expect(matches(parseMatcher('/sold/'), 'It is SOLD.')).toBe(false);
    expect(matches(parseMatcher('/sold/i'), 'It is SOLD.')).toBe(true);
    expect(matches(parseMatcher('/\\d{1,2} ?(am|pm)/i'), 'Saturday at 10 AM')).toBe(true);
  });

  it('ignores g and y so a regex answers the same every time', () => {
    const m = parseMatcher('/a/g');
    expect([matches(m, 'a'), matches(m, 'a'), matches(m, 'a')]).toEqual([true, true, true]);
  });

  it('keeps a lone slash or a path as text, and rejects a bad regex', () => {
    expect(parseMatcher('/').kind).toBe('text');
    expect(parseMatcher('and/or').kind).toBe('text');
    expect(() => parseMatcher('/(/')).toThrow(SyntaxError);
    expect(() => parseMatcher('/a/q')).toThrow(SyntaxError);
  });

  it('describes matchers for failure messages', () => {
    expect(describeMatcher(parseMatcher('booked'))).toBe('"booked"');
    expect(describeMatcher(parseMatcher('/booked/i'))).toBe('/booked/i');
  });
});

describe('softphone plumbing', () => {
  it('makes Twilio-shaped sids', () => {
    expect(newSid('CA')).toMatch(/^CA[0-9a-f]{32}$/);
    expect(newSid('AC')).toMatch(/^AC[0-9a-f]{32}$/);
    expect(newSid('CA')).not.toBe(newSid('CA'));
  });

  it("routes a public URL to the same path on the server's origin", () => {
    expect(routeToServer('wss://voice.example.test/twilio/relay', 'http://127.0.0.1:3000')).toBe(
      'ws://127.0.0.1:3000/twilio/relay',
    );
    expect(routeToServer('https://voice.example.test/twilio/x?a=1', 'http://127.0.0.1:3000/')).toBe(
      'http://127.0.0.1:3000/twilio/x?a=1',
    );
    expect(routeToServer('ws://a.test:80/r', 'https://b.test')).toBe('wss://b.test/r');
  });

  it('finds the auth token and API key in options, env, then .data files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'softphone-'));
    expect(() => resolveAuthToken(undefined, {}, dir)).toThrow(SoftphoneConfigError);
    expect(() => resolveAuthToken(undefined, {}, dir)).toThrow(/--auth-token.*TWILIO_AUTH_TOKEN/);
    expect(resolveApiKey(undefined, {}, dir)).toBeUndefined();
    writeFileSync(join(dir, 'twilio-auth-token'), 'from-file-token\n');
    writeFileSync(join(dir, 'demo-api-key'), 'rk_file\n');
    expect(resolveAuthToken(undefined, {}, dir)).toBe('from-file-token');
    expect(resolveApiKey(undefined, {}, dir)).toBe('rk_file');
    expect(resolveAuthToken(undefined, { TWILIO_AUTH_TOKEN: 'env-token' }, dir)).toBe('env-token');
    expect(resolveApiKey(undefined, { REALTOR_API_KEY: 'rk_env' }, dir)).toBe('rk_env');
    expect(resolveAuthToken('flag-token', { TWILIO_AUTH_TOKEN: 'env-token' }, dir)).toBe('flag-token');
  });
});
