import { campaignCallMachine, type CampaignCallMachine } from '../../state-machines/campaign-call.machine.ts';
import { fill, line, loadPersona, personaExists, personaNames, type Persona } from '../call-runtime/persona.ts';
import type { IAgent } from '../domain/agents/agent.entity.ts';
import type { ICampaign, ICampaignTarget } from '../domain/campaigns/campaign.entity.ts';
import type { IProperty } from '../domain/properties/property.entity.ts';
import { normalizeForSpeech } from '../voice/speech-text.ts';

/** What a campaign call says, for one target: the playbook's persona, its machine, and its lines filled in. */
export interface CallScript {
  persona: Persona & { playbook: NonNullable<Persona['playbook']> };
  machine: CampaignCallMachine;
  /** Placeholders of the playbook's lines and instructions. */
  vars: Record<string, string>;
  /** The opening: who calls, AI, why, the call-back number, the opt-out, the question. */
  greeting: string;
  /** The voicemail drop (identity, AI, why, call-back number, how to opt out). */
  voicemail: string;
  /** The person and the property as written (tasks and notes), not as spoken. */
  written: { name: string; property: string };
}

/** "(206) 555-0100" read digit by digit, for the call-back number. */
export function spokenNumber(e164: string): string {
  const n = e164.replace(/^\+1/, '');
  return n.length === 10 ? normalizeForSpeech(`(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`) : e164;
}

/**
 * The campaign playbooks (agents/<playbook>.json with a `playbook` section), loaded once each, and the script of a
 * call: the persona's lines filled with the agent, the brokerage, the person and the campaign's property.
 */
export class Playbooks {
  private readonly loaded = new Map<string, { persona: CallScript['persona']; machine: CampaignCallMachine }>();

  /** The playbooks in agents/ (agents/*.json with a `playbook` section). */
  names(): string[] {
    return personaNames().filter((name) => this.has(name));
  }

  /** Each playbook with its goal (what a call is for), for a campaign form. */
  list(): { name: string; goal: string }[] {
    return this.names().map((name) => ({ name, goal: loadPersona(name).playbook!.goal }));
  }

  /** Whether agents/<name>.json is a playbook (a campaign may name its own). */
  has(name: string): boolean {
    if (this.loaded.has(name)) return true;
    return personaExists(name) && !!loadPersona(name).playbook;
  }

  script(
    agent: Pick<IAgent, 'name' | 'brokerageName'>,
    campaign: Pick<ICampaign, 'name' | 'playbook' | 'callerId'>,
    target: Pick<ICampaignTarget, 'name' | 'phone'>,
    property: Pick<IProperty, 'address' | 'city'> | null,
  ): CallScript {
    const { persona, machine } = this.load(campaign.playbook);
    const first = target.name?.trim().split(/\s+/)[0] ?? '';
    const vars = {
      agent: agent.name,
      brokerage: agent.brokerageName ?? agent.name,
      name: first,
      name_greeting: first ? ` ${first}` : '',
      person: target.name ?? 'unknown',
      property: property ? normalizeForSpeech(`${property.address}, ${property.city}`) : campaign.name,
      call_back: spokenNumber(campaign.callerId),
      campaign: campaign.name,
      playbook_goal: persona.playbook.goal,
    };
    return {
      persona,
      machine,
      vars,
      greeting: line(persona, 'greeting', vars),
      voicemail: line(persona, 'voicemail', vars),
      written: {
        name: target.name ?? target.phone,
        property: property ? `${property.address}, ${property.city}` : campaign.name,
      },
    };
  }

  /** The follow-up task title for an interested person. */
  interestedTask(script: CallScript): string {
    return fill(script.persona.playbook.interestedTask, script.written);
  }

  private load(name: string): { persona: CallScript['persona']; machine: CampaignCallMachine } {
    let entry = this.loaded.get(name);
    if (!entry) {
      const persona = loadPersona(name);
      const { playbook } = persona;
      if (!playbook) throw new Error(`agents/${name}.json is not a campaign playbook (no "playbook" section)`);
      const [first, ...rest] = playbook.steps;
      entry = { persona: { ...persona, playbook }, machine: campaignCallMachine([first!, ...rest]) };
      this.loaded.set(name, entry);
    }
    return entry;
  }
}
