import type { ICall } from '../domain/calls/call.entity.ts';

/**
 * The Transport port: what a call session asks of the wire that carries the call (ConversationRelay, Media
 * Streams, Vapi, the console's test call) and how it hands the call back to the carrier. The session never sees
 * the wire.
 */

/** How a session hands the call back to the carrier. */
export type Handoff =
  | { kind: 'hangup' }
  | { kind: 'transfer'; to: string; summary: string }
  /**
   * The call goes on with the receptionist (a realtor on their own line who gave no PIN). `callerSaid`: what the
   * caller said instead of a PIN (never digits), for the receptionist to answer after its greeting.
   */
  | { kind: 'receptionist'; callerSaid?: string };

/** How a transport carries the agent's side of the call. One per call; the session never sees the wire. */
export interface CallTransport {
  readonly kind: ICall['transport'];
  /** The carrier already speaks the greeting (ConversationRelay welcomeGreeting, Vapi firstMessage). */
  readonly carrierSpeaksGreeting: boolean;
  /** The carrier times caller silence itself (Vapi), so the machine's "are you still there?" is off. */
  readonly carrierHandlesSilence?: boolean;
  /** Speak a piece of the agent's reply; `last` ends the reply. */
  sendText(text: string, last: boolean): void;
  /** Drop agent audio still queued (barge-in). ConversationRelay does this itself. */
  clearAudio?(): void;
  sendDigits?(digits: string): void;
  /** The session is over: hang up, or hand the call back to the carrier to ring a person. */
  end(how: Handoff): void;
}
