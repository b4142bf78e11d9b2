import { performance } from 'node:perf_hooks';
import type { TurnInput, TurnOutput } from '../../state-machines/conversation.ts';
import type { IAgent } from '../domain/agents/agent.entity.ts';
import { Call } from '../domain/calls/call.entity.ts';
import type { Logger } from '../log.ts';
import { classifyUtterance, detectFairHousing } from '../voice/nlu/index.ts';
import type { Brain, BrainToolCall, ConversationItem } from './brain.port.ts';
import type { CallRecord } from './call-record.ts';
import type { SessionDeps } from './call-session.ts';
import { toolItem, type CallToolRunner, type ToolRun } from './call-tool-runner.ts';
import { ChangeConfirmation } from './change-confirmation.ts';
import type { Conversation } from './conversation.ts';
import { fill, line, type Persona } from './persona.ts';
import { toolSpecs } from './runtime-tools.ts';
import { SentenceChunker } from './sentences.ts';
import type { CallTransport } from './transport.port.ts';

/**
 * A call's conversation, turn by turn: the history the brain sees, the agent's lines (spoken, recorded, cut
 * short by a barge-in), and each caller turn answered by the brain — its reply streamed to the transport sentence
 * by sentence, its tool calls run (with a spoken filler while they take), a voice command's change held for the
 * caller's yes, a fair-housing question declined without asking the brain.
 */

/** Brain steps (model calls) at most in one turn. */
const MAX_STEPS = 4;

/** "Wednesday, November 25, 2026 at 10:00 AM" in a time zone; one formatter per zone. */
const clocks = new Map<string, Intl.DateTimeFormat>();
function clockFor(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'short' });
    clocks.set(timeZone, clock);
  }
  return clock;
}

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/** What the turns need of their session. */
export interface TurnContext {
  deps: SessionDeps;
  log: Logger;
  record: CallRecord;
  /** A brain bound to the call's transport (speech-to-speech); else one comes from the factory. */
  brain?: Brain;
  transport: CallTransport;
  tools: CallToolRunner;
  callId: number;
  agent: IAgent;
  conversation: Conversation;
  persona: Persona;
  vars: Record<string, string>;
  /** The machine's dialogue phase and the property the conversation is about. */
  phase(): string;
  focusedPropertyId(): number | null;
  /** The session has ended: nothing more is said. */
  ended(): boolean;
}

export class CallTurns {
  /** The whole conversation so far, oldest first. */
  private readonly history: ConversationItem[] = [];
  /** The reply being spoken in the running turn (what has been sent so far), or null between turns. */
  private replying: { sent: string } | null = null;
  private fairHousingCount = 0;
  private readonly confirmation: ChangeConfirmation;
  private readonly brain: Brain;

  constructor(private readonly c: TurnContext) {
    const { agent, conversation } = c;
    this.brain =
      c.brain ??
      c.deps.brainFactory({
        timeZone: agent.timezone,
        agentName: agent.name,
        ...(conversation.campaign ? { campaign: conversation.campaign } : {}),
        ...(conversation.kind === 'voice-command' ? { voiceCommands: true } : {}),
      });
    this.confirmation = new ChangeConfirmation(
      c.deps.tools,
      conversation.kind === 'voice-command',
      this.history,
      (call, allowed) => this.runTool(call, allowed),
    );
  }

  /** A caller turn is being answered (its reply is not recorded yet). */
  get answering(): boolean {
    return this.replying !== null;
  }

  /** What the caller has said, oldest first. */
  callerLines(): string[] {
    return this.history.filter((i) => i.role === 'user').map((i) => (i as { text: string }).text);
  }

  /** Estimated playback time of `text`. */
  replyMs(text: string): number {
    return words(text) * this.c.deps.settings.speechMsPerWord;
  }

  /** An agent line the caller hears (spoken here or by the carrier): into the history and the record. */
  said(text: string): void {
    this.history.push({ role: 'assistant', text });
    this.c.record.agentTurn(text);
  }

  /** Speaks a whole agent line (nothing once the session has ended). */
  say(text: string): void {
    if (this.c.ended()) return;
    this.c.transport.sendText(text, true);
    this.said(text);
  }

  /** The caller barged in having heard `text` of the agent's reply: it is kept as far as it was heard. */
  interrupted(text: string): void {
    if (this.replying) {
      // Cut mid-turn: the reply is recorded as far as it was heard.
      this.replying = null;
      this.history.push({ role: 'assistant', text });
      this.c.record.agentTurn(text, { interrupted: true });
    } else {
      const last = this.history.findLast((i) => i.role === 'assistant');
      if (last && last.role === 'assistant') last.text = text;
      this.c.record.agentTurnCut(text);
    }
  }

