import { z } from 'zod';
import type { CallStatus } from '../../domain/calls/call.entity.ts';

/**
 * Vapi server-URL messages and custom-LLM requests, as far as we read them (telephony.md A2; Vapi OpenAPI
 * `ServerMessage*`, `Call`, `Artifact`, `Recording`, `ToolCall`, `CustomLLMModel`). Every schema is loose: Vapi
 * adds fields freely, and what we do not read is ignored. Shapes not confirmed by the OpenAPI are marked.
 */

const phone = z.string().trim().max(64);
const text = z.string().max(1_000_000);
const isoDate = z.string().max(64);

export const VapiPhoneNumberSchema = z
  .object({
    number: phone.nullish(),
    /** The number's server config; its credentialId is reused for the transient assistant's webhooks. */
    server: z
      .object({ url: z.string().max(2000).nullish(), credentialId: z.string().max(200).nullish() })
      .loose()
      .nullish(),
  })
  .loose();

export const VapiCustomerSchema = z.object({ number: phone.nullish(), name: z.string().max(200).nullish() }).loose();

/** Vapi's Call object. Our call record is keyed `vapi:<id>` (64 characters at most). */
export const VapiCallSchema = z
  .object({
    id: z
      .string()
      .trim()
      .min(1)
      .max(59)
      .regex(/^[\w.:-]+$/, 'must be a Vapi call id'),
    /** Only for transient numbers; saved numbers come as message.phoneNumber. */
    phoneNumber: VapiPhoneNumberSchema.nullish(),
    customer: VapiCustomerSchema.nullish(),
    startedAt: isoDate.nullish(),
    endedAt: isoDate.nullish(),
    endedReason: z.string().max(200).nullish(),
  })
  .loose();
export type VapiCall = z.infer<typeof VapiCallSchema>;

/** What every message carries besides its type-specific fields. */
const common = {
  call: VapiCallSchema,
  phoneNumber: VapiPhoneNumberSchema.nullish(),
  customer: VapiCustomerSchema.nullish(),
  timestamp: z.union([z.number(), z.string().max(64)]).nullish(),
};

/** `{ message: { type, … } }`: routed on the type before the type's own schema is applied. */
export const VapiEnvelopeSchema = z.object({ message: z.object({ type: z.string().trim().min(1).max(100) }).loose() });

export const AssistantRequestSchema = z.object({ type: z.literal('assistant-request'), ...common }).loose();
export type AssistantRequest = z.infer<typeof AssistantRequestSchema>;

const toolArguments = z.union([z.record(z.string(), z.unknown()), z.string().max(100_000)]).nullish();

/**
 * One tool call. The OpenAPI ToolCall is `{id, type, function: {name, arguments: string}}`; the server-URL docs show
 * `{id, name, parameters}`; recorded payloads also carry `function.arguments` as an object. All are accepted.
 */
const ToolCallItemSchema = z
  .object({
    id: z.string().trim().min(1).max(200),
    name: z.string().trim().max(100).nullish(),
    parameters: toolArguments,
    arguments: toolArguments,
    function: z
      .object({ name: z.string().trim().max(100).nullish(), arguments: toolArguments, parameters: toolArguments })
      .loose()
      .nullish(),
  })
  .loose();

const ToolWithToolCallSchema = z
  .object({
    name: z.string().trim().max(100).nullish(),
    function: z
      .object({ name: z.string().trim().max(100).nullish() })
      .loose()
      .nullish(),
    toolCall: ToolCallItemSchema,
  })
  .loose();

export const ToolCallsSchema = z
  .object({
    type: z.literal('tool-calls'),
    ...common,
    toolCallList: z.array(ToolCallItemSchema).max(50).nullish(),
    toolWithToolCallList: z.array(ToolWithToolCallSchema).max(50).nullish(),
  })
  .loose()
  .refine((m) => (m.toolCallList?.length ?? 0) > 0 || (m.toolWithToolCallList?.length ?? 0) > 0, {
    message: 'toolCallList is empty',
    path: ['toolCallList'],
  });
export type ToolCallsMessage = z.infer<typeof ToolCallsSchema>;

export const StatusUpdateSchema = z
  .object({
    type: z.literal('status-update'),
    ...common,
    status: z.string().trim().min(1).max(40),
    endedReason: z.string().max(200).nullish(),
  })
  .loose();
export type StatusUpdate = z.infer<typeof StatusUpdateSchema>;

const url = z.string().trim().max(4000);

