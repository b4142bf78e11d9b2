import type { BrainToolCall } from '../../call-runtime/brain.port.ts';
import { localToolCalls } from './tool-replies.ts';
import type { InquiryTopic, ViewingTime } from '../nlu/types.ts';

/**
 * The local receptionist brain's dialogue state: the tasks it pursues, the question it waits for an answer to,
 * what it remembers between turns, and the plan of one step (what to say, which tool to call).
 */

export type Goal = 'viewing' | 'message' | 'offer' | 'info' | 'compare';

/** What the receptionist asks a buyer who booked a viewing, in this order (saved on their lead). */
export type Qualification = 'financing' | 'agent';
export const QUALIFICATION: Record<Qualification, string> = {
  financing: 'Are you pre-approved for a mortgage, or will you be paying cash?',
  agent: 'And are you already working with an agent?',
};

/** The question the brain is waiting for an answer to. */
export type Pending =
  | { kind: 'property'; goal: Goal; suggestion?: string }
  | { kind: 'viewing_time' }
  | { kind: 'caller_name'; goal: 'viewing' | 'message' }
  | { kind: 'message_text' }
  | { kind: 'offer_amount' }
  | { kind: 'offer_viewing' }
  | { kind: 'anything_else' }
  | { kind: 'qualify'; question: Qualification }
  | { kind: 'human' };

export interface Memory {
  pending: Pending | null;
  callerName: string | null;
  /** The property named in the task being filled (when none is in focus yet). */
  property: string | null;
  time: ViewingTime | null;
  topics: InquiryTopic[];
  messageText: string | null;
  lastReply: string;
  /** The qualification question to ask once the lead write in flight has answered; null when done. */
  nextQuestion: Qualification | 'done' | null;
}

/** One step of the brain: the words to speak, the tool to call, and the question then waiting for an answer. */
export interface Plan {
  text: string;
  tool: BrainToolCall | null;
  pending?: Pending;
}

export const toolCall = localToolCalls('local');

export function say(text: string, pending: Pending | null = null): Plan {
  return { text, tool: null, ...(pending ? { pending } : {}) };
}

export function tool(name: string, args: Record<string, unknown>): Plan {
  return { text: '', tool: toolCall(name, args) };
}

/** `lead` (what was done), then "Is there anything else I can help with?", waiting for the answer. */
export function anythingElse(lead: string): Plan {
  return say(`${lead} Is there anything else I can help with?`, { kind: 'anything_else' });
}

export function askOfferAmount(): Plan {
  return say('What amount would you like to offer?', { kind: 'offer_amount' });
}
