import { randomBytes } from 'node:crypto';
import { signTwilioRequest } from '../integrations/twilio/twilio.ts';

/** A Twilio-style id: two letters and 32 hex digits (CA… call, AC… account, VX… relay session). */
export function newSid(prefix: 'CA' | 'AC' | 'VX'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/**
 * The URL the softphone actually talks to for a URL Twilio would call. The public URL (PUBLIC_URL,
 * a tunnel…) may not be reachable from here, so the request goes to the same path and query on the
 * server's origin (ws/wss for WebSocket URLs), while signatures keep using the URL as given.
 */
export function routeToServer(url: string, server: string): string {
  const target = new URL(url);
  const base = new URL(server);
  const websocket = target.protocol === 'ws:' || target.protocol === 'wss:';
  const protocol = websocket ? (base.protocol === 'https:' ? 'wss:' : 'ws:') : base.protocol;
  return `${protocol}//${base.host}${target.pathname}${target.search}`;
}

export class WebhookError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

export interface WebhookResponse {
  status: number;
  body: string;
}

/** Twilio's webhook request timeout. */
const WEBHOOK_TIMEOUT_MS = 15_000;

/**
 * POSTs form params like Twilio: signed for `url` (the public URL Twilio would call), sent to the
 * same path on `server`. Throws WebhookError when the server is unreachable or answers 4xx/5xx
 * (the message carries the status and body).
 */
export async function postWebhook(opts: {
  url: string;
  server: string;
  authToken: string;
  params: Record<string, string>;
}): Promise<WebhookResponse> {
  const target = routeToServer(opts.url, opts.server);
  const path = new URL(opts.url).pathname;
  let res: Response;
  try {
    res = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioRequest(opts.authToken, opts.url, opts.params),
        'user-agent': 'TwilioProxy/1.1 (realtor-voice softphone)',
      },
      body: new URLSearchParams(opts.params).toString(),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (err) {
    throw new WebhookError(`POST ${path}: cannot reach ${target}: ${causeOf(err)}`);
  }
  const body = await res.text();
  if (res.status >= 400) {
    const hint =
      res.status === 403
        ? ' (signature refused: the auth token must be the server’s TWILIO_AUTH_TOKEN and --public-url its PUBLIC_URL)'
        : '';
    throw new WebhookError(`POST ${path} → ${res.status}${hint}: ${body.trim() || '(empty body)'}`, res.status, body);
  }
  return { status: res.status, body };
}

export function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
