import Anthropic, { APIError } from '@anthropic-ai/sdk';
import {
  BrainError,
  type Brain,
  type BrainChunk,
  type BrainStepRequest,
  type BrainToolSpec,
  type ConversationItem,
} from '../../call-runtime/brain.port.ts';
import { ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_DEFAULT_MODEL, toGenerationError } from './anthropic.ts';
import {
  brainErrorFrom,
  DEFAULT_BRAIN_MAX_TOKENS,
  DEFAULT_LLM_MAX_RETRIES,
  DEFAULT_LLM_TIMEOUT_MS,
  parseToolArguments,
  type BrainAdapterOptions,
} from './common.ts';

export type AnthropicBrainOptions = BrainAdapterOptions;

type Block = Anthropic.Messages.ContentBlockParam;
type Message = { role: 'user' | 'assistant'; content: Block[] };

/**
 * The Messages API wants the first message from the user; a history that opens with the agent's greeting gets
 * this user turn before it.
 */
export const ANTHROPIC_CALL_START_TURN = '(The call has connected.)';

/**
 * The Brain port on the Anthropic Messages API, streamed (`POST {baseUrl}/v1/messages`, `stream: true`).
 * Text deltas are yielded as they arrive; each tool_use block's `input_json_delta` pieces are joined and the
 * tool calls yielded after the text, once the message has stopped.
 *
 * The history becomes alternating user/assistant messages: assistant tool calls are `tool_use` blocks, tool
 * results `tool_result` blocks of a user message, and consecutive same-role items are merged into one message.
 *
 * No temperature is sent: SDK 1.12's Messages API has none any more (the model's default applies).
 *
 * Abort: when `signal` fires, the HTTP request is cancelled and the step ends quietly (no error, and no tool
 * calls: the model's turn was cut short). Failures throw BrainError (after the SDK's own retries, which only
 * happen before the stream starts).
 */
export class AnthropicBrain implements Brain {
  readonly name = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;
  private readonly maxTokens: number;

  constructor(options: AnthropicBrainOptions) {
    if (!options.apiKey) throw new TypeError('AnthropicBrain: apiKey is required');
    this.model = options.model ?? ANTHROPIC_DEFAULT_MODEL;
    this.maxTokens = options.maxTokens ?? DEFAULT_BRAIN_MAX_TOKENS;
    this.client = new Anthropic({
      // An explicit key keeps ANTHROPIC_AUTH_TOKEN, profiles and the default credential chain out of play.
      apiKey: options.apiKey,
      // Explicit, so that ANTHROPIC_BASE_URL in the environment changes nothing.
      baseURL: options.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL,
      timeout: options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_LLM_MAX_RETRIES,
    });
  }

  async *step(req: BrainStepRequest): AsyncGenerator<BrainChunk> {
    const { signal } = req;
    if (signal.aborted) return;
    const toolUses = new Map<number, { id: string; name: string; json: string }>();
    let finished = false;
    try {
      const stream = await this.client.messages.create(
        {
          model: this.model,
          max_tokens: this.maxTokens,
          ...(req.instructions ? { system: req.instructions } : {}),
          messages: toMessages(req.history),
          ...(req.tools.length > 0 ? { tools: req.tools.map(toTool) } : {}),
          stream: true,
        },
        { signal },
      );
      for await (const event of stream) {
        if (signal.aborted) break;
        if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
          const { id, name } = event.content_block;
          toolUses.set(event.index, { id, name, json: '' });
        } else if (event.type === 'content_block_delta') {
          if (event.delta.type === 'text_delta' && event.delta.text) yield { type: 'text', text: event.delta.text };
          const toolUse = toolUses.get(event.index);
          if (event.delta.type === 'input_json_delta' && toolUse) toolUse.json += event.delta.partial_json;
        } else if (event.type === 'message_stop') {
          finished = true;
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      throw toBrainError(err);
    }
    if (signal.aborted) return;
    if (!finished) throw new BrainError('anthropic brain step failed: the stream ended before the answer did', true);
    for (const [, toolUse] of [...toolUses].sort(([a], [b]) => a - b)) {
      yield {
        type: 'tool_call',
        call: { id: toolUse.id, name: toolUse.name, arguments: parseToolArguments(toolUse.json) },
      };
    }
  }
}

function toMessages(history: ConversationItem[]): Anthropic.Messages.MessageParam[] {
  const messages: Message[] = [];
  for (const item of history) {
    const [role, content] = toBlocks(item);
    const last = messages.at(-1);
    if (content.length === 0) continue;
    if (last?.role === role) last.content.push(...content);
    else messages.push({ role, content });
  }
  if (messages[0]?.role !== 'user') {
    messages.unshift({ role: 'user', content: [{ type: 'text', text: ANTHROPIC_CALL_START_TURN }] });
  }
  return messages;
}

/** An item's role and blocks; the API refuses empty text blocks, so none are made. */
function toBlocks(item: ConversationItem): [Message['role'], Block[]] {
  if (item.role === 'tool') {
    return ['user', [{ type: 'tool_result', tool_use_id: item.toolCallId, content: item.content }]];
  }
  const text: Block[] = item.text ? [{ type: 'text', text: item.text }] : [];
  if (item.role === 'user') return ['user', text];
  const toolUses = (item.toolCalls ?? []).map((call): Block => ({
    type: 'tool_use',
    id: call.id,
    name: call.name,
    input: call.arguments,
  }));
  return ['assistant', [...text, ...toolUses]];
}

function toTool(spec: BrainToolSpec): Anthropic.Messages.Tool {
  return {
    name: spec.name,
    description: spec.description,
    input_schema: { ...spec.parameters, type: 'object' },
  };
}

function toBrainError(err: unknown): BrainError {
  const mapped = toGenerationError(err);
  // Timeouts, connection failures and aborts are API errors without a status too, but mapped before this.
  return brainErrorFrom(mapped, mapped.kind === 'invalid_request' && err instanceof APIError);
}
