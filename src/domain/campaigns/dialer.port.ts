/**
 * How the campaign dialer places a call and hears what became of it. Adapters: Twilio (`calls.create` with
 * status callbacks and async answering-machine detection) and Vapi (outbound call API); both turn the
 * carrier's callbacks into `DialEvent`s.
 */

export type DialProvider = 'twilio' | 'vapi';

export interface DialRequest {
  /** Our idempotency key for this attempt (campaign, target, attempt number), sent as metadata. */
  attemptKey: string;
  /** The number called, E.164. */
  to: string;
  /** The caller ID, E.164 (a number of the agent's that accepts call-backs and DNC requests). */
  from: string;
  /** Ring this long before giving up (≥ 15 s: the abandonment rule's "4 rings"). */
  ringTimeoutSec: number;
  /** Detect answering machines (async: the call connects at once, the verdict comes as an event). */
  machineDetection: boolean;
  /** Where the carrier reports progress: status callbacks and the AMD verdict (Twilio), the server URL (Vapi). */
  callbackUrl: string;
  /** Where the answered call's conversation goes (Twilio: the TwiML URL; Vapi: the custom-LLM URL). */
  answerUrl: string;
  /** Context for the agent that speaks (campaign, target, purpose…); strings only. */
  metadata: Record<string, string>;
  /**
   * The voicemail drop, for carriers that leave it themselves (Vapi: the assistant's `voicemailMessage`, said when
   * its detection hears a machine). Twilio ignores it here: the drop is `dropVoicemail` after the AMD verdict.
   */
  voicemailMessage?: string;
}

export interface DialResult {
  provider: DialProvider;
  /** The carrier's id of the call (Twilio CallSid, Vapi call id). */
  providerCallId: string;
}

/** What became of a dialled call, normalised from the carrier's callbacks. */
export type DialEventKind =
  'queued' | 'ringing' | 'answered' | 'human' | 'machine' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export interface DialEvent {
  provider: DialProvider;
  providerCallId: string;
  kind: DialEventKind;
  /** Twilio's AnsweredBy (human, machine_start, machine_end_beep, fax, unknown…) when AMD reported. */
  answeredBy?: string;
  durationSec?: number;
  /** The carrier's own reason text (Vapi endedReason, Twilio SIP/status detail). */
  reason?: string;
  /** Our attempt key when the carrier echoed the metadata back. */
  attemptKey?: string;
  /** This event also says the call is over (Vapi's end report with `voicemail` is a machine AND the end). */
  ended?: boolean;
}

/** A dial the carrier refused or that could not be sent. `retryable`: worth another attempt later. */
export class DialError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'DialError';
  }
}

export interface OutboundDialer {
  readonly provider: DialProvider;
  /** The carrier leaves the voicemail itself from `DialRequest.voicemailMessage` (Vapi); else it is dropped later. */
  readonly voicemailAtDial?: boolean;
  dial(request: DialRequest): Promise<DialResult>;
  /** Ends a call in progress (opt-out, campaign cancelled). */
  hangUp(providerCallId: string): Promise<void>;
  /**
   * Leaves `message` on the answering machine of a live call (after the greeting: AMD `machine_end_*`), then hangs
   * up. Twilio: replaces the call's TwiML. Vapi: a no-op, the message is `DialRequest.voicemailMessage`, which Vapi
   * says itself before it reports the machine (that report already ends the call).
   */
  dropVoicemail(providerCallId: string, message: string): Promise<void>;
}