export const EndOfCallReportSchema = z
  .object({
    type: z.literal('end-of-call-report'),
    ...common,
    endedReason: z.string().max(200).nullish(),
    startedAt: isoDate.nullish(),
    endedAt: isoDate.nullish(),
    /** Legacy top-level fields, still sent alongside `artifact` (not in the current OpenAPI). */
    durationSeconds: z.number().nonnegative().nullish(),
    durationMs: z.number().nonnegative().nullish(),
    recordingUrl: url.nullish(),
    stereoRecordingUrl: url.nullish(),
    transcript: text.nullish(),
    summary: text.nullish(),
    artifact: z
      .object({
        /** OpenAPI Recording: {stereoUrl, mono: {combinedUrl, assistantUrl, customerUrl}}; `url` and a bare string are accepted too. */
        recording: z
          .union([
            url,
            z
              .object({
                url: url.nullish(),
                stereoUrl: url.nullish(),
                mono: z.object({ combinedUrl: url.nullish() }).loose().nullish(),
              })
              .loose(),
          ])
          .nullish(),
        recordingUrl: url.nullish(),
        stereoRecordingUrl: url.nullish(),
        transcript: text.nullish(),
      })
      .loose()
      .nullish(),
    analysis: z.object({ summary: text.nullish() }).loose().nullish(),
  })
  .loose();
export type EndOfCallReport = z.infer<typeof EndOfCallReportSchema>;

/** Our call record's CallSid for a Vapi call. */
export const vapiCallSid = (callId: string): string => `vapi:${callId}`;

/** The caller and the dialled line of a message or request (message-level objects first, then the call's). */
export function callNumbers(m: {
  call?: VapiCall | null;
  phoneNumber?: { number?: string | null } | null;
  customer?: { number?: string | null } | null;
}): { from: string; to: string } {
  return {
    from: (m.customer?.number ?? m.call?.customer?.number ?? '').slice(0, 32),
    to: m.phoneNumber?.number ?? m.call?.phoneNumber?.number ?? '',
  };
}

/** Vapi call status → ours; null for a status we do not track. */
const STATUS_MAP: Record<string, CallStatus> = {
  scheduled: 'queued',
  queued: 'queued',
  ringing: 'ringing',
  'in-progress': 'in-progress',
  // Being forwarded to a person: still in progress on our side.
  forwarding: 'in-progress',
  ended: 'completed',
};

export function mapVapiStatus(status: string): CallStatus | null {
  return STATUS_MAP[status] ?? null;
}

export interface NormalizedToolCall {
  id: string;
  name: string;
  args: Record<string, unknown> | null;
  /** Why the call cannot run (no name, arguments not a JSON object). */
  problem?: string;
}

/** The message's tool calls, one shape: `toolCallList`, else `toolWithToolCallList`. */
export function normalizeToolCalls(m: ToolCallsMessage): NormalizedToolCall[] {
  const items = m.toolCallList?.length
    ? m.toolCallList.map((item) => ({ item, outerName: null as string | null | undefined }))
    : (m.toolWithToolCallList ?? []).map((t) => ({ item: t.toolCall, outerName: t.name ?? t.function?.name }));
  return items.map(({ item, outerName }) => {
    const name = item.name ?? item.function?.name ?? outerName ?? '';
    const raw = item.parameters ?? item.arguments ?? item.function?.arguments ?? item.function?.parameters ?? {};
    const args = toArgs(raw);
    if (!name) return { id: item.id, name: '', args: null, problem: 'The tool call has no name' };
    if (!args) return { id: item.id, name, args: null, problem: `Arguments for ${name} are not a JSON object` };
    return { id: item.id, name, args };
  });
}

