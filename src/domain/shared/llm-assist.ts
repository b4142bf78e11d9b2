import type { z } from 'zod';
import type { TextGenerationRequest, TextGenerator } from './text-generator.port.ts';

export type Assisted<T> =
  | { source: 'llm'; value: T; model: string }
  | { source: 'rules'; value: null; reason: 'no_llm' | 'llm_failed' | 'llm_answer_rejected'; detail?: string };

/**
 * Asks the configured model for a JSON answer and validates it. Any failure (no key, a vendor
 * error, an answer that does not fit the schema or the caller's check) yields `source: 'rules'`
 * so the caller falls back to its deterministic result. Never invents an answer.
 */
export async function askJson<T>(
  llm: TextGenerator | null | undefined,
  schema: z.ZodType<T>,
  req: Omit<TextGenerationRequest, 'json'>,
  accept: (value: T) => boolean = () => true,
): Promise<Assisted<T>> {
  if (!llm) return { source: 'rules', value: null, reason: 'no_llm' };
  let text: string;
  let model: string;
  try {
    const res = await llm.generate({ ...req, json: true });
    text = res.text;
    model = res.model;
  } catch (err) {
    return {
      source: 'rules',
      value: null,
      reason: 'llm_failed',
      detail: err instanceof Error ? err.message : String(err),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { source: 'rules', value: null, reason: 'llm_answer_rejected', detail: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success || !accept(parsed.data)) {
    return {
      source: 'rules',
      value: null,
      reason: 'llm_answer_rejected',
      detail: parsed.success ? 'failed the check' : parsed.error.message.slice(0, 200),
    };
  }
  return { source: 'llm', value: parsed.data, model };
}

/** Dollar amounts in a text ("$825,000" → 825000), to check an LLM rewrite kept every figure. */
export function dollarAmounts(text: string): number[] {
  return [...text.matchAll(/\$\s?([\d,]+(?:\.\d+)?)/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
}
