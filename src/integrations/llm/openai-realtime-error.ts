import type { IncomingMessage } from 'node:http';
import { truncate } from './common.ts';

/**
 * How a Realtime conversation fails: `RealtimeError` and its kinds, read from a refused WebSocket upgrade or from
 * the server's `error` event.
 */

export type RealtimeErrorKind = 'auth' | 'handshake' | 'timeout' | 'connection' | 'server' | 'protocol';

export class RealtimeError extends Error {
  readonly kind: RealtimeErrorKind;
  readonly code: string | null;
  readonly status: number | null;
  /** The client event the server blamed, when it said. */
  readonly eventId: string | null;
  readonly retryable: boolean;

  constructor(
    message: string,
    info: { kind: RealtimeErrorKind; code?: string | null; status?: number | null; eventId?: string | null },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RealtimeError';
    this.kind = info.kind;
    this.code = info.code ?? null;
    this.status = info.status ?? null;
    this.eventId = info.eventId ?? null;
    this.retryable =
      info.kind === 'timeout' ||
      info.kind === 'connection' ||
      (info.status !== null && info.status !== undefined && (info.status === 429 || info.status >= 500));
  }
}

/** The server's `error` event as a `RealtimeError` (kind `auth` for a refused key). */
export function realtimeServerError(e: {
  message: string;
  type: string;
  code?: string | null;
  event_id?: string | null;
}): RealtimeError {
  const code = e.code ?? null;
  return new RealtimeError(`Realtime error: ${truncate(e.message) ?? e.type}`, {
    kind: code === 'invalid_api_key' ? 'auth' : 'server',
    code,
    eventId: e.event_id ?? null,
  });
}

/**
 * A refused WebSocket upgrade: reads the HTTP answer (its `{error:{code, message}}` when JSON) and hands `done` the
 * error, kind `auth` for 401/403, else `handshake`.
 */
export function readHandshakeRefusal(res: IncomingMessage, done: (err: RealtimeError) => void): void {
  const status = res.statusCode ?? 0;
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    if (size < 8_192) chunks.push(chunk);
    size += chunk.length;
  });
  res.on('end', () => {
    let code: string | null = null;
    let message: string;
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      const parsed = JSON.parse(body) as { error?: { code?: string | null; message?: string } };
      code = parsed.error?.code ?? null;
      message = parsed.error?.message ?? '';
    } catch {
      message = body;
    }
    done(
      new RealtimeError(`Realtime refused the connection: HTTP ${status}${message ? ` ${truncate(message)}` : ''}`, {
        kind: status === 401 || status === 403 ? 'auth' : 'handshake',
        status,
        code,
      }),
    );
  });
  res.on('error', () =>
    done(new RealtimeError(`Realtime refused the connection: HTTP ${status}`, { kind: 'handshake', status })),
  );
}
