import {
  DialError,
  type DialRequest,
  type DialResult,
  type OutboundDialer,
} from '../../domain/campaigns/dialer.port.ts';
import { networkError, retryableStatus, vapiHttpError } from './api-errors.ts';
import { vapiCallBody } from './create-call.ts';
import { isObject, parseJson } from './json.ts';

export { vapiHttpError } from './api-errors.ts';
export { VAPI_DIAL_SERVER_MESSAGES, vapiCallBody } from './create-call.ts';
export { vapiDialEvent, vapiEndedKind } from './dial-events.ts';

/**
 * The campaign dialer on Vapi's outbound call API (telephony.md A2, "Outbound"), over fetch:
 *
 *   POST {apiBaseUrl}/call   Authorization: Bearer <private key>   (body: `vapiCallBody`, create-call.ts)
 *
 * It places calls, hangs them up through Live Call Control and leaves voicemail to the assistant. Vapi's server
 * messages about the call become `DialEvent`s in dial-events.ts (`vapiDialEvent`).
 */

export const VAPI_API_BASE_URL = 'https://api.vapi.ai';

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

const CALL_ID = /^[\w.:-]{1,59}$/;

function controlUrlOf(call: unknown): string | null {
  if (!isObject(call) || !isObject(call.monitor)) return null;
  const url = call.monitor.controlUrl;
  return typeof url === 'string' && url ? url : null;
}
