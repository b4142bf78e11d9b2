import {
  DialError,
  type DialEvent,
  type DialEventKind,
  type DialRequest,
  type DialResult,
  type OutboundDialer,
} from '../../domain/campaigns/dialer.port.ts';
import { durationSecOf, EndOfCallReportSchema, StatusUpdateSchema } from './messages.ts';

/**
 * The campaign dialer on Vapi's outbound call API (telephony.md A2, "Outbound"), over fetch:
 *
 *   POST {apiBaseUrl}/call   Authorization: Bearer <private key>
 *        { phoneNumberId, customer: { number }, assistant: { …, server: { url }, serverMessages, metadata,
 *          voicemailDetection?, voicemailMessage? } }
 *
 * Vapi's CreateCallDto has no top-level metadata (OpenAPI / server-sdk-typescript `CreateCallDto`, `Call`): our
 * context rides on the transient assistant's `metadata`, which Vapi echoes in its server messages
 * (`message.assistant`, `message.call.assistant`) and sends to the custom LLM (`metadataSendMode: "variable"`).
 *
 * Where the URLs go: `callbackUrl` is the assistant's `server.url`, so `status-update` and `end-of-call-report`
 * (parsed by `vapiDialEvent`) reach the same route as Twilio's status callbacks; `answerUrl` is the custom-LLM
 * `model.url` of the default assistant, where the answered call's conversation goes.
 *
 * Ring timeout: CreateCallDto has no ring-timeout field, so `ringTimeoutSec` is not sent; the carrier's default
 * applies (unverified: 60 s for an imported Twilio number), which satisfies the ≥ 15 s floor.
 */

export const VAPI_API_BASE_URL = 'https://api.vapi.ai';

/** Server messages the dialer needs on `callbackUrl`; added to whatever the assistant already asks for. */
export const VAPI_DIAL_SERVER_MESSAGES = ['status-update', 'end-of-call-report'] as const;

export interface VapiOutboundDialerOptions {
  /** Vapi private API key (Bearer). */
  apiKey: string;
  /** Vapi id of the agent's phone number (an imported Twilio/Telnyx number: free Vapi numbers cannot dial out). */
  phoneNumberId: string;
  /**
   * That number in E.164. When set, a request whose `from` differs is refused: Vapi always presents the line's own
   * number, and the caller ID must be the one that takes call-backs and DNC requests.
   */
  phoneNumber?: string;
  /** Default https://api.vapi.ai; tests point it at a fake. */
  apiBaseUrl?: string;
  /** Deadline of one HTTP request. Default 10 000. */
  timeoutMs?: number;
  /** `server.credentialId`: the Vapi credential that authenticates its requests to `callbackUrl`. */
  serverCredentialId?: string;
  /**
   * The persona for a request (voice, first message, model…), e.g. from `transientAssistant()`. The dialer then sets
   * `server.url`, adds the server messages and the metadata, and adds or removes voicemail detection. Default: a
   * custom-LLM assistant on `answerUrl` that speaks first with a model-generated line.
   */
  assistant?: (request: DialRequest) => Record<string, unknown>;
}

/** How many control URLs from dial answers are kept for `hangUp` (older ones are looked up again). */
const CONTROL_URL_CACHE = 10_000;

export class VapiOutboundDialer implements OutboundDialer {
  readonly provider = 'vapi' as const;
  readonly voicemailAtDial = true;
  private readonly apiKey: string;
  private readonly phoneNumberId: string;
  private readonly phoneNumber: string | null;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly serverCredentialId: string | null;
  private readonly assistantFor: ((request: DialRequest) => Record<string, unknown>) | null;
  private readonly controlUrls = new Map<string, string>();

