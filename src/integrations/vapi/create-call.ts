import { DialError, type DialRequest } from '../../domain/campaigns/dialer.port.ts';
import { isObject } from './json.ts';

/**
 * The body of Vapi's `POST /call` for a campaign dial:
 *
 *   { phoneNumberId, customer: { number }, assistant: { …, server: { url }, serverMessages, metadata,
 *     voicemailDetection?, voicemailMessage? } }
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

/** Server messages the dialer needs on `callbackUrl`; added to whatever the assistant already asks for. */
export const VAPI_DIAL_SERVER_MESSAGES = ['status-update', 'end-of-call-report'] as const;

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
