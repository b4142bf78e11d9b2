import type { TransferOutcome } from './options.ts';
import type { RelayEnd } from './relay-session.ts';
import type { TranscriptEntry } from './transcript.ts';

/** How a softphone call is placed (PlaceCallOptions) and how it ended (CallEnd). */

export interface PlaceCallOptions {
  /** The server's TWILIO_AUTH_TOKEN: every webhook and the WebSocket upgrade are signed with it. */
  authToken: string;
  /** Where the softphone sends its requests. Default http://127.0.0.1:3000. */
  server?: string;
  /** The server's PUBLIC_URL, i.e. the URL Twilio would call; signatures are computed over it. Default: server. */
  publicUrl?: string;
  /** Caller number. Default +15125550123. */
  from?: string;
  /** Number called. Default +15125550100 (the demo agent's line). */
  to?: string;
  /** An agent API key: subscribes to the call's event stream. Without it, `events` stays empty. */
  apiKey?: string;
  /** How a `<Dial>` to a human turns out (the softphone cannot ring a phone). Default no-answer. */
  transfer?: TransferOutcome;
  /** How long `say` waits for the agent's complete reply. Default 15 000 ms. */
  replyTimeoutMs?: number;
  /** Called synchronously for every transcript entry, as it happens. */
  onEntry?: (entry: TranscriptEntry) => void;
  /**
   * Answer a call the server placed (a campaign dial) instead of calling in: the CallSid the carrier gave that
   * call, and the webhook Twilio fetches when the person picks up (its answer URL path, e.g. /twilio/outbound).
   * `from` is then the server's caller ID and `to` the person answering.
   */
  answer?: { callSid: string; path: string };
}

/** How a call ended: who/what ended it (reason), and what the caller heard at the end. */
export interface CallEnd {
  reason: 'caller-hangup' | 'twiml-hangup' | 'twiml-finished' | 'error';
  /** One line for people: how the relay session ended, then the call. */
  message: string;
  /** How the last relay session ended, when one was opened. */
  relay?: RelayEnd;
  /** The handoffData of the agent's `end` message. */
  handoffData?: string;
  /** Everything TwiML `<Say>` spoke on the call (whispers included), in order. */
  spoken: string[];
  durationSec: number;
}
