import type { RealtimeError } from './openai-realtime-error.ts';

/** What a `RealtimeConversation` emits to the call: its events and the shapes they carry. */

export interface RealtimeToolCall {
  /** Echo it in `sendToolResult`. */
  callId: string;
  name: string;
  /** Parsed JSON arguments; `{}` when empty or not a JSON object. */
  arguments: Record<string, unknown>;
  itemId: string;
  responseId: string;
}

export interface RealtimeResponseInfo {
  responseId: string;
  /** `completed`, `cancelled`, `failed` or `incomplete`. */
  status: string;
  /** For cancelled: `turn_detected` or `client_cancelled`; for incomplete: `max_output_tokens`, … */
  reason: string | null;
  /** What the response was created with (`say` puts `purpose:"say"` and the caller's tags here). */
  metadata: Record<string, string>;
}

/** Where to truncate an interrupted assistant item. */
export interface RealtimeAudioPoint {
  itemId: string;
  audioEndMs: number;
}

export interface RealtimeConversationEvents {
  /** Assistant audio, 8 kHz μ-law exactly as received: forward it to Twilio as is. */
  audio: [chunk: Buffer, itemId: string];
  /** The item's audio is complete (no more `audio` for it). */
  audioDone: [itemId: string];
  agentTranscript: [delta: string, itemId: string];
  agentTranscriptDone: [text: string, itemId: string];
  /** Server VAD heard the caller start (barge-in trigger). `audioStartMs` is on the input buffer's clock. */
  callerSpeechStarted: [info: { itemId: string; audioStartMs: number }];
  callerSpeechStopped: [info: { itemId: string; audioEndMs: number }];
  /** The caller's utterance, from the session's input transcription (may come after the model's answer starts). */
  callerTranscript: [text: string, itemId: string];
  toolCall: [call: RealtimeToolCall];
  responseDone: [info: RealtimeResponseInfo];
  /** Emitted only when someone listens (an unheard error is logged, never thrown). */
  error: [err: RealtimeError];
  /** The socket is gone; nothing more will be emitted. */
  closed: [info: { code: number; reason: string }];
}
