import OpenAI, { APIError } from 'openai';
import {
  BrainError,
  type Brain,
  type BrainChunk,
  type BrainStepRequest,
  type BrainToolSpec,
  type ConversationItem,
} from '../../call-runtime/brain.port.ts';
import {
  brainErrorFrom,
  DEFAULT_BRAIN_MAX_TOKENS,
  DEFAULT_LLM_MAX_RETRIES,
  DEFAULT_LLM_TIMEOUT_MS,
  parseToolArguments,
  type BrainAdapterOptions,
} from './common.ts';
import { OPENAI_DEFAULT_BASE_URL, OPENAI_DEFAULT_MODEL, toGenerationError } from './openai.ts';

export const OPENAI_BRAIN_DEFAULT_TEMPERATURE = 0.4;

export interface OpenAiBrainOptions extends BrainAdapterOptions {
  /** Sampling temperature. Default 0.4. */
  temperature?: number;
}

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/**
 * The Brain port on OpenAI Chat Completions, streamed (`POST {baseUrl}/chat/completions`, `stream: true`).
 * Text deltas are yielded as they arrive; tool calls are assembled from their deltas (by index) and yielded
 * after the text, once the stream has finished.
 *
 * Abort: when `signal` fires, the HTTP request is cancelled and the step ends quietly (no error, and no tool
 * calls: the model's turn was cut short). Failures throw BrainError (after the SDK's own retries, which only
 * happen before the stream starts).
 */
export class OpenAiBrain implements Brain {
  readonly name = 'openai';
  readonly model: string;
  private readonly client: OpenAI;
  private readonly maxTokens: number;
  private readonly temperature: number;

  constructor(options: OpenAiBrainOptions) {
    if (!options.apiKey) throw new TypeError('OpenAiBrain: apiKey is required');
    this.model = options.model ?? OPENAI_DEFAULT_MODEL;
    this.maxTokens = options.maxTokens ?? DEFAULT_BRAIN_MAX_TOKENS;
    this.temperature = options.temperature ?? OPENAI_BRAIN_DEFAULT_TEMPERATURE;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      // Explicit, so that OPENAI_BASE_URL / OPENAI_ORG_ID / OPENAI_PROJECT_ID in the environment change nothing.
      baseURL: options.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
      organization: null,
      project: null,
      timeout: options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_LLM_MAX_RETRIES,
    });
  }

  async *step(req: BrainStepRequest): AsyncGenerator<BrainChunk> {
    const { signal } = req;
    if (signal.aborted) return;
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    let finished = false;
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: toMessages(req.instructions, req.history),
          ...(req.tools.length > 0 ? { tools: req.tools.map(toTool) } : {}),
          max_completion_tokens: this.maxTokens,
          temperature: this.temperature,
          stream: true,
        },
        { signal },
      );
      for await (const chunk of stream) {
        if (signal.aborted) break;
        const choice = chunk.choices[0];
        if (!choice) continue;
        // A refusal is what the model says instead of an answer: speak it like one.
        const text = choice.delta.content || choice.delta.refusal;
        if (text) yield { type: 'text', text };
        for (const delta of choice.delta.tool_calls ?? []) {
          const call = calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
          call.id ||= delta.id ?? '';
          call.name ||= delta.function?.name ?? '';
          call.arguments += delta.function?.arguments ?? '';
          calls.set(delta.index, call);
        }
        if (choice.finish_reason) finished = true;
      }
    } catch (err) {
      if (signal.aborted) return;
      throw toBrainError(err);
    }
    if (signal.aborted) return;
    if (!finished) throw new BrainError('openai brain step failed: the stream ended before the answer did', true);
    for (const [index, call] of [...calls].sort(([a], [b]) => a - b)) {
      if (!call.name) continue;
      yield {
        type: 'tool_call',
        call: { id: call.id || `call_${index}`, name: call.name, arguments: parseToolArguments(call.arguments) },
      };
    }
  }
}

function toMessages(instructions: string, history: ConversationItem[]): Message[] {
  const messages: Message[] = instructions ? [{ role: 'system', content: instructions }] : [];
  for (const item of history) {
    if (item.role === 'user') {
      messages.push({ role: 'user', content: item.text });
    } else if (item.role === 'tool') {
      messages.push({ role: 'tool', tool_call_id: item.toolCallId, content: item.content });
    } else if (item.toolCalls?.length) {
      messages.push({
        role: 'assistant',
        content: item.text || null,
        tool_calls: item.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        })),
      });
    } else {
      messages.push({ role: 'assistant', content: item.text });
    }
  }
  return messages;
}

function toTool(spec: BrainToolSpec): OpenAI.Chat.Completions.ChatCompletionTool {
  return {
    type: 'function',
    function: { name: spec.name, description: spec.description, parameters: spec.parameters },
  };
}

function toBrainError(err: unknown): BrainError {
  const mapped = toGenerationError(err);
  // Timeouts, connection failures and aborts are API errors without a status too, but mapped before this.
  return brainErrorFrom(mapped, mapped.kind === 'invalid_request' && err instanceof APIError);
}
