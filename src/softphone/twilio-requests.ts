import type { TransferOutcome } from './options.ts';
import type { RelayEnd, SetupMessage } from './relay-session.ts';
import { parseTwiml, type TwimlVerb } from './twiml.ts';
import { postWebhook } from './webhooks.ts';

/**
 * What Twilio sends about one call, played by the softphone: the params of every request, the signed webhooks
 * (TwiML fetches, the status callback), a relay session's `setup` message, and the params of the action URLs
 * after a relay session or a `<Dial>`.
 */

/** A transfer answered by the human is simulated as a call of this length. */
export const SIMULATED_TALK_SECONDS = 30;
const API_VERSION = '2010-04-01';

/** The call as Twilio knows it, and where its requests go. */
export interface CallLeg {
  server: string;
  publicUrl: string;
  authToken: string;
  accountSid: string;
  callSid: string;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound-api';
}

export class TwilioRequests {
  constructor(private readonly leg: CallLeg) {}

  /** The params Twilio sends with every request about this call. */
  params(callStatus: string): Record<string, string> {
    const { accountSid, callSid, from, to, direction } = this.leg;
    return {
      AccountSid: accountSid,
      ApiVersion: API_VERSION,
      CallSid: callSid,
      CallStatus: callStatus,
      Called: to,
      Caller: from,
      Direction: direction,
      From: from,
      To: to,
    };
  }

  /** POSTs a signed webhook and reads the TwiML it answers (WebhookError, TwimlError). */
  async fetchTwiml(url: string, params: Record<string, string>): Promise<TwimlVerb[]> {
    const res = await postWebhook({ url, server: this.leg.server, authToken: this.leg.authToken, params });
    return parseTwiml(res.body);
  }

  /** The `completed` status callback (WebhookError when it fails). */
  async postStatus(durationSec: number): Promise<void> {
    await postWebhook({
      url: `${this.leg.publicUrl}/twilio/status`,
      server: this.leg.server,
      authToken: this.leg.authToken,
      params: { ...this.params('completed'), CallDuration: String(durationSec) },
    });
  }

  /** The `setup` message that opens a relay session. */
  relaySetup(sessionId: string, customParameters: Record<string, string>): SetupMessage {
    return {
      type: 'setup',
      sessionId,
      accountSid: this.leg.accountSid,
      callSid: this.leg.callSid,
      parentCallSid: '',
      from: this.leg.from,
      to: this.leg.to,
      forwardedFrom: '',
      callerName: '',
      direction: 'inbound',
      callType: 'PSTN',
      callStatus: 'RINGING',
      customParameters,
    };
  }

  /** The `<Connect action>` params after a relay session opened at `openedAt` ended with `end`. */
  relayActionParams(end: RelayEnd, sessionId: string, openedAt: number): Record<string, string> {
    const normal = end.kind === 'end' || (end.kind === 'closed' && (end.code === 1000 || end.code === 1005));
    return {
      ...this.params('in-progress'),
      SessionId: sessionId,
      SessionStatus: normal ? 'ended' : 'failed',
      SessionDuration: String(Math.floor((Date.now() - openedAt) / 1000)),
      ...(end.kind === 'end' && end.handoffData !== undefined ? { HandoffData: end.handoffData } : {}),
    };
  }

  /** The whisper TwiML of a dialed number that answered (its own leg, `dialCallSid`, from `callerId`). */
  fetchWhisper(url: string, dialCallSid: string, callerId: string | undefined, to: string): Promise<TwimlVerb[]> {
    return this.fetchTwiml(url, {
      AccountSid: this.leg.accountSid,
      ApiVersion: API_VERSION,
      CallSid: dialCallSid,
      ParentCallSid: this.leg.callSid,
      CallStatus: 'in-progress',
      Direction: 'outbound-dial',
      From: callerId ?? this.leg.from,
      To: to,
    });
  }

  /** The `<Dial action>` params for the simulated outcome (`answered`: a number was dialed and picked up). */
  dialActionParams(
    outcome: TransferOutcome,
    answered: boolean,
    dialCallSid: string | undefined,
  ): Record<string, string> {
    return {
      ...this.params('in-progress'),
      DialCallStatus: answered ? 'completed' : outcome === 'answered' ? 'failed' : outcome,
      DialCallDuration: answered ? String(SIMULATED_TALK_SECONDS) : '0',
      ...(dialCallSid ? { DialCallSid: dialCallSid } : {}),
    };
  }
}
