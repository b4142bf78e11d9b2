import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_SERVER = 'http://127.0.0.1:3000';
/** A Texas mobile number playing the caller. */
export const DEFAULT_FROM = '+15125550123';
/** The seeded demo agent's line. */
export const DEFAULT_TO = '+15125550100';
export const DEFAULT_REPLY_TIMEOUT_MS = 15_000;

export const TRANSFER_OUTCOMES = ['no-answer', 'busy', 'answered'] as const;
/** How a simulated `<Dial>` to a human turns out. */
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[number];

export class SoftphoneConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoftphoneConfigError';
  }
}

/** The server settings the softphone borrows (from loadConfig: the same environment the server reads). */
export interface ServerSettings {
  TWILIO_AUTH_TOKEN?: string | undefined;
  REALTOR_API_KEY?: string | undefined;
}

/**
 * The Twilio auth token to sign with: explicit value, else TWILIO_AUTH_TOKEN, else the token the
 * server wrote to `.data/twilio-auth-token` when it generated a local one.
 */
export function resolveAuthToken(explicit: string | undefined, env: ServerSettings, dataDir = '.data'): string {
  const file = join(dataDir, 'twilio-auth-token');
  const token = explicit || env.TWILIO_AUTH_TOKEN || readSecret(file);
  if (!token) {
    throw new SoftphoneConfigError(
      `no Twilio auth token: pass --auth-token, set TWILIO_AUTH_TOKEN, or start the server once so it writes ${file}`,
    );
  }
  return token;
}

/** The API key for the call event stream: explicit, else REALTOR_API_KEY, else `.data/demo-api-key`. */
export function resolveApiKey(
  explicit: string | undefined,
  env: ServerSettings,
  dataDir = '.data',
): string | undefined {
  return explicit || env.REALTOR_API_KEY || readSecret(join(dataDir, 'demo-api-key'));
}

function readSecret(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
