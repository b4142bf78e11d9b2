import type { BrainToolCall, ConversationItem } from '../../call-runtime/brain.port.ts';

/**
 * What the local brains read back from the conversation: the tools' results (as the runtime stores them, JSON in
 * the tool item) and the ids of the tool calls they make.
 */

export interface ToolReply {
  name: string;
  ok: boolean;
  data?: Record<string, unknown>;
  voice_summary?: string;
  error?: string;
  code?: string;
  details?: Record<string, unknown>;
  property_id?: number;
}

/** A tool item's result; an unreadable one counts as failed. Null for any other item. */
export function parseToolReply(item: ConversationItem): ToolReply | null {
  if (item.role !== 'tool') return null;
  try {
    return { name: item.name, ...(JSON.parse(item.content) as Omit<ToolReply, 'name'>) };
  } catch {
    return { name: item.name, ok: false };
  }
}

/** The tool results of the last step (the tool items after the last assistant item), in order. */
export function lastStepReplies(history: ConversationItem[]): ToolReply[] {
  const out: ToolReply[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const reply = parseToolReply(history[i]!);
    if (!reply) break;
    out.unshift(reply);
  }
  return out;
}

/** A tool call of a local brain, with an id unique in the process (`prefix_<time>_<n>`). */
export function localToolCalls(prefix: string): (name: string, args: Record<string, unknown>) => BrainToolCall {
  let counter = 0;
  return (name, args) => ({
    id: `${prefix}_${Date.now().toString(36)}_${(counter++).toString(36)}`,
    name,
    arguments: args,
  });
}

export function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
