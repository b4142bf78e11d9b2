import type {
  RealtimeAudioInputTurnDetection,
  RealtimeFunctionTool,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import type { BrainToolSpec } from '../../call-runtime/brain.port.ts';

/**
 * The configuration of a Realtime conversation session (GA `session.update{session:{type:"realtime", …}}`): its
 * defaults, the whole session sent on connect, the partial updates sent when the machine's state changes, and the
 * per-response instructions that make the model say a given line.
 */

export const OPENAI_REALTIME_DEFAULT_VOICE = 'alloy';
export const OPENAI_REALTIME_DEFAULT_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

export type RealtimeTurnDetection = RealtimeAudioInputTurnDetection;

/** `server_vad` with the documented defaults; the server answers by itself and cancels its answer on speech. */
export const DEFAULT_REALTIME_TURN_DETECTION: RealtimeTurnDetection = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
};

export interface RealtimeSessionSettings {
  /** System prompt of the session (persona, call facts, guidance for the machine's state). */
  instructions: string;
  /** The tools the machine allows in its current state (never more). */
  tools: BrainToolSpec[];
  /** Default `alloy`. Cannot change once the model has spoken. */
  voice?: string;
  /** Default `DEFAULT_REALTIME_TURN_DETECTION`; `null`: no VAD, the app calls `commit()`. */
  turnDetection?: RealtimeTurnDetection | null;
  /** Caller-side transcription (needed for `callerTranscript`). Default gpt-4o-mini-transcribe; `null`: off. */
  transcription?: { model: string; language?: string } | null;
  /** Default `auto`. */
  toolChoice?: 'auto' | 'none' | 'required';
}

export interface RealtimeSessionUpdate {
  instructions?: string;
  tools?: BrainToolSpec[];
  toolChoice?: 'auto' | 'none' | 'required';
}

/** The whole session sent on connect: μ-law both ways, so Twilio's audio goes through untouched. */
export function fullRealtimeSession(settings: RealtimeSessionSettings): RealtimeSessionCreateRequest {
  const transcription =
    settings.transcription === undefined
      ? { model: OPENAI_REALTIME_DEFAULT_TRANSCRIPTION_MODEL }
      : (settings.transcription ?? undefined);
  return {
    type: 'realtime',
    output_modalities: ['audio'],
    instructions: settings.instructions,
    tools: realtimeTools(settings.tools),
    tool_choice: settings.toolChoice ?? 'auto',
    audio: {
      input: {
        format: { type: 'audio/pcmu' },
        turn_detection: settings.turnDetection === undefined ? DEFAULT_REALTIME_TURN_DETECTION : settings.turnDetection,
        ...(transcription ? { transcription } : {}),
      },
      output: {
        format: { type: 'audio/pcmu' },
        voice: settings.voice ?? OPENAI_REALTIME_DEFAULT_VOICE,
      },
    },
  };
}

/** A partial session: only the fields present change. */
export function realtimeSessionUpdate(update: RealtimeSessionUpdate): RealtimeSessionCreateRequest {
  const session: RealtimeSessionCreateRequest = { type: 'realtime' };
  if (update.instructions !== undefined) session.instructions = update.instructions;
  if (update.tools !== undefined) session.tools = realtimeTools(update.tools);
  if (update.toolChoice !== undefined) session.tool_choice = update.toolChoice;
  return session;
}

/**
 * The instructions of a `say` response. A Realtime model cannot be handed audio to speak, and a
 * `conversation.item.create` of an assistant text item adds context but no audio; so the line is asked
 * for: per-response `instructions` replace the session's for this one response, `tool_choice:"none"` keeps
 * it from calling tools, and the quoted line is the whole answer. The model may still vary a word; the
 * `agentTranscriptDone` of that response says what it actually said.
 */
export function sayInstructions(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `Say exactly the following line, word for word, in the conversation's language and your usual voice, then stop. Do not add, change or answer anything:\n"${line}"`;
}

/** Realtime function tools (flat `{type, name, description, parameters}`, unlike Chat Completions). */
export function realtimeTools(specs: BrainToolSpec[]): RealtimeFunctionTool[] {
  return specs.map((s) => ({ type: 'function', name: s.name, description: s.description, parameters: s.parameters }));
}
