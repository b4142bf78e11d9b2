import Anthropic, {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import {
  TextGenerationError,
  type TextGenerationRequest,
  type TextGenerationResult,
  type TextGenerator,
} from '../../domain/shared/text-generator.port.ts';
import {
  DEFAULT_LLM_MAX_RETRIES,
  DEFAULT_LLM_TIMEOUT_MS,
  extractFirstJsonObject,
  mapSdkError,
  truncate,
  validateRequest,
  type LlmAdapterOptions,
} from './common.ts';

export const ANTHROPIC_DEFAULT_MODEL = 'claude-sonnet-5';
/** The SDK appends `/v1/messages`, so a custom base URL has no `/v1`. */
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export type AnthropicTextGeneratorOptions = LlmAdapterOptions;

const JSON_INSTRUCTION =
  'Answer with exactly one JSON object and nothing else: no prose before or after it, no code fences.';

/**
 * The text-generation port on the Anthropic Messages API (`POST {baseUrl}/v1/messages`). SDK 1.12 authenticates
 * with `Authorization: Bearer <apiKey>` and sends `anthropic-version`. JSON answers are asked for in the system
 * prompt and the first JSON object is cut out of the text. Retries (408/409/429/5xx incl. 529, connection
 * failures and timeouts, honouring `retry-after[-ms]`) are the SDK's.
 */
export class AnthropicTextGenerator implements TextGenerator {
  readonly provider = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;

  constructor(options: AnthropicTextGeneratorOptions) {
    if (!options.apiKey) throw new TypeError('AnthropicTextGenerator: apiKey is required');
    this.model = options.model ?? ANTHROPIC_DEFAULT_MODEL;
    this.client = new Anthropic({
      // An explicit key keeps ANTHROPIC_AUTH_TOKEN, profiles and the default credential chain out of play.
      apiKey: options.apiKey,
      // Explicit, so that ANTHROPIC_BASE_URL in the environment changes nothing.
      baseURL: options.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL,
      timeout: options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_LLM_MAX_RETRIES,
    });
  }

  async generate(req: TextGenerationRequest): Promise<TextGenerationResult> {
    validateRequest(this.provider, req);
    const system = req.json ? `${req.system}\n\n${JSON_INSTRUCTION}`.trim() : req.system;
    let message: Anthropic.Messages.Message;
    try {
      message = await this.client.messages.create(
        {
          model: this.model,
          max_tokens: req.maxTokens,
          ...(system ? { system } : {}),
          messages: [{ role: 'user', content: req.prompt }],
          ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        },
        req.timeoutMs !== undefined ? { timeout: req.timeoutMs } : undefined,
      );
    } catch (err) {
      throw toGenerationError(err);
    }

    const stop = message.stop_reason;
    if (stop === 'refusal') throw this.invalid('refusal', null, message.id);
    const raw = message.content
      .flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join('')
      .trim();
    if (!raw) throw this.invalid(stop === 'max_tokens' ? 'max_tokens' : 'empty_response', null, message.id);
    let text = raw;
    if (req.json) {
      const json = extractFirstJsonObject(raw);
      if (json === null) throw this.invalid(stop === 'max_tokens' ? 'max_tokens' : 'no_json_object', raw, message.id);
      text = json;
    }
    const usage = message.usage;
    return {
      text,
      model: message.model || this.model,
      provider: this.provider,
      // input_tokens excludes prompt-cache reads and writes; add them so the figure means what OpenAI's does.
      inputTokens:
        typeof usage?.input_tokens === 'number'
          ? usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0)
          : null,
      outputTokens: typeof usage?.output_tokens === 'number' ? usage.output_tokens : null,
    };
  }

  private invalid(code: string, detail: string | null, requestId: string): TextGenerationError {
    return new TextGenerationError({
      provider: this.provider,
      kind: 'invalid_response',
      retryable: false,
      code,
      requestId,
      detail: truncate(detail),
    });
  }
}

/** The SDK's error as a TextGenerationError (shared with the streaming brain). */
export function toGenerationError(err: unknown): TextGenerationError {
  return mapSdkError(
    'anthropic',
    err,
    {
      timeout: APIConnectionTimeoutError,
      connection: APIConnectionError,
      abort: APIUserAbortError,
      api: APIError,
      base: AnthropicError,
    },
    (e) => ({ status: e.status, code: e.type ?? null, requestId: e.requestID ?? null, detail: e.apiMessage }),
  );
}
