import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import {
  BrainError,
  type BrainChunk,
  type BrainStepRequest,
  type BrainToolSpec,
} from '../../src/call-runtime/brain.port.ts';
import { FakeAnthropicServer } from '../fakes/llm/fake-anthropic-server.ts';
import type { FakeLlmServer } from '../fakes/llm/fake-llm-server.ts';
import { FakeOpenAiServer } from '../fakes/llm/fake-openai-server.ts';

/** The file's fake OpenAI and Anthropic servers: started before its tests, reset before each, closed after. */
export function useLlmFakes(): { readonly openai: FakeOpenAiServer; readonly anthropic: FakeAnthropicServer } {
  let openai: FakeOpenAiServer | undefined;
  let anthropic: FakeAnthropicServer | undefined;
  beforeAll(async () => {
    [openai, anthropic] = await Promise.all([FakeOpenAiServer.start(), FakeAnthropicServer.start()]);
  });
  afterAll(async () => {
    await Promise.all([openai?.close(), anthropic?.close()]);
  });
  beforeEach(() => {
    openai?.reset();
    anthropic?.reset();
  });
  const started = <T>(fake: T | undefined): T => {
    if (!fake) throw new Error('the fake LLM servers are not started yet');
    return fake;
  };
  return {
    get openai() {
      return started(openai);
    },
    get anthropic() {
      return started(anthropic);
    },
  };
}

export const INSTRUCTIONS = 'You are Ava, the assistant of agent Dana Reyes at Harbor Realty. Keep answers short.';
export const QUESTION = 'Is 12 Oak St still available?';

export const LOOKUP: BrainToolSpec = {
  name: 'lookup_property',
  description: 'Find a listing by address.',
  parameters: { type: 'object', properties: { address: { type: 'string' } }, required: ['address'] },
};
export const BOOK: BrainToolSpec = {
  name: 'book_showing',
  description: 'Book a showing.',
  parameters: { type: 'object', properties: { when: { type: 'string' } } },
};

/** A step request: the instructions, the caller's question, no tools. */
export function request(overrides: Partial<BrainStepRequest> = {}): BrainStepRequest {
  return {
    instructions: INSTRUCTIONS,
    history: [{ role: 'user', text: QUESTION }],
    tools: [],
    phase: 'property',
    signal: new AbortController().signal,
    ...overrides,
  };
}

export async function collect(chunks: AsyncIterable<BrainChunk>): Promise<BrainChunk[]> {
  const out: BrainChunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** The BrainError a step fails with; fails the test when it ends otherwise. */
export async function failure(chunks: AsyncIterable<BrainChunk>): Promise<{ error: BrainError; before: BrainChunk[] }> {
  const before: BrainChunk[] = [];
  try {
    for await (const chunk of chunks) before.push(chunk);
  } catch (err) {
    expect(err).toBeInstanceOf(BrainError);
    return { error: err as BrainError, before };
  }
  throw new Error(`expected a BrainError, got ${JSON.stringify(before)}`);
}

export function texts(chunks: BrainChunk[]): string[] {
  return chunks.flatMap((c) => (c.type === 'text' ? [c.text] : []));
}

/** The body of the fake's `i`-th request (the last by default). */
export function body(fake: FakeLlmServer, i = -1): Record<string, unknown> {
  return fake.requests.at(i)!.body as Record<string, unknown>;
}
