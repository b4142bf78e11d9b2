import type { TurnOutput } from '../../state-machines/conversation.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { extractYesNo } from '../voice/nlu/index.ts';
import type { BrainToolCall, ConversationItem } from './brain.port.ts';
import { toolItem, type ToolRun } from './call-tool-runner.ts';

/**
 * Voice commands' confirmation: a change by voice is never made on the model's word alone. A tool call that
 * changes or sends something is held, not run, and the caller hears it read back ("Shall I go ahead?"); their
 * yes runs it, no drops it, anything else asks again. Read-only tools, and every tool on other calls, run at once.
 */
export class ChangeConfirmation {
  /** A change the brain asked for, waiting for the caller's yes. */
  private pending: { call: BrainToolCall; allowed: Set<string> } | null = null;

  constructor(
    private readonly tools: ToolRegistry,
    /** A voice-command call: changes wait for a yes. */
    private readonly enabled: boolean,
    /** The conversation the brain sees; the held call and its result go into it. */
    private readonly history: ConversationItem[],
    /** Runs a tool call and puts its result into the history. */
    private readonly run: (call: BrainToolCall, allowed: Set<string>) => Promise<ToolRun>,
  ) {}

  /** Tools that change or send something run only after a yes (read-only ones at once). */
  needed(call: BrainToolCall): boolean {
    if (!this.enabled) return false;
    const tool = this.tools.get(call.name);
    return !!tool && !tool.readOnly;
  }

  /**
   * Holds `call` for the caller's yes. Returns what to ask: nothing if the brain's read-back (`said`) already
   * asks ("Delete property 12?"), else what is about to happen.
   */
  hold(call: BrainToolCall, allowed: Set<string>, said: string): string {
    this.pending = { call, allowed };
    this.history.push(toolItem(call, { ok: false, pending_confirmation: true }));
    return said.endsWith('?')
      ? ''
      : `${said ? '' : `I'm about to ${this.tools.get(call.name)!.title.toLowerCase()}. `}Shall I go ahead?`;
  }

  /**
   * The caller's answer to "shall I go ahead?": yes runs the held tool, no drops it, anything else asks again.
   * Returns the reply to speak and the turn's figures.
   */
  async answer(
    text: string,
    intent: string,
  ): Promise<{ reply: string } & Pick<TurnOutput, 'understood' | 'propertyId' | 'directive'>> {
    const yes = intent === 'yes' ? true : intent === 'no' ? false : extractYesNo(text);
    const pending = this.pending;
    let reply: string;
    let propertyId: number | null = null;
    if (yes === null && pending) {
      reply = 'Sorry, should I go ahead? Please say yes or no.';
    } else if (yes && pending) {
      this.pending = null;
      const call = { ...pending.call, id: `${pending.call.id}-confirmed` };
      this.history.push({ role: 'assistant', text: '', toolCalls: [call] });
      const result = await this.run(call, pending.allowed);
      propertyId = result.propertyId ?? null;
      const said = result.content.ok ? String(result.content.voice_summary ?? 'Done.') : String(result.content.error);
      reply = `${said} Anything else?`;
    } else {
      this.pending = null;
      reply = "Okay, I won't do that. Anything else?";
    }
    return {
      reply,
      understood: yes !== null,
      propertyId,
      directive: yes === null && pending ? 'confirm' : 'continue',
    };
  }
}
