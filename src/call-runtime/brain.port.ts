import type { Persona } from './persona.ts';

/**
 * The Brain port: what the call runtime asks of a dialogue model. One `step` is one model call: it streams
 * text and ends with the tool calls the model wants. The runtime runs those tools (only the ones the machine
 * allows in its current state), appends their results to the history and calls `step` again, until a step
 * asks for no tool. Adapters: OpenAI and Anthropic (src/integrations/llm) and the local deterministic brain
 * (src/voice/local-brain), which is the default when no key is set.
 */

export interface BrainToolCall {
  /** Unique within the call; echoed in the tool result. */
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** One item of the conversation, vendor-neutral. The history always starts with a user or assistant item. */
export type ConversationItem =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls?: BrainToolCall[] }
  | {
      role: 'tool';
      toolCallId: string;
      name: string;
      /** What the model reads: JSON text of `{ok, data | error, voice_summary}`. */
      content: string;
    };

export interface BrainToolSpec {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12 subset, type "object") of the arguments. */
  parameters: Record<string, unknown>;
  /** The tool only reads (a change needs the caller's yes on voice-command calls). */
  readOnly?: boolean;
}

export interface BrainStepRequest {
  /** System prompt: persona, call facts (agent, brokerage, caller, time), guidance for the current state. */
  instructions: string;
  /** Whole conversation so far, oldest first; the last item is the caller's new utterance or a tool result. */
  history: ConversationItem[];
  /** The tools the machine allows in its current state (never more). */
  tools: BrainToolSpec[];
  /** The machine's current dialogue state (e.g. "triage", "property", "offeringHuman"). */
  phase: string;
  /** Aborted when the caller interrupts or hangs up: stop streaming, make no more requests. */
  signal: AbortSignal;
}

export type BrainChunk =
  /**
   * A piece of the answer, in order (any size: a token, a sentence). `voiced`: the brain has already spoken it
   * (speech-to-speech models); the runtime records it but does not send it to speech synthesis.
   */
  | { type: 'text'; text: string; voiced?: boolean }
  /** A tool the model wants run; emitted after the text of the step. */
  | { type: 'tool_call'; call: BrainToolCall };

export interface Brain {
  /** "openai", "anthropic", "local" or "openai-realtime". */
  readonly name: string;
  /** The brain produces its own audio (speech-to-speech): no spoken fillers, its text is not synthesised. */
  readonly speaks?: boolean;
  step(req: BrainStepRequest): AsyncIterable<BrainChunk>;
}

/** What a brain may know about the call when it is created. */
export interface BrainCallInfo {
  /** IANA time zone of the agent whose line was called ("tomorrow at 3" is their 3 pm). */
  timeZone: string;
  agentName: string;
  /** An outbound campaign call: who is called, about what, with which playbook. */
  campaign?: CampaignCallInfo;
  /** The agent themselves, running the business by voice (after caller ID and PIN). */
  voiceCommands?: boolean;
}

/** What a brain knows about the campaign call it speaks on (the playbook's persona is agents/<playbook>.json). */
export interface CampaignCallInfo {
  playbook: string;
  /** The person called (their name on the target or contact), when known. */
  personName: string | null;
  /** The campaign's property, when it has one. */
  propertyId: number | null;
  /** Its address as spoken, when it has one. */
  propertyAddress: string | null;
  /** The playbook's persona (its lines and steps). */
  persona: Persona;
}

/** Creates one brain per call (the local brain keeps per-call dialogue memory; LLM brains may ignore the info). */
export type BrainFactory = (call: BrainCallInfo) => Brain;

/** A failure of the model provider (after the adapter's own retries); the runtime apologises and goes on. */
export class BrainError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BrainError';
  }
}
