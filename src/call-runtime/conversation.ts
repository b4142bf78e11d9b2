import type { CampaignCallMachine } from '../../state-machines/campaign-call.machine.ts';
import type { OptOutSource, PinVerdict } from '../../state-machines/conversation.ts';
import type { receptionistMachine } from '../../state-machines/receptionist.machine.ts';
import type { voiceCommandMachine } from '../../state-machines/voice-command.machine.ts';
import type { ICall } from '../domain/calls/call.entity.ts';
import type { IAgent } from '../domain/agents/agent.entity.ts';
import type { CampaignCallInfo } from './brain.port.ts';
import type { Persona } from './persona.ts';

/**
 * The machines built from the conversation setup (state-machines/conversation.ts): same context, events and named
 * effects; only their dialogue states differ.
 */
export type ConversationMachine = typeof receptionistMachine | CampaignCallMachine | typeof voiceCommandMachine;

/** What the runtime's `set_call_outcome` tool recorded on a campaign call. */
export interface CallOutcome {
  outcome: 'interested' | 'not_interested' | 'call_back' | 'wrong_number';
  note: string | null;
  /** As said ("tomorrow at 5 pm"); the campaign side reads it in the agent's time zone. */
  callBackAt: string | null;
}

/** A voice-command call: the realtor's PIN is checked here (hashed, with its lockout). */
export interface VoiceCommandHooks {
  verifyPin(pin: string): Promise<PinVerdict>;
}

/** How a campaign call's session reports back to the campaign (the receptionist has none). */
export interface ConversationHooks {
  /** The opening started playing (the session spoke it; a carrier that speaks it is timed by the webhook). */
  greeted?(at: Date): void;
  /** The person asked not to be called again: on the do-not-call list before the goodbye is said. */
  optedOut(source: OptOutSource): Promise<void>;
  /** The call is over and its records are written. */
  ended(result: { reason: string; outcome: CallOutcome | null; toolsUsed: string[] }): Promise<void>;
}

/** Who a session speaks as and with which machine: the inbound receptionist, or a campaign playbook. */
export interface Conversation {
  /** receptionist: inbound callers; campaign: an answered campaign call; voice-command: the realtor by phone. */
  kind: 'receptionist' | 'campaign' | 'voice-command';
  persona: Persona;
  machine: ConversationMachine;
  /** The opening line (the carrier may speak it: ConversationRelay welcomeGreeting, Vapi firstMessage). */
  greeting: string;
  /** Extra {placeholders} of the persona's instructions and lines. */
  vars: Record<string, string>;
  /** The property the call is about from the start (a campaign's listing). */
  propertyId: number | null;
  /** Given to the brain (campaign calls). */
  campaign?: CampaignCallInfo;
  hooks?: ConversationHooks;
  voiceCommands?: VoiceCommandHooks;
  /** Voice commands for an agent already authenticated (the console's test call): no PIN asked. */
  authenticated?: boolean;
  /** What the caller said before this conversation took the call over: answered right after the greeting. */
  callerSaidFirst?: string;
}

/** Builds the conversation of an outbound call (the campaign side), for a session opened from its record. */
export interface OutboundConversations {
  conversationOf(call: ICall, agent: IAgent): Promise<Conversation | null>;
}
