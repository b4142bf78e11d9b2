import type { TextGenerator } from '../../domain/shared/text-generator.port.ts';
import { AnthropicTextGenerator } from './anthropic.ts';
import { OpenAiTextGenerator } from './openai.ts';

export {
  ANTHROPIC_DEFAULT_BASE_URL,
  ANTHROPIC_DEFAULT_MODEL,
  AnthropicTextGenerator,
  type AnthropicTextGeneratorOptions,
} from './anthropic.ts';
export {
  DEFAULT_LLM_MAX_RETRIES,
  DEFAULT_LLM_TIMEOUT_MS,
  extractFirstJsonObject,
  type LlmAdapterOptions,
} from './common.ts';
export {
  OPENAI_DEFAULT_BASE_URL,
  OPENAI_DEFAULT_MODEL,
  OpenAiTextGenerator,
  type OpenAiTextGeneratorOptions,
} from './openai.ts';

export type LlmProvider = 'openai' | 'anthropic';

export interface TextGeneratorSettings {
  /** Explicit choice; without it Anthropic is used when its key is set, else OpenAI. */
  provider?: LlmProvider;
  openaiApiKey?: string;
  openaiBaseUrl?: string;
  openaiModel?: string;
  anthropicApiKey?: string;
  anthropicBaseUrl?: string;
  anthropicModel?: string;
  /** Per-attempt deadline for either adapter. Default 15 000. */
  timeoutMs?: number;
  /** Retries after the first attempt for either adapter. Default 2. */
  maxRetries?: number;
}

/**
 * The configured text generator, or null when none can be built.
 *
 * With an explicit `provider`, only that provider's key counts: a missing key gives null rather than a silent
 * switch to the other vendor. Without one, Anthropic wins when its key is set, else OpenAI. Blank keys, base URLs
 * and models count as unset.
 */
export function createTextGenerator(settings: TextGeneratorSettings): TextGenerator | null {
  const openaiApiKey = present(settings.openaiApiKey);
  const anthropicApiKey = present(settings.anthropicApiKey);
  const provider = settings.provider ?? (anthropicApiKey ? 'anthropic' : openaiApiKey ? 'openai' : null);
  const { timeoutMs, maxRetries } = settings;
  if (provider === 'anthropic' && anthropicApiKey) {
    return new AnthropicTextGenerator({
      apiKey: anthropicApiKey,
      baseUrl: present(settings.anthropicBaseUrl),
      model: present(settings.anthropicModel),
      timeoutMs,
      maxRetries,
    });
  }
  if (provider === 'openai' && openaiApiKey) {
    return new OpenAiTextGenerator({
      apiKey: openaiApiKey,
      baseUrl: present(settings.openaiBaseUrl),
      model: present(settings.openaiModel),
      timeoutMs,
      maxRetries,
    });
  }
  return null;
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
