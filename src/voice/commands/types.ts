import type { Utterance } from './text.ts';

/** What the grammar knows about the conversation so far. */
export interface CommandContext {
  now: Date;
  /** IANA time zone of the agent, for "tomorrow at 9". */
  timeZone: string;
  /** The property the conversation is about ("it", "this property"), or null. */
  lastPropertyId: number | null;
  /** The campaign the conversation is about ("pause it"), or null. */
  lastCampaignId: number | null;
}

export type CommandParse =
  | {
      kind: 'command';
      tool: string;
      args: Record<string, unknown>;
      /** Spoken read-back, e.g. "Create a property at 123 Main St for $850,000 with 3 beds and 2 baths?" */
      readBack: string;
      /** The property the command is about, to remember for "it". */
      propertyId?: number;
    }
  | { kind: 'clarify'; question: string }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'goodbye' }
  | { kind: 'help' }
  | { kind: 'unknown' };

export type Clarify = Extract<CommandParse, { kind: 'clarify' }>;
export type Command = Extract<CommandParse, { kind: 'command' }>;

/**
 * One small grammar rule: when `when` matches the utterance (lower case, number words as digits),
 * `build` turns it into a tool call or a question; null lets the next rule try.
 */
export interface Rule {
  /** The tool the rule calls (or the family it recognises), for docs and tests. */
  tool: string;
  when: RegExp;
  build(u: Utterance, ctx: CommandContext): CommandParse | null;
}

export function command(tool: string, args: Record<string, unknown>, readBack: string, propertyId?: number): Command {
  return propertyId === undefined
    ? { kind: 'command', tool, args, readBack }
    : { kind: 'command', tool, args, readBack, propertyId };
}

export function clarify(question: string): Clarify {
  return { kind: 'clarify', question };
}

export function isClarify(v: unknown): v is Clarify {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'clarify';
}
