import twilio from 'twilio';
import {
  DialError,
  type DialEvent,
  type DialEventKind,
  type DialRequest,
  type DialResult,
  type OutboundDialer,
} from '../../domain/campaigns/dialer.port.ts';

/**
 * The campaign dialer on Twilio Programmable Voice (telephony.md A1.4): `calls.create` with status callbacks for
 * initiated/ringing/answered/completed and, when asked, asynchronous answering-machine detection whose verdict is
 * POSTed to the callback URL with `amd=1` added to its query. `twilioDialEvent` turns both kinds of callback into
 * `DialEvent`s; the route that receives them checks X-Twilio-Signature first (`verifyTwilioSignature`).
 *
 * Twilio has no per-call metadata: `attemptKey` and `metadata` are not sent. The caller finds the attempt from the
 * CallSid of the `DialResult`, or puts its own key into `callbackUrl`/`answerUrl` (the signature covers the query).
 */

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

/** The progress events asked for; busy, no-answer, failed and canceled arrive as the `completed` event. */
export const TWILIO_STATUS_CALLBACK_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;

/** Query parameter that marks the async AMD callback URL (`<callbackUrl>?amd=1`). */
export const TWILIO_AMD_MARKER = 'amd';

export interface TwilioOutboundDialerOptions {
  accountSid: string;
  authToken: string;
  /**
   * Origin (and optional path prefix) of the REST API; default https://api.twilio.com. Every request the SDK makes
   * goes there with its path kept (`/2010-04-01/Accounts/…`): tests point it at a fake on 127.0.0.1.
   */
  apiBaseUrl?: string;
  /** Deadline of one HTTP request. Default 10 000. */
  timeoutMs?: number;
}

/**
 * The SDK's HTTP client with every request sent to `base` instead of the host the SDK built (api.twilio.com, or an
 * edge/region host from TWILIO_EDGE/TWILIO_REGION). twilio-node 6 has no base-URL option; its `httpClient` option
 * takes any RequestClient, and `request()` is the one place every API call passes through.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly base: URL,
    options: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(options);
  }

  override request<TData>(opts: Parameters<twilio.RequestClient['request']>[0]): Promise<TData> {
    return super.request({ ...opts, uri: rebase(opts.uri, this.base) }) as Promise<TData>;
  }
}

function rebase(uri: string, base: URL): string {
  const target = new URL(uri);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${target.pathname}${target.search}`;
}

export class TwilioOutboundDialer implements OutboundDialer {
  readonly provider = 'twilio' as const;
  private readonly client: twilio.Twilio;

  constructor(options: TwilioOutboundDialerOptions) {
    if (!/^AC[0-9a-f]{32}$/i.test(options.accountSid)) throw new Error('Twilio: accountSid must be AC + 32 hex digits');
    if (!options.authToken) throw new Error('Twilio: authToken is required');
    const timeout = options.timeoutMs ?? 10_000;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new Error('Twilio: timeoutMs must be positive');
    const base = new URL(options.apiBaseUrl ?? TWILIO_API_BASE_URL);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new Error(`Twilio: apiBaseUrl must be http(s), got ${base.protocol}`);
    }
    // No automatic retries (autoRetry stays off): creating a call is not idempotent.
    const httpClient = new RebasedRequestClient(base, { timeout });
    this.client = twilio(options.accountSid, options.authToken, { httpClient });
  }

  async dial(request: DialRequest): Promise<DialResult> {
    const params = twilioCallParams(request);
    try {
      const call = await this.client.calls.create(params);
      return { provider: 'twilio', providerCallId: call.sid };
    } catch (err) {
      throw twilioDialError(err, 'create the call');
    }
  }

  async hangUp(providerCallId: string): Promise<void> {
    if (!CALL_SID.test(providerCallId)) throw new DialError('Twilio: not a CallSid', false);
    try {
      // `completed` hangs up a call in any state (`canceled` would leave an answered call alone).
      await this.client.calls(providerCallId).update({ status: 'completed' });
    } catch (err) {
      // 21220: the call is no longer active; hanging up is done.
      if (twilioErrorCode(err) === 21220) return;
      throw twilioDialError(err, 'hang up');
    }
  }

  /** `calls(sid).update({twiml})`: the new TwiML ends the AI's stream, says the message and hangs up. */
  async dropVoicemail(providerCallId: string, message: string): Promise<void> {
    if (!CALL_SID.test(providerCallId)) throw new DialError('Twilio: not a CallSid', false);
    const twiml = voicemailTwiml(message);
    try {
      await this.client.calls(providerCallId).update({ twiml });
    } catch (err) {
      // Unlike hangUp, 21220 (the call is over) is an error: no message was left.
      throw twilioDialError(err, 'leave the voicemail');
    }
  }
}

