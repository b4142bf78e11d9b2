import { voiceCommandMachine } from '../../state-machines/voice-command.machine.ts';
import type { Orm } from '../db/orm.ts';
import type { IAgent } from '../domain/agents/agent.entity.ts';
import { verifyPin, voiceCommandsAllowed } from '../domain/agents/voice-pin.ts';
import type { ICall } from '../domain/calls/call.entity.ts';
import { wordsToDigits } from '../domain/properties/spoken-numbers.ts';
import { tryNanpE164 } from '../domain/shared/phone.ts';
import type { Conversation } from './conversation.ts';
import { line, loadPersona, type Persona } from './persona.ts';

/** The PIN in what was keyed ("4821") or said ("four eight two one", "forty-eight twenty-one"). */
export function pinDigits(said: string): string {
  if (/^\d+$/.test(said.trim())) return said.trim();
  const words = said
    .toLowerCase()
    .replace(/-/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return wordsToDigits(words).join('').replace(/\D/g, '');
}

/**
 * Voice commands by phone: a call to an agent's line from the agent's own registered mobile, with a PIN set and
 * not locked, is the realtor — the voice-command conversation (PIN first). Everyone else gets the receptionist.
 */
export class VoiceCommands {
  readonly persona: Persona = loadPersona('voice-commands');

  constructor(private readonly orm: Orm) {}

  /** Voice commands for an agent the console has already signed in (its test call): no caller ID, no PIN. */
  forSignedInAgent(agent: IAgent): Conversation {
    return {
      kind: 'voice-command',
      persona: this.persona,
      machine: voiceCommandMachine,
      greeting: `Hi ${agent.name}. ${line(this.persona, 'welcome', {})}`,
      vars: {},
      propertyId: null,
      authenticated: true,
    };
  }

  /** The voice-command conversation for this call, or null when the caller is not the agent (or may not). */
  async conversationFor(call: ICall, agent: IAgent): Promise<Conversation | null> {
    // Vapi carries no keyed PIN to us: voice commands run on Twilio calls.
    if (!agent.mobilePhone || !call.fromNumber || call.transport === 'vapi') return null;
    const caller = tryNanpE164(call.fromNumber);
    if (caller !== agent.mobilePhone) return null;
    const em = this.orm.em.fork();
    if (!(await voiceCommandsAllowed(em, agent.id, caller, new Date()))) return null;
    return {
      kind: 'voice-command',
      persona: this.persona,
      machine: voiceCommandMachine,
      greeting: line(this.persona, 'greeting', { agent: agent.name }),
      vars: {},
      propertyId: null,
      voiceCommands: {
        verifyPin: async (pin) => {
          const digits = pinDigits(pin);
          // Words without any digits are not a PIN attempt: the realtor wants something else.
          if (!digits) return { ok: false, locked: false, noPin: true };
          const verdict = await verifyPin(this.orm.em.fork(), agent.id, digits, caller, new Date());
          return { ok: verdict.ok, locked: !verdict.ok && (verdict.reason === 'locked' || !!verdict.lockedUntil) };
        },
      },
    };
  }
}