  constructor(options: VapiOutboundDialerOptions) {
    if (!options.apiKey) throw new Error('Vapi: apiKey is required');
    if (!options.phoneNumberId) throw new Error('Vapi: phoneNumberId is required');
    const base = new URL((options.apiBaseUrl ?? VAPI_API_BASE_URL).replace(/\/+$/, ''));
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new Error(`Vapi: apiBaseUrl must be http(s), got ${base.protocol}`);
    }
    const timeout = options.timeoutMs ?? 10_000;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new Error('Vapi: timeoutMs must be positive');
    this.apiKey = options.apiKey;
    this.phoneNumberId = options.phoneNumberId;
    this.phoneNumber = options.phoneNumber ?? null;
    this.base = base;
    this.timeoutMs = timeout;
    this.serverCredentialId = options.serverCredentialId ?? null;
    this.assistantFor = options.assistant ?? null;
  }

  async dial(request: DialRequest): Promise<DialResult> {
    if (this.phoneNumber && request.from !== this.phoneNumber) {
      throw new DialError('Vapi: the caller ID is not the number of the configured Vapi line', false);
    }
    const body = vapiCallBody(request, {
      phoneNumberId: this.phoneNumberId,
      serverCredentialId: this.serverCredentialId,
      assistant: this.assistantFor,
    });
    // No retry here: POST /call is not idempotent (a timeout or 5xx may still have placed the call).
    const call = await this.api('POST', '/call', 'create the call', body);
    const id = isObject(call) && typeof call.id === 'string' ? call.id : null;
    if (!id || !CALL_ID.test(id)) throw new DialError('Vapi: the create-call answer has no call id', false);
    const controlUrl = controlUrlOf(call);
    if (controlUrl) this.remember(id, controlUrl);
    return { provider: 'vapi', providerCallId: id };
  }

  /**
   * Ends the call through Live Call Control: POST `{type: "end-call"}` to the call's `monitor.controlUrl` (from the
   * dial answer, else `GET /call/:id`). Vapi has no REST hang-up: `DELETE /call/:id` deletes the call's data. The
   * control URL needs no key unless `monitorPlan.controlAuthenticationEnabled` is set, and then it wants the public
   * key, which the dialer does not have: the private key is never sent there.
   */
  async hangUp(providerCallId: string): Promise<void> {
    if (!CALL_ID.test(providerCallId)) throw new DialError('Vapi: not a call id', false);
    let controlUrl = this.controlUrls.get(providerCallId) ?? null;
    if (!controlUrl) {
      const call = await this.fetchCall(providerCallId);
      if (call.status === 'ended') return;
      controlUrl = controlUrlOf(call);
      if (!controlUrl) {
        throw new DialError('Vapi: the call has no control URL (assistant.monitorPlan.controlEnabled off?)', false);
      }
    }
    const target = this.trustedControlUrl(controlUrl);
    let failure: DialError;
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'end-call' }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      if (res.ok) {
        this.controlUrls.delete(providerCallId);
        return;
      }
      failure = new DialError(`Vapi refused to hang up (HTTP ${res.status})`, retryableStatus(res.status), res.status);
    } catch (err) {
      failure = networkError(err, 'hang up');
    }
    // A call that already ended has no live control endpoint (unverified what it answers then): ask the API.
    const call = await this.fetchCall(providerCallId).catch(() => null);
    if (call?.status === 'ended') {
      this.controlUrls.delete(providerCallId);
      return;
    }
    throw failure;
  }

  /**
   * A no-op: Vapi says the assistant's `voicemailMessage` (`DialRequest.voicemailMessage`) itself and only then
   * reports the machine, in the report that ends the call (without a message it hangs up silently). Live Call
   * Control's `say` with `endCallAfterSpoken` needs a live call, and there is none left by then.
   */
  async dropVoicemail(providerCallId: string, _message: string): Promise<void> {
    if (!CALL_ID.test(providerCallId)) throw new DialError('Vapi: not a call id', false);
  }

  private async fetchCall(id: string): Promise<Record<string, unknown>> {
    const call = await this.api('GET', `/call/${encodeURIComponent(id)}`, 'look up the call');
    if (!isObject(call)) throw new DialError('Vapi: the call lookup answered no call', false);
    return call;
  }

  /** Control URLs come from Vapi's answers; only https ones (or the API's own origin, as a test fake) are used. */
  private trustedControlUrl(value: string): string {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new DialError('Vapi: the control URL is not a URL', false);
    }
    if (url.protocol !== 'https:' && url.origin !== this.base.origin) {
      throw new DialError('Vapi: refusing a control URL that is neither https nor on the API origin', false);
    }
    return url.href;
  }

  private remember(id: string, controlUrl: string): void {
    this.controlUrls.set(id, controlUrl);
    if (this.controlUrls.size > CONTROL_URL_CACHE) {
      const oldest = this.controlUrls.keys().next().value;
      if (oldest !== undefined) this.controlUrls.delete(oldest);
    }
  }

  private async api(method: 'GET' | 'POST', path: string, action: string, body?: unknown): Promise<unknown> {
    const url = `${this.base.href.replace(/\/+$/, '')}${path}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw networkError(err, action);
    }
    const json = parseJson(text);
    if (!res.ok) throw vapiHttpError(res.status, json, action);
    if (json === undefined) throw new DialError(`Vapi: could not ${action}: the answer is not JSON`, false, res.status);
    return json;
  }
}

/** The body of `POST /call` for a dial request (exported for tests). */
export function vapiCallBody(
  request: DialRequest,
  options: {
    phoneNumberId: string;
    serverCredentialId?: string | null;
    assistant?: ((request: DialRequest) => Record<string, unknown>) | null;
  },
): Record<string, unknown> {
  if (!request.to) throw new DialError('Vapi: to is required', false);
  const callbackUrl = absoluteUrl(request.callbackUrl, 'callbackUrl');
  const answerUrl = absoluteUrl(request.answerUrl, 'answerUrl');
  const base = options.assistant ? options.assistant(request) : defaultAssistant(answerUrl);
  const { voicemailDetection, server, serverMessages, metadata, ...rest } = base;
  const messages = Array.isArray(serverMessages) ? serverMessages.filter((m) => typeof m === 'string') : [];
  const assistant: Record<string, unknown> = {
    ...rest,
    server: {
      ...(isObject(server) ? server : {}),
      url: callbackUrl,
      ...(options.serverCredentialId ? { credentialId: options.serverCredentialId } : {}),
    },
    serverMessages: [...new Set([...messages, ...VAPI_DIAL_SERVER_MESSAGES])],
    metadata: { ...(isObject(metadata) ? metadata : {}), ...request.metadata, attemptKey: request.attemptKey },
  };
  if (request.machineDetection) {
    // Off by default at Vapi. A detected machine ends the call with endedReason "voicemail", after the assistant said
    // its `voicemailMessage` (CreateAssistantDTO: "if unspecified, it will hang up").
    assistant.voicemailDetection = isObject(voicemailDetection) ? voicemailDetection : { provider: 'vapi' };
  }
  const voicemailMessage = request.voicemailMessage?.trim();
  if (voicemailMessage) {
    if (voicemailMessage.length > 1000) throw new DialError('Vapi: voicemailMessage is over 1000 characters', false);
    assistant.voicemailMessage = voicemailMessage;
  }
  return {
    phoneNumberId: options.phoneNumberId,
    customer: { number: request.to },
    assistant,
  };
}

/** The dialer's own persona when none is given: our runtime is the model and speaks the opening line at once. */
function defaultAssistant(answerUrl: string): Record<string, unknown> {
  return {
    name: 'Campaign call',
    // Unverified with custom-llm: Vapi asks the model for the first line instead of waiting for the callee.
    firstMessageMode: 'assistant-speaks-first-with-model-generated-message',
    model: { provider: 'custom-llm', url: answerUrl, model: 'campaign', metadataSendMode: 'variable' },
  };
}

function absoluteUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DialError(`Vapi: ${name} must be an absolute URL`, false);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new DialError(`Vapi: ${name} must be http(s)`, false);
  return url.href;
}

const CALL_ID = /^[\w.:-]{1,59}$/;

function controlUrlOf(call: unknown): string | null {
  if (!isObject(call) || !isObject(call.monitor)) return null;
  const url = call.monitor.controlUrl;
  return typeof url === 'string' && url ? url : null;
}

/** 408, 429 and 5xx are worth another attempt; every other 4xx is not. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Vapi's error answer `{message: string | string[], error, statusCode}` as a `DialError`. A 4xx that names the
 * concurrency limit is retryable (unverified wording and status: Vapi reports the org's concurrent-call limit, and
 * a slot frees up when a call ends).
 */
export function vapiHttpError(status: number, body: unknown, action: string): DialError {
  const raw = isObject(body) ? body.message : undefined;
  const text = Array.isArray(raw)
    ? raw.filter((m) => typeof m === 'string').join('; ')
    : typeof raw === 'string'
      ? raw
      : '';
  const concurrency = /concurren/i.test(text);
  return new DialError(
    `Vapi refused to ${action} (HTTP ${status})${text ? `: ${text}` : ''}`,
    retryableStatus(status) || concurrency,
    status,
  );
}

function networkError(err: unknown, action: string): DialError {
  if (err instanceof DialError) return err;
  const e = err as { name?: unknown; cause?: { code?: unknown } } | null;
  const why =
    e?.name === 'TimeoutError' ? 'timed out' : typeof e?.cause?.code === 'string' ? e.cause.code : 'network error';
  return new DialError(`Vapi could not be reached to ${action} (${why})`, true);
}

// ---- server messages → DialEvents ----

const STATUS_KIND: Record<string, DialEventKind> = {
  scheduled: 'queued',
  queued: 'queued',
  ringing: 'ringing',
  'in-progress': 'answered',
};

/**
 * Vapi's `endedReason` as a kind (docs `calls/call-ended-reason`):
 *
 * | endedReason | Kind |
 * |---|---|
 * | customer-busy, …-sip-486-… | busy |
 * | customer-did-not-answer, …-sip-408-…, …-sip-480-… | no-answer |
 * | voicemail | machine |
 * | manually-canceled, scheduled-call-deleted, call-deleted | canceled |
 * | call.start.error-*, *error*, *failed*, *fault*, assistant-not-*, assistant-request-*, assistant-join-timed-out, twilio-reported-customer-misdialed, vonage-rejected, *never-connected*, worker-shutdown, customer-did-not-give-microphone-permission | failed |
 * | anything else (customer-ended-call, assistant-ended-call*, assistant-said-end-call-phrase, assistant-forwarded-call, exceeded-max-duration, silence-timed-out, *-completed-call, vonage-completed, …) and a missing reason | completed |
 *
 * An error after the call was answered is still `failed`: the `answered` event before it tells the two apart.
 */
export function vapiEndedKind(endedReason: string | null | undefined): DialEventKind {
  const r = (endedReason ?? '').trim().toLowerCase();
  if (!r) return 'completed';
  if (r === 'customer-busy' || /sip-486\b/.test(r)) return 'busy';
  if (r === 'customer-did-not-answer' || /sip-(408|480)\b/.test(r)) return 'no-answer';
  if (r === 'voicemail') return 'machine';
  if (r === 'manually-canceled' || r === 'scheduled-call-deleted' || r === 'call-deleted') return 'canceled';
  if (
    r.startsWith('call.start.error') ||
    /error|failed|fault|never-connected/.test(r) ||
    r.startsWith('assistant-not-') ||
    r.startsWith('assistant-request-') ||
    r === 'assistant-join-timed-out' ||
    r === 'twilio-reported-customer-misdialed' ||
    r === 'vonage-rejected' ||
    r === 'worker-shutdown' ||
    r === 'customer-did-not-give-microphone-permission'
  ) {
    return 'failed';
  }
  return 'completed';
}

/**
 * A Vapi server message (the `{message}` envelope or the message itself, already authenticated) as a `DialEvent`;
 * null for other message types or shapes.
 *
 * | Message | Kind |
 * |---|---|
 * | status-update scheduled / queued | queued |
 * | status-update ringing | ringing |
 * | status-update in-progress | answered |
 * | status-update forwarding | null (nothing for the dialer) |
 * | status-update ended | `vapiEndedKind(endedReason)` |
 * | end-of-call-report | `vapiEndedKind(endedReason)`, with durationSec |
 *
 * Both `status-update ended` and `end-of-call-report` report the end: consumers handle a repeated terminal event
 * per call (carriers repeat callbacks anyway). `attemptKey` comes from the assistant's metadata as echoed in the
 * message; `reason` is the endedReason.
 */
export function vapiDialEvent(input: unknown): DialEvent | null {
  const message = isObject(input) && isObject(input.message) ? input.message : input;
  if (!isObject(message)) return null;
  let id: string;
  let kind: DialEventKind;
  let reason: string | undefined;
  let durationSec: number | undefined;
  let ended = false;
  if (message.type === 'status-update') {
    const parsed = StatusUpdateSchema.safeParse(message);
    if (!parsed.success) return null;
    const m = parsed.data;
    id = m.call.id;
    const status = m.status.toLowerCase();
    if (status === 'ended') {
      ended = true;
      reason = m.endedReason ?? m.call.endedReason ?? undefined;
      kind = vapiEndedKind(reason);
    } else {
      const mapped = STATUS_KIND[status];
      if (!mapped) return null;
      kind = mapped;
    }
  } else if (message.type === 'end-of-call-report') {
    const parsed = EndOfCallReportSchema.safeParse(message);
    if (!parsed.success) return null;
    const m = parsed.data;
    id = m.call.id;
    ended = true;
    reason = m.endedReason ?? m.call.endedReason ?? undefined;
    kind = vapiEndedKind(reason);
    durationSec = durationSecOf(m) ?? undefined;
  } else {
    return null;
  }
  const event: DialEvent = { provider: 'vapi', providerCallId: id, kind };
  if (ended) event.ended = true;
  if (reason) event.reason = reason;
  if (durationSec !== undefined) event.durationSec = durationSec;
  const attemptKey = attemptKeyOf(message);
  if (attemptKey) event.attemptKey = attemptKey;
  return event;
}

/** Our attempt key as Vapi echoes the assistant's metadata (message.assistant, call.assistant, overrides). */
function attemptKeyOf(message: Record<string, unknown>): string | undefined {
  const call = isObject(message.call) ? message.call : {};
  const holders = [message.assistant, call.assistant, call.assistantOverrides, call, message];
  for (const holder of holders) {
    if (!isObject(holder) || !isObject(holder.metadata)) continue;
    const key = holder.metadata.attemptKey;
    if (typeof key === 'string' && key.trim() && key.length <= 200) return key;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
