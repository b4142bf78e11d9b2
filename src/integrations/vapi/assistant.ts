/**
 * Our answers to Vapi's `assistant-request` (telephony.md A2). Field names follow Vapi's OpenAPI
 * (`CreateAssistantDto`, `CustomLLMModel`, `ElevenLabsVoice`, `Server`, `CreateEndCallToolDto`,
 * `CreateTransferCallToolDto`, `TransferDestinationNumber`, `AssistantOverrides`).
 */

/** The server messages our webhook acts on (the rest are not requested). */
export const VAPI_SERVER_MESSAGES = [
  'status-update',
  'end-of-call-report',
  'tool-calls',
  'conversation-update',
  'user-interrupted',
] as const;

export interface TransientAssistantInput {
  agentName: string;
  /** What Vapi speaks first (brokerage, AI disclosure, recording notice where required). */
  greeting: string;
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** ElevenLabs voice id of the persona. */
  voiceId: string;
  /** The agent's mobile (E.164): the transfer destination; no transfer tool without one. */
  transferTo: string | null;
  callSid: string;
  agentId: number;
  /** The credential Vapi used for this request (the phone number's `server.credentialId`), reused for our webhooks. */
  credentialId?: string | null;
  maxDurationSeconds: number;
}

/**
 * A transient assistant whose brain is ours: Vapi does telephony, speech-to-text and text-to-speech, and asks
 * `{publicUrl}/vapi/chat/completions` (custom LLM; `model.url` is the OpenAI client's baseURL) for every reply.
 */
export function transientAssistant(a: TransientAssistantInput): Record<string, unknown> {
  const tools: Record<string, unknown>[] = [
    // The model (our runtime) ends the call by calling `endCall`. Current schema: an endCall tool; the legacy
    // `endCallFunctionEnabled: true` flag is not sent (unverified whether Vapi still accepts it next to tools).
    { type: 'endCall' },
  ];
  if (a.transferTo) {
    tools.push({
      // Legacy `forwardingPhoneNumber` is replaced by the transferCall tool in the current schema.
      type: 'transferCall',
      // message "" = nothing spoken by Vapi: our session already said "Let me connect you with …".
      destinations: [{ type: 'number', number: a.transferTo, message: '' }],
    });
  }
  return {
    // Vapi limits assistant names to 40 characters.
    name: `Receptionist for ${a.agentName}`.slice(0, 40),
    firstMessage: a.greeting,
    firstMessageMode: 'assistant-speaks-first',
    model: {
      provider: 'custom-llm',
      url: `${a.publicUrl}/vapi`,
      model: 'receptionist',
      // "variable" (Vapi's default) sends call, phoneNumber, customer and this assistant's metadata with every request.
      metadataSendMode: 'variable',
      tools,
    },
    voice: { provider: '11labs', voiceId: a.voiceId },
    server: {
      url: `${a.publicUrl}/vapi/webhook`,
      // Without a credential Vapi would call the webhook unauthenticated and we would refuse it (unverified that the
      // phone number's credentialId is echoed in the message; without it, set the credential on the org server URL).
      ...(a.credentialId ? { credentialId: a.credentialId } : {}),
    },
    serverMessages: [...VAPI_SERVER_MESSAGES],
    // Slightly above our own limit: the session says its wrap-up line before Vapi would cut the call.
    maxDurationSeconds: a.maxDurationSeconds + 30,
    metadata: { callSid: a.callSid, agentId: a.agentId },
  };
}

/**
 * The answer when VAPI_ASSISTANT_ID names a saved assistant: that assistant, with this call's greeting (the
 * recording notice depends on the caller's state) and our call id as overrides.
 */
export function savedAssistant(assistantId: string, greeting: string, callSid: string): Record<string, unknown> {
  return {
    assistantId,
    assistantOverrides: { firstMessage: greeting, metadata: { callSid } },
  };
}
