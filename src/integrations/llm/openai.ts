import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from 'openai';
import {
  TextGenerationError,
  type TextGenerationRequest,
  type TextGenerationResult,
  type TextGenerator,
} from '../../domain/shared/text-generator.port.ts';
import {
  DEFAULT_LLM_MAX_RETRIES,
  DEFAULT_LLM_TIMEOUT_MS,
  mapSdkError,
  isJsonObject,
  truncate,
  validateRequest,
  type LlmAdapterOptions,
} from './common.ts';

export const OPENAI_DEFAULT_MODEL = 'gpt-4o-mini';
/** The SDK appends `/chat/completions`, so a custom base URL includes the `/v1`. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export type OpenAiTextGeneratorOptions = LlmAdapterOptions;

/** json_object mode is refused (400) unless the word "JSON" appears somewhere in the messages. */
const JSON_INSTRUCTION = 'Respond with a single JSON object.';

/**
 * The text-generation port on OpenAI Chat Completions (`POST {baseUrl}/chat/completions`, `Authorization: Bearer`).
 * Retries (408/409/429/5xx, connection failures and timeouts, honouring `retry-after[-ms]`) are the SDK's.
 */
export class OpenAiTextGenerator implements TextGenerator {
  readonly provider = 'openai';
  readonly model: string;
  private readonly client: OpenAI;

  constructor(options: OpenAiTextGeneratorOptions) {
    if (!options.apiKey) throw new TypeError('OpenAiTextGenerator: apiKey is required');
    this.model = options.model ?? OPENAI_DEFAULT_MODEL;
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

  async generate(req: TextGenerationRequest): Promise<TextGenerationResult> {
    validateRequest(this.provider, req);
    const system =
      req.json && !/json/i.test(req.system) && !/json/i.test(req.prompt)
        ? `${req.system}\n\n${JSON_INSTRUCTION}`.trim()
        : req.system;
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: [
            ...(system ? [{ role: 'system' as const, content: system }] : []),
            { role: 'user' as const, content: req.prompt },
          ],
          max_completion_tokens: req.maxTokens,
          ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
          ...(req.json ? { response_format: { type: 'json_object' as const } } : {}),
        },
        req.timeoutMs !== undefined ? { timeout: req.timeoutMs } : undefined,
      );
    } catch (err) {
      throw toGenerationError(err);
    }

    const choice = completion.choices[0];
    const refusal = choice?.message.refusal;
    if (refusal) throw this.invalid('refusal', refusal, completion.id);
    const content = choice?.message.content ?? '';
    const finish = choice?.finish_reason ?? null;
    if (!content.trim())
      throw this.invalid(finish === 'stop' || !finish ? 'empty_response' : finish, null, completion.id);
    if (req.json && !isJsonObject(content)) {
      throw this.invalid(finish === 'length' ? 'length' : 'invalid_json', content, completion.id);
    }
    return {
      text: req.json ? content.trim() : content,
      model: completion.model || this.model,
      provider: this.provider,
      inputTokens: completion.usage?.prompt_tokens ?? null,
      outputTokens: completion.usage?.completion_tokens ?? null,
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
    'openai',
    err,
    {
      timeout: APIConnectionTimeoutError,
      connection: APIConnectionError,
      abort: APIUserAbortError,
      api: APIError,
      base: OpenAIError,
    },
    (e) => {
      const body = e.error as { message?: unknown } | undefined;
      return {
        status: e.status,
        code: e.code ?? e.type ?? null,
        requestId: e.requestID ?? null,
        detail: typeof body?.message === 'string' ? body.message : null,
      };
    },
  );
}
