import type { BrainFactory } from '../../call-runtime/brain.port.ts';
import type { TextGenerator } from '../../domain/shared/text-generator.port.ts';
import { AnthropicTextGenerator } from './anthropic.ts';
import { AnthropicBrain } from './brain-anthropic.ts';
import { OpenAiBrain } from './brain-openai.ts';
import { OpenAiTextGenerator } from './openai.ts';

export {
  ANTHROPIC_DEFAULT_BASE_URL,
  ANTHROPIC_DEFAULT_MODEL,
  AnthropicTextGenerator,
  type AnthropicTextGeneratorOptions,
} from './anthropic.ts';
export { ANTHROPIC_CALL_START_TURN, AnthropicBrain, type AnthropicBrainOptions } from './brain-anthropic.ts';
export { OPENAI_BRAIN_DEFAULT_TEMPERATURE, OpenAiBrain, type OpenAiBrainOptions } from './brain-openai.ts';
export {
  type BrainAdapterOptions,
  DEFAULT_BRAIN_MAX_TOKENS,
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

/**
 * The brain factory of the configured vendor, or null when no key is set (the runtime then uses the local brain).
 * The choice follows `createTextGenerator`: an explicit `provider` counts only with its own key; without one,
 * Anthropic when its key is set, else OpenAI. The vendor brains keep no per-call state and ignore the call info
 * (the runtime puts the call facts in the instructions), so the factory hands out one shared instance (and its
 * HTTP connection pool).
 */
export function createBrainFactory(settings: TextGeneratorSettings & { maxTokens?: number }): BrainFactory | null {
  const openaiApiKey = present(settings.openaiApiKey);
  const anthropicApiKey = present(settings.anthropicApiKey);
  const provider = settings.provider ?? (anthropicApiKey ? 'anthropic' : openaiApiKey ? 'openai' : null);
  const { timeoutMs, maxRetries, maxTokens } = settings;
  let brain: AnthropicBrain | OpenAiBrain | null = null;
  if (provider === 'anthropic' && anthropicApiKey) {
    brain = new AnthropicBrain({
      apiKey: anthropicApiKey,
      baseUrl: present(settings.anthropicBaseUrl),
      model: present(settings.anthropicModel),
      timeoutMs,
      maxRetries,
      maxTokens,
    });
  } else if (provider === 'openai' && openaiApiKey) {
    brain = new OpenAiBrain({
      apiKey: openaiApiKey,
      baseUrl: present(settings.openaiBaseUrl),
      model: present(settings.openaiModel),
      timeoutMs,
      maxRetries,
      maxTokens,
    });
  }
  return brain && (() => brain);
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
export { OpenAiTextToSpeech, type OpenAiTtsOptions } from './openai-speech.ts';
export { OpenAiRealtimeSpeechToText, type OpenAiRealtimeSttOptions } from './openai-realtime-stt.ts';
