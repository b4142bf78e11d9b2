import { performance } from 'node:perf_hooks';
import type { TurnOutput } from '../../state-machines/conversation.ts';
import type { IAgent } from '../domain/agents/agent.entity.ts';
import type { ICall } from '../domain/calls/call.entity.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { BrainToolCall, ConversationItem } from './brain.port.ts';
import type { CallRecord } from './call-record.ts';
import type { CallOutcome } from './conversation.ts';
import { line, type Persona } from './persona.ts';
import { CallOutcomeArgs } from './runtime-tools.ts';

/**
 * Runs the brain's tool calls on one call: the runtime's own tools (set_call_outcome, transfer_call, end_call)
 * here, the domain tools through the registry with the person's number filled in. Each run is recorded as a tool
 * turn and a live event. Keeps which tools ran and what set_call_outcome recorded, from which the call's outcome
 * is taken when it ends.
 */

/** What a tool run gives the turn: the result the brain reads, and how it steers the call. */
export interface ToolRun {
  content: Record<string, unknown>;
  directive?: TurnOutput['directive'];
  propertyId?: number;
}

/** A tool's result as the brain reads it in the history. */
export function toolItem(call: BrainToolCall, content: Record<string, unknown>): ConversationItem {
  return { role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify(content) };
}

/** The call's outcome when one of these tools ran (the first listed wins). */
const OUTCOME_BY_TOOL: [string, ICall['outcome']][] = [
  ['take_offer', 'offer_created'],
  ['schedule_viewing', 'viewing_scheduled'],
  ['take_message', 'message_taken'],
];

export interface ToolRunnerContext {
  tools: ToolRegistry;
  record: CallRecord;
  call: ICall;
  agent: IAgent;
  persona: Persona;
  vars: Record<string, string>;
  /** The property the conversation is about (the machine's). */
  focusedPropertyId(): number | null;
  /** A tool identified the property the conversation is now about. */
  focus(propertyId: number): void;
}

export class CallToolRunner {
  /** The tools that ran (or steered the call), by name. */
  readonly used = new Set<string>();
  private recordedOutcome: CallOutcome | null = null;

  constructor(private readonly c: ToolRunnerContext) {}

  /** What set_call_outcome recorded (campaign calls). */
  get callOutcome(): CallOutcome | null {
    return this.recordedOutcome;
  }

  /** The call's outcome from the tools that ran, else from why it ended. */
  outcomeFor(reason: string): NonNullable<ICall['outcome']> {
    return (
      OUTCOME_BY_TOOL.find(([tool]) => this.used.has(tool))?.[1] ??
      (reason === 'transferred'
        ? 'transferred'
        : this.used.has('listing_info') || this.used.has('compare_price')
          ? 'information_provided'
          : 'no_outcome')
    );
  }

  /** Runs one tool call, if the machine allows the tool (`allowed`) at this point of the call. */
  async run(call: BrainToolCall, allowed: Set<string>): Promise<ToolRun> {
    const started = performance.now();
    const report = (ok: boolean, summary: string, args = call.arguments): void => {
      const durationMs = Math.round(performance.now() - started);
      const { seq } = this.c.record.turn({ role: 'tool', text: summary, toolName: call.name, toolArguments: args, ok });
      this.c.record.publish({ type: 'tool', seq, name: call.name, arguments: args, ok, summary, durationMs });
    };
    if (!allowed.has(call.name)) {
      const error = `${call.name} is not available at this point of the call`;
      report(false, error);
      return { content: { ok: false, error } };
    }
    if (call.name === 'set_call_outcome') {
      const parsed = CallOutcomeArgs.safeParse(call.arguments);
      if (!parsed.success) {
        const error = `set_call_outcome: ${parsed.error.issues.map((i) => i.message).join('; ')}`;
        report(false, error);
        return { content: { ok: false, error } };
      }
      const { outcome, note, call_back_at } = parsed.data;
      this.recordedOutcome = { outcome, note: note ?? null, callBackAt: call_back_at ?? null };
      report(true, `outcome: ${outcome}`);
      this.used.add(call.name);
      return { content: { ok: true, voice_summary: 'Noted.' } };
    }
    if (call.name === 'transfer_call' || call.name === 'end_call') {
      if (call.name === 'transfer_call' && !this.c.agent.mobilePhone) {
        const error = line(this.c.persona, 'noTransferNumber', this.c.vars);
        report(false, error);
        return { content: { ok: false, error } };
      }
      report(true, call.name === 'transfer_call' ? 'transferring' : 'ending the call');
      this.used.add(call.name);
      return { content: { ok: true }, directive: call.name === 'transfer_call' ? 'transfer' : 'end' };
    }
    const args = this.withCallerDefaults(call.name, call.arguments);
    const outcome = await this.c.tools.invoke(call.name, args, {
      agentId: this.c.agent.id,
      sessionId: `call:${this.c.call.callSid}`,
      source: 'call',
      lastPropertyId: () => Promise.resolve(this.c.focusedPropertyId()),
      deferHistory: true,
    });
    this.c.record.write(() => outcome.recorded);
    if (!outcome.ok) {
      report(false, outcome.error.message, args);
      return {
        content: { ok: false, error: outcome.error.message, code: outcome.error.code, details: outcome.error.details },
      };
    }
    this.used.add(call.name);
    report(true, outcome.result.voice_summary, args);
    const propertyId = outcome.result.property_id ?? undefined;
    if (propertyId) this.c.focus(propertyId);
    return {
      content: {
        ok: true,
        data: outcome.result.data,
        voice_summary: outcome.result.voice_summary,
        ...(propertyId ? { property_id: propertyId } : {}),
      },
      ...(propertyId ? { propertyId } : {}),
    };
  }

  /** The person's number (the caller ID, or the number a campaign called) fills a missing phone on tools that take one. */
  private withCallerDefaults(name: string, args: Record<string, unknown>): Record<string, unknown> {
    const tool = this.c.tools.get(name);
    const shape = tool?.input.shape ?? {};
    const { call } = this.c;
    const caller = call.direction === 'outbound' ? call.toNumber : call.fromNumber;
    if (!caller) return args;
    for (const key of ['caller_phone', 'visitor_phone']) {
      if (key in shape && args[key] === undefined) return { ...args, [key]: caller };
    }
    return args;
  }
}