/** `<Response><Pause length="1"/><Say>message</Say><Hangup/></Response>`, escaped by the SDK's TwiML builder. */
export function voicemailTwiml(message: string): string {
  if (!message.trim()) throw new DialError('Twilio: the voicemail message is empty', false);
  const response = new twilio.twiml.VoiceResponse();
  response.pause({ length: 1 });
  response.say(message.trim());
  response.hangup();
  const twiml = response.toString();
  // Inline TwiML is limited to 4000 characters (telephony.md A1.4).
  if (twiml.length > 4000) throw new DialError('Twilio: the voicemail TwiML is over 4000 characters', false);
  return twiml;
}

type CallCreateParams = Parameters<twilio.Twilio['calls']['create']>[0];

/** The `calls.create` parameters for a dial request (exported for tests and the demo). */
export function twilioCallParams(request: DialRequest): CallCreateParams {
  const timeout = Math.round(request.ringTimeoutSec);
  // Twilio accepts 1–600 s of ringing (21208 otherwise); the ≥ 15 s floor is the domain's rule.
  if (!Number.isFinite(timeout) || timeout < 1 || timeout > 600) {
    throw new DialError('Twilio: ringTimeoutSec must be between 1 and 600', false);
  }
  if (!request.to || !request.from) throw new DialError('Twilio: to and from are required', false);
  const callbackUrl = absoluteUrl(request.callbackUrl, 'callbackUrl');
  const answerUrl = absoluteUrl(request.answerUrl, 'answerUrl');
  const params: CallCreateParams = {
    to: request.to,
    from: request.from,
    url: answerUrl.href,
    timeout,
    statusCallback: callbackUrl.href,
    statusCallbackEvent: [...TWILIO_STATUS_CALLBACK_EVENTS],
    statusCallbackMethod: 'POST',
  };
  if (request.machineDetection) {
    const amdUrl = new URL(callbackUrl);
    amdUrl.searchParams.set(TWILIO_AMD_MARKER, '1');
    // DetectMessageEnd: a machine's verdict waits for the end of its greeting (machine_end_*), so a voicemail drop
    // starts after the beep; a human is reported as soon as known. Async: the call connects to `url` at once.
    params.machineDetection = 'DetectMessageEnd';
    params.asyncAmd = 'true';
    params.asyncAmdStatusCallback = amdUrl.href;
  }
  return params;
}

function absoluteUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DialError(`Twilio: ${name} must be an absolute URL`, false);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DialError(`Twilio: ${name} must be http(s)`, false);
  }
  return url;
}

const CALL_SID = /^CA[0-9a-f]{32}$/i;

/** Twilio's error code (21211, 20429…) of a refused request, if any. */
function twilioErrorCode(err: unknown): number | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

/** Network errors where the request did not reach Twilio, or got no answer. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_NETWORK',
]);

/**
 * A refused or failed request as a `DialError`: HTTP 408, 429 and 5xx are retryable (Twilio was busy or down), every
 * other 4xx is not (21211 invalid number, 21215/21216 geo permission or blocked, 21610 unsubscribed, 20003 bad
 * credentials…). A network error or timeout is retryable. Caution for callers: after a timeout or a 5xx Twilio may
 * still have placed the call; its status callback would then arrive for a CallSid we never learned.
 */
