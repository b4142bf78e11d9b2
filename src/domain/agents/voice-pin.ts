import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { NotFoundError, ValidationError } from '../errors.ts';
import { toE164 } from '../shared/phone.ts';
import type { AgentScope } from '../shared/scope.ts';
import { Agent, VoicePinAttempt } from './agent.entity.ts';

/**
 * The realtor's voice PIN: proves that a call from their registered mobile is really them before
 * the business is run by voice. Stored as scrypt with a random salt per agent; 5 consecutive wrong
 * PINs lock voice commands for 15 minutes; every attempt is logged in voice_pin_attempts.
 */

export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MS = 15 * 60_000;

const KEY_LENGTH = 32;
const SCRYPT_OPTIONS = { N: 16_384, r: 8, p: 1 };
const HASH_SCHEME = 'scrypt';

export type PinVerdict =
  | { ok: true }
  | {
      ok: false;
      /** wrong: the PIN did not match; locked: refused unchecked while locked; no_pin: none is set. */
      reason: 'wrong' | 'locked' | 'no_pin';
      /** After a wrong PIN: tries left before the lock (0 when this failure locked). */
      attemptsLeft?: number;
      /** Set when voice commands are locked (by this failure, or already). */
      lockedUntil?: Date;
    };

/** Throws ValidationError unless `pin` is 4–8 digits, not one repeated digit and not a simple run. */
export function validatePin(pin: string): void {
  if (!/^\d{4,8}$/.test(pin)) {
    throw new ValidationError('pin: must be 4 to 8 digits (0-9 only)', { field: 'pin' });
  }
  const digits = [...pin].map(Number);
  if (digits.every((d) => d === digits[0])) {
    throw new ValidationError('pin: must not be one digit repeated (like 1111); choose a harder PIN', {
      field: 'pin',
    });
  }
  const steps = digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) {
    throw new ValidationError('pin: must not be a run of digits (like 1234 or 4321); choose a harder PIN', {
      field: 'pin',
    });
  }
}

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_LENGTH, SCRYPT_OPTIONS, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** "scrypt$<salt>$<hash>", base64url. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt);
  return `${HASH_SCHEME}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time check of `pin` against a stored hash; false for an unreadable hash. */
export async function pinMatches(stored: string, pin: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== HASH_SCHEME || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  // The format is public: anything that could never be a PIN is wrong without hashing.
  const candidate = /^\d{1,16}$/.test(pin) ? pin : '';
  const actual = await derive(candidate, Buffer.from(salt, 'base64url'));
  return candidate !== '' && actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Sets (or replaces) the calling agent's PIN; a new PIN clears failures and any lock. */
export async function setPin(scope: AgentScope, pin: string): Promise<void> {
  validatePin(pin);
  const pinHash = await hashPin(pin);
  const agent = await scope.em.findOne(Agent, scope.agentId);
  if (!agent) throw new NotFoundError('Agent', scope.agentId);
  agent.pinHash = pinHash;
  agent.pinFailures = 0;
  agent.pinLockedUntil = null;
  await scope.em.flush();
}

function normaliseCaller(callerPhone: string): string {
  try {
    return toE164(callerPhone, 'caller');
  } catch {
    return callerPhone.trim().slice(0, 40);
  }
}

/**
 * Checks a PIN said or keyed by a caller and records the attempt. The agent row is locked for the
 * check, so simultaneous calls cannot get more than PIN_MAX_FAILURES tries between them.
 * Does not look at the caller ID: gate the caller with voiceCommandsAllowed first.
 */
export async function verifyPin(
  em: SqlEntityManager,
  agentId: number,
  pin: string,
  callerPhone: string,
  now: Date = new Date(),
): Promise<PinVerdict> {
  return em.transactional(async (tx) => {
    const agent = await tx.findOne(Agent, agentId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!agent) throw new NotFoundError('Agent', agentId);
    const record = (ok: boolean, locked: boolean): void => {
      tx.create(VoicePinAttempt, { agent, callerPhone: normaliseCaller(callerPhone), ok, locked, at: now });
    };
    let verdict: PinVerdict;
    if (agent.pinLockedUntil && agent.pinLockedUntil.getTime() > now.getTime()) {
      record(false, true);
      verdict = { ok: false, reason: 'locked', lockedUntil: agent.pinLockedUntil };
    } else if (!agent.pinHash) {
      record(false, false);
      verdict = { ok: false, reason: 'no_pin' };
    } else if (await pinMatches(agent.pinHash, pin)) {
      agent.pinFailures = 0;
      agent.pinLockedUntil = null;
      record(true, false);
      verdict = { ok: true };
    } else if (agent.pinFailures + 1 >= PIN_MAX_FAILURES) {
      // Locked now; the count starts again once the lock is over.
      agent.pinFailures = 0;
      agent.pinLockedUntil = new Date(now.getTime() + PIN_LOCK_MS);
      record(false, true);
      verdict = { ok: false, reason: 'wrong', attemptsLeft: 0, lockedUntil: agent.pinLockedUntil };
    } else {
      agent.pinFailures += 1;
      agent.pinLockedUntil = null;
      record(false, false);
      verdict = { ok: false, reason: 'wrong', attemptsLeft: PIN_MAX_FAILURES - agent.pinFailures };
    }
    await tx.flush();
    return verdict;
  });
}

/**
 * Whether this caller may try a PIN now: the caller ID is the agent's registered mobile (E.164),
 * a PIN is set, and voice commands are not locked.
 */
export async function voiceCommandsAllowed(
  em: SqlEntityManager,
  agentId: number,
  callerPhone: string,
  now: Date = new Date(),
): Promise<boolean> {
  const agent = await em.findOne(Agent, agentId, { refresh: true });
  if (!agent?.mobilePhone || !agent.pinHash) return false;
  if (normaliseCaller(callerPhone) !== agent.mobilePhone) return false;
  return !agent.pinLockedUntil || agent.pinLockedUntil.getTime() <= now.getTime();
}