function toArgs(raw: unknown): Record<string, unknown> | null {
  let value = raw;
  if (typeof raw === 'string') {
    if (!raw.trim()) return {};
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const httpUrl = (s: string | null | undefined): string | null => (s && /^https?:\/\/\S+$/i.test(s) ? s : null);

/** The recording to keep: the mono (combined) recording, else the stereo one, in any of the documented places. */
export function recordingUrlOf(m: EndOfCallReport): string | null {
  const a = m.artifact;
  const rec = a?.recording;
  const candidates =
    typeof rec === 'string' ? [rec] : [rec?.mono?.combinedUrl, rec?.url, a?.recordingUrl, rec?.stereoUrl];
  for (const c of [...candidates, a?.stereoRecordingUrl, m.recordingUrl, m.stereoRecordingUrl]) {
    const ok = httpUrl(c);
    if (ok) return ok;
  }
  return null;
}

const dateOf = (s: string | null | undefined): Date | null => {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
};

export function endedAtOf(m: EndOfCallReport): Date | null {
  return dateOf(m.endedAt ?? m.call.endedAt);
}

/** Whole seconds: from startedAt/endedAt, else durationSeconds, else durationMs. */
export function durationSecOf(m: EndOfCallReport): number | null {
  const start = dateOf(m.startedAt ?? m.call.startedAt);
  const end = endedAtOf(m);
  if (start && end && end >= start) return Math.round((end.getTime() - start.getTime()) / 1000);
  if (typeof m.durationSeconds === 'number') return Math.round(m.durationSeconds);
  if (typeof m.durationMs === 'number') return Math.round(m.durationMs / 1000);
  return null;
}

/**
 * A short note for a call our session never summarised (the caller hung up during the greeting, or a saved
 * assistant ran its own model): Vapi's analysis summary, else the start of its transcript. Our own turns
 * (call_turns) stay the transcript of record; Vapi's transcript is not stored whole.
 */
export function vapiNoteOf(m: EndOfCallReport, max = 1000): string | null {
  const summary = m.analysis?.summary?.trim() || m.summary?.trim();
  if (summary) return clip(`Vapi summary: ${summary}`, max);
  const transcript = (m.artifact?.transcript ?? m.transcript)?.trim();
  return transcript ? clip(`Vapi transcript: ${transcript.replace(/\s+/g, ' ')}`, max) : null;
}

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

// ---- custom LLM (OpenAI chat completions) ----

const ContentPartSchema = z.object({ type: z.string().max(40), text: z.string().max(100_000).nullish() }).loose();

const ChatMessageSchema = z
  .object({
    role: z.string().max(40),
    content: z.union([z.string().max(100_000), z.array(ContentPartSchema).max(100), z.null()]).optional(),
  })
  .loose();
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/**
 * Vapi's request to `{model.url}/chat/completions`: an OpenAI chat request plus, with `metadataSendMode` "variable"
 * (the default), the `call`, `phoneNumber`, `customer` and `metadata` (the assistant's) objects.
 */
export const ChatCompletionRequestSchema = z
  .object({
    model: z.string().max(200).nullish(),
    messages: z.array(ChatMessageSchema).max(5000),
    stream: z.boolean().nullish(),
    tools: z.array(z.unknown()).max(200).nullish(),
    call: VapiCallSchema,
    phoneNumber: VapiPhoneNumberSchema.nullish(),
    customer: VapiCustomerSchema.nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export function contentText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content
    .filter((p) => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join(' ');
}

const isAssistant = (role: string): boolean => role === 'assistant' || role === 'bot';

/**
 * What the caller said since the assistant last spoke: the user messages after the last assistant message, joined
 * (Vapi may split one utterance in two when the caller pauses). `index` is the position of the last of them.
 */
export function callerTurnOf(messages: ChatMessage[]): { text: string; index: number } | null {
  const parts: string[] = [];
  let index = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (isAssistant(m.role)) break;
    if (m.role !== 'user') continue;
    if (index === -1) index = i;
    const said = contentText(m.content).trim();
    if (said) parts.unshift(said);
  }
  return parts.length ? { text: parts.join(' '), index } : null;
}

export const hasAssistantMessage = (messages: ChatMessage[]): boolean => messages.some((m) => isAssistant(m.role));

/**
 * Vapi's own tools as the model calls them: the `endCall` tool type (legacy `endCallFunctionEnabled`) and the
 * `transferCall` tool type with `{destination}`. Names from Vapi's custom-LLM tool-calling guide (unverified against
 * a live call: Vapi lists them in the request's `tools`).
 */
export const VAPI_END_CALL_FUNCTION = 'endCall';
export const VAPI_TRANSFER_CALL_FUNCTION = 'transferCall';

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

export interface CompletionToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export function completionChunk(
  meta: CompletionMeta,
  delta: Record<string, unknown>,
  finishReason: 'stop' | 'tool_calls' | null = null,
): Record<string, unknown> {
  return {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

/** A non-streamed `chat.completion` with the whole reply. */
export function completion(
  meta: CompletionMeta,
  content: string,
  toolCalls: CompletionToolCall[],
  finishReason: 'stop' | 'tool_calls',
): Record<string, unknown> {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content || null,
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finishReason,
      },
    ],
  };
}
