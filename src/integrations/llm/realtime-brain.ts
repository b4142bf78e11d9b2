import type {
  Brain,
  BrainChunk,
  BrainStepRequest,
  BrainToolCall,
  ConversationItem,
} from '../../call-runtime/brain.port.ts';
import type { RealtimeConversation, RealtimeResponseInfo, RealtimeToolCall } from './openai-realtime.ts';

/**
 * The OpenAI Realtime model as the call's brain (VOICE_PIPELINE=realtime). Its audio goes straight from the
 * conversation to the caller; this brain gives the runtime what it needs to run the machine: the transcript
 * of what the model said (voiced text) and its tool calls. The machine decides when the model answers
 * (turn detection without `create_response`): a step after the caller's utterance asks for a response, a
 * step after tool results sends them (the conversation then asks for the next response itself). The tools
 * and instructions of the machine's current state are pushed to the session before each step.
 */
export class RealtimeBrain implements Brain {
  readonly name = 'openai-realtime';
  readonly speaks = true;
  private sessionKey = '';

  constructor(private readonly conversation: RealtimeConversation) {}

  async *step(req: BrainStepRequest): AsyncGenerator<BrainChunk> {
    const conv = this.conversation;
    const key = `${req.instructions}\u0000${req.tools.map((t) => t.name).join(',')}`;
    if (key !== this.sessionKey) {
      await conv.updateSession({ instructions: req.instructions, tools: req.tools });
      this.sessionKey = key;
    }

    const chunks: BrainChunk[] = [];
    const calls: BrainToolCall[] = [];
    let done = false;
    let wake: (() => void) | null = null;
    const notify = (): void => {
      wake?.();
      wake = null;
    };
    const onText = (delta: string): void => {
      chunks.push({ type: 'text', text: delta, voiced: true });
      notify();
    };
    const onTool = (call: RealtimeToolCall): void => {
      calls.push({ id: call.callId, name: call.name, arguments: call.arguments });
    };
    const onDone = (info: RealtimeResponseInfo): void => {
      if (info.metadata.purpose === 'say') return; // a line the runtime asked the model to say
      done = true;
      notify();
    };
    const onAbort = (): void => notify();
    conv.on('agentTranscript', onText);
    conv.on('toolCall', onTool);
    conv.on('responseDone', onDone);
    conv.on('closed', onAbort);
    req.signal.addEventListener('abort', onAbort);
    try {
      const results = trailingToolResults(req.history);
      if (results.length) for (const r of results) conv.sendToolResult(r.toolCallId, r.content);
      else conv.respond();
      while (!req.signal.aborted && conv.connected) {
        while (chunks.length) yield chunks.shift()!;
        if (done) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (req.signal.aborted) return;
      for (const call of calls) yield { type: 'tool_call', call };
    } finally {
      conv.off('agentTranscript', onText);
      conv.off('toolCall', onTool);
      conv.off('responseDone', onDone);
      conv.off('closed', onAbort);
      req.signal.removeEventListener('abort', onAbort);
    }
  }
}

/** The tool results at the end of the history (the answers to the model's last tool calls). */
function trailingToolResults(history: ConversationItem[]): Extract<ConversationItem, { role: 'tool' }>[] {
  const out: Extract<ConversationItem, { role: 'tool' }>[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const item = history[i]!;
    if (item.role !== 'tool') break;
    out.unshift(item);
  }
  return out;
}