export function twilioDialError(err: unknown, action: string): DialError {
  if (err instanceof DialError) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown } | null;
  if (e && typeof e.status === 'number') {
    const status = e.status;
    const code = typeof e.code === 'number' ? ` error ${e.code}` : '';
    const detail = typeof e.message === 'string' && e.message ? `: ${e.message}` : '';
    const retryable = status === 408 || status === 429 || status >= 500;
    return new DialError(`Twilio refused to ${action} (HTTP ${status}${code})${detail}`, retryable, status);
  }
  const code = e && typeof e.code === 'string' ? e.code : null;
  if (code && NETWORK_CODES.has(code)) {
    return new DialError(`Twilio could not be reached to ${action} (${code})`, true);
  }
  // Anything else (an unexpected response, a bug in the request) is not known to be transient.
  const message = err instanceof Error ? err.message : String(err);
  return new DialError(`Twilio: could not ${action}: ${message}`, false);
}

// ---- callbacks → DialEvents ----

const STATUS_KIND: Record<string, DialEventKind> = {
  // The `initiated` event carries CallStatus=initiated (dialing started); a queued call has not started yet.
  queued: 'queued',
  initiated: 'queued',
  ringing: 'ringing',
  'in-progress': 'answered',
  completed: 'completed',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'failed',
  canceled: 'canceled',
};

const TERMINAL = new Set<DialEventKind>(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/**
 * The AMD verdict as a kind: `human` → human; `machine_start`, `machine_end_beep`, `machine_end_silence`,
 * `machine_end_other` and `fax` → machine; `unknown` → human. Unknown counts as a person on purpose: the opening
 * line (identity, AI disclosure, opt-out) is then spoken at once, which is right for a person and harmless for a
 * machine, whereas treating a person as a machine would leave them in silence (an abandoned call) or play them a
 * voicemail drop. `answeredBy` keeps Twilio's value, so the runtime can still tell `unknown` apart.
 */
export function answeredByKind(answeredBy: string): 'human' | 'machine' {
  const value = answeredBy.trim().toLowerCase();
  return value.startsWith('machine') || value === 'fax' ? 'machine' : 'human';
}

/**
 * A Twilio callback's form (already signature-checked) as a `DialEvent`; null when it is not one of ours.
 *
 * | Callback | Form | Kind |
 * |---|---|---|
 * | status | CallStatus queued / initiated | queued |
 * | status | CallStatus ringing | ringing |
 * | status | CallStatus in-progress | answered |
 * | status | CallStatus completed / busy / no-answer / failed / canceled | same name (durationSec = CallDuration) |
 * | async AMD (no CallStatus) | AnsweredBy human / unknown | human |
 * | async AMD (no CallStatus) | AnsweredBy machine_* / fax | machine |
 *
 * `answeredBy` is copied whenever Twilio sent it; `reason` is `SIP <code>` when Twilio sent SipResponseCode.
 */
export function twilioDialEvent(form: Record<string, string>): DialEvent | null {
  const sid = form.CallSid?.trim();
  if (!sid || !CALL_SID.test(sid)) return null;
  const base = { provider: 'twilio' as const, providerCallId: sid };
  const answeredBy = form.AnsweredBy?.trim() || undefined;
  const callStatus = form.CallStatus?.trim().toLowerCase();
  if (callStatus) {
    const kind = STATUS_KIND[callStatus];
    if (!kind) return null;
    const event: DialEvent = { ...base, kind };
    if (answeredBy) event.answeredBy = answeredBy;
    if (TERMINAL.has(kind)) {
      const duration = seconds(form.CallDuration);
      if (duration !== undefined) event.durationSec = duration;
    }
    const sip = form.SipResponseCode?.trim();
    if (sip && /^\d{3}$/.test(sip)) event.reason = `SIP ${sip}`;
    return event;
  }
  if (answeredBy) return { ...base, kind: answeredByKind(answeredBy), answeredBy };
  return null;
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
