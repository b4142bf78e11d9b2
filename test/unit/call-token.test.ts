import { describe, expect, it } from 'vitest';
import { issueCallToken, verifyCallToken } from '../../src/domain/calls/call-token.ts';

describe('per-call token', () => {
  const secret = 'secret-0123456789abcdef';
  const now = 1_800_000_000_000;

  it('verifies for its call until it expires', () => {
    const token = issueCallToken(secret, 'CA1', now, 60_000);
    expect(verifyCallToken(secret, 'CA1', token, now + 59_999)).toBe(true);
    expect(verifyCallToken(secret, 'CA1', token, now + 60_001)).toBe(false);
  });

  it('fails for another call, another secret, a changed expiry or garbage', () => {
    const token = issueCallToken(secret, 'CA1', now);
    expect(verifyCallToken(secret, 'CA2', token, now)).toBe(false);
    expect(verifyCallToken('other-secret-0123456789', 'CA1', token, now)).toBe(false);
    const [, sig] = token.split('.');
    expect(verifyCallToken(secret, 'CA1', `${now + 10 * 60_000}.${sig}`, now)).toBe(false);
    expect(verifyCallToken(secret, 'CA1', 'nonsense', now)).toBe(false);
    expect(verifyCallToken(secret, 'CA1', undefined, now)).toBe(false);
  });
});