  /** One caller turn, answered (the machine's `respond`); `signal` aborts it for a newer utterance. */
  async answer(turn: TurnInput, signal: AbortSignal): Promise<TurnOutput> {
    const { deps, record, persona } = this.c;
    const { brain } = this;
    const started = performance.now();
    const nlu = classifyUtterance(turn.text, { now: new Date(), timeZone: this.c.agent.timezone });
    record.turn({ role: 'caller', text: turn.text, intent: nlu.intent });
    this.history.push({ role: 'user', text: turn.text });
    if (turn.phase === 'confirming') {
      const { reply, ...output } = await this.confirmation.answer(turn.text, nlu.intent);
      this.say(reply);
      return { ...output, replyMs: this.replyMs(reply) };
    }

    const fairHousing = detectFairHousing(turn.text);
    if (fairHousing.isFairHousing) {
      this.c.log.warn({ reasons: fairHousing.reasons }, 'fair-housing question declined');
      record.write((em) =>
        em.nativeUpdate(Call, { id: this.c.callId }, { fairHousingDeflections: ++this.fairHousingCount }),
      );
      const text = line(persona, 'fairHousing', this.c.vars);
      this.say(text);
      return { understood: true, propertyId: null, directive: 'continue', replyMs: this.replyMs(text) };
    }

    const chunker = new SentenceChunker();
    let reply = '';
    let firstTextMs: number | null = null;
    let toolMs = 0;
    let directive: TurnOutput['directive'] = 'continue';
    let propertyId: number | null = null;
    let usedTool = false;
    this.replying = { sent: '' };
    const speak = (sentence: string, last: boolean): void => {
      if (signal.aborted) return;
      this.c.transport.sendText(sentence, last);
      if (this.replying) this.replying.sent += `${sentence} `;
    };

    for (let step = 0; step < MAX_STEPS && directive === 'continue' && !signal.aborted; step++) {
      const phase = this.c.phase();
      const allowed = new Set(persona.tools[phase] ?? []);
      const calls: BrainToolCall[] = [];
      let stepText = '';
      for await (const chunk of brain.step({
        instructions: this.instructions(phase),
        history: this.history,
        tools: toolSpecs(deps.tools, allowed),
        phase,
        signal,
      })) {
        if (signal.aborted) break;
        if (chunk.type === 'text') {
          if (firstTextMs === null) {
            firstTextMs = performance.now() - started;
            deps.metrics?.turnFirstText.observe({ brain: brain.name }, firstTextMs / 1000);
          }
          stepText += chunk.text;
          if (!chunk.voiced) for (const sentence of chunker.push(chunk.text)) speak(sentence, false);
        } else {
          calls.push(chunk.call);
        }
      }
      if (signal.aborted) break;
      reply += (reply && stepText ? ' ' : '') + stepText.trim();
      this.history.push(
        calls.length ? { role: 'assistant', text: stepText, toolCalls: calls } : { role: 'assistant', text: stepText },
      );
      if (!calls.length) break;
      const rest = chunker.flush();
      if (rest) speak(rest, false);

      const toolStarted = performance.now();
      const filler = setTimeout(() => {
        if (brain.speaks) return; // a speech-to-speech model says its own "let me check"
        const fillers = persona.lines.fillers;
        const text = Array.isArray(fillers) ? fillers[step % fillers.length] : fillers;
        if (text && !signal.aborted) speak(text, false);
      }, deps.settings.fillerAfterMs);
      try {
        for (const call of calls) {
          usedTool = true;
          if (this.confirmation.needed(call)) {
            const ask = this.confirmation.hold(call, allowed, stepText.trim());
            if (ask) {
              speak(ask, false);
              reply += ` ${ask}`;
            }
            directive = 'confirm';
            break;
          }
          const result = await this.runTool(call, allowed);
          if (result.directive) directive = result.directive;
          if (result.propertyId) propertyId = result.propertyId;
        }
      } finally {
        clearTimeout(filler);
        toolMs += performance.now() - toolStarted;
      }
    }
    if (signal.aborted) {
      // Replaced by a newer utterance (an interruption has already recorded what was heard).
      const sent = this.replying?.sent.trim();
      if (sent) record.turn({ role: 'agent', text: sent, interrupted: true });
      this.replying = null;
      return { understood: true, propertyId, directive: 'continue', replyMs: 0 };
    }
    this.replying = null;
    const rest = chunker.flush();
    speak(rest, true);
    const text = reply.trim();
    if (text)
      record.agentTurn(text, {
        timings: { firstTextMs: firstTextMs ?? -1, toolMs, totalMs: performance.now() - started },
      });
    return {
      understood: usedTool || nlu.intent !== 'unknown',
      propertyId,
      directive,
      replyMs: this.replyMs(text),
    };
  }

  /** Runs a tool call; its result goes into the history. */
  private async runTool(call: BrainToolCall, allowed: Set<string>): Promise<ToolRun> {
    const result = await this.c.tools.run(call, allowed);
    this.history.push(toolItem(call, result.content));
    return result;
  }

  /** The persona's instructions with this call's facts and the guidance for the current dialogue state. */
  private instructions(phase: string): string {
    const { agent, conversation, persona } = this.c;
    const focused = this.c.focusedPropertyId();
    const vars = {
      ...this.c.vars,
      now: clockFor(agent.timezone).format(new Date()),
      property: focused ? `#${focused}` : (conversation.vars.property ?? 'none yet'),
      property_id: focused ? String(focused) : '',
    };
    return fill(persona.instructions, { ...vars, phase_guidance: fill(persona.phases?.[phase] ?? '', vars) });
  }
}
