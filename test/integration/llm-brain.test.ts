import { describe, expect, it, vi } from 'vitest';
import type { Brain, BrainChunk, BrainToolSpec } from '../../src/call-runtime/brain.port.ts';
import { TextGenerationError } from '../../src/domain/shared/text-generator.port.ts';
import { AnthropicBrain, OpenAiBrain } from '../../src/integrations/llm/index.ts';
import type { FakeLlmServer } from '../fakes/llm/fake-llm-server.ts';
import { BOOK, body, collect, failure, LOOKUP, QUESTION, request, texts, useLlmFakes } from '../helpers/llm-brain.ts';
import { closedPort } from './llm/helpers.ts';
import { WAIT } from '../helpers/wait.ts';

const fakes = useLlmFakes();

interface Vendor {
  name: 'openai' | 'anthropic';
  fake: () => FakeLlmServer;
  brain: (options?: { maxTokens?: number }) => Brain;
  /** The vendor's `tools` entry for a spec. */
  tool: (spec: BrainToolSpec) => unknown;
  callId: string;
}

const vendors: Vendor[] = [
  {
    name: 'openai',
    fake: () => fakes.openai,
    brain: (options) =>
      new OpenAiBrain({
        apiKey: fakes.openai.apiKey,
        baseUrl: fakes.openai.url,
        timeoutMs: 2_000,
        maxRetries: 0,
        ...options,
      }),
    tool: (spec) => ({
      type: 'function',
      function: { name: spec.name, description: spec.description, parameters: spec.parameters },
    }),
    callId: 'call_Lx7pQ2',
  },
  {
    name: 'anthropic',
    fake: () => fakes.anthropic,
    brain: (options) =>
      new AnthropicBrain({
        apiKey: fakes.anthropic.apiKey,
        baseUrl: fakes.anthropic.url,
        timeoutMs: 2_000,
        maxRetries: 0,
        ...options,
      }),
    tool: (spec) => ({ name: spec.name, description: spec.description, input_schema: spec.parameters }),
    callId: 'toolu_01Lx7pQ2',
  },
];

describe.each(vendors)('$name brain against its fake', (vendor) => {
  it('streams the text as it arrives, in several chunks and in order', async () => {
    const fake = vendor.fake();
    fake.script(QUESTION, {
      text: 'Yes, 12 Oak St is still available.',
      textChunks: ['Yes, ', '12 Oak St ', 'is still ', 'available.'],
    });
    const brain = vendor.brain();
    expect(brain.name).toBe(vendor.name);

    const chunks = await collect(brain.step(request()));
    expect(chunks).toEqual([
      { type: 'text', text: 'Yes, ' },
      { type: 'text', text: '12 Oak St ' },
      { type: 'text', text: 'is still ' },
      { type: 'text', text: 'available.' },
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!).toMatchObject({ stream: true, outcome: 'reply', status: 200 });
  });

  it('yields the first words before the model has finished (no buffering)', async () => {
    vendor.fake().script(QUESTION, { text: 'One two three four five', chunkDelayMs: 60 });
    const arrivals: number[] = [];
    const start = Date.now();
    for await (const chunk of vendor.brain().step(request())) {
      if (chunk.type === 'text') arrivals.push(Date.now() - start);
    }
    expect(arrivals).toHaveLength(5);
    // The stream takes several delays to finish; the first word must not wait for it.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(150);
  });

  it('assembles a tool call whose arguments arrive in pieces and yields it after the text', async () => {
    vendor.fake().script(QUESTION, {
      text: 'Let me check.',
      toolCalls: [
        { id: vendor.callId, name: 'lookup_property', arguments: ['{"addr', 'ess": "12 O', 'ak St", "be', 'ds": 3}'] },
      ],
    });
    const chunks = await collect(vendor.brain().step(request({ tools: [LOOKUP] })));
    expect(chunks).toEqual([
      { type: 'text', text: 'Let ' },
      { type: 'text', text: 'me ' },
      { type: 'text', text: 'check.' },
      {
        type: 'tool_call',
        call: { id: vendor.callId, name: 'lookup_property', arguments: { address: '12 Oak St', beds: 3 } },
      },
    ]);
  });

  it('yields several tool calls in order; unparsable arguments become {} and the step goes on', async () => {
    vendor.fake().script(QUESTION, {
      text: '',
      toolCalls: [
        { name: 'lookup_property', arguments: '{"address": "12 Oak' },
        { name: 'book_showing', arguments: { when: 'tomorrow 5pm' } },
      ],
    });
    const chunks = await collect(vendor.brain().step(request({ tools: [LOOKUP, BOOK] })));
    expect(chunks.map((c) => c.type)).toEqual(['tool_call', 'tool_call']);
    const calls = chunks.flatMap((c) => (c.type === 'tool_call' ? [c.call] : []));
    expect(calls.map((c) => [c.name, c.arguments])).toEqual([
      ['lookup_property', {}],
      ['book_showing', { when: 'tomorrow 5pm' }],
    ]);
    expect(calls[0]!.id).not.toBe(calls[1]!.id);
    expect(calls.every((c) => c.id.length > 0)).toBe(true);
  });

  it('offers the given tools in the vendor format, and sends no `tools` when there are none', async () => {
    const fake = vendor.fake();
    fake.setDefaultReply('Sure.');
    const brain = vendor.brain();
    await collect(brain.step(request({ tools: [LOOKUP, BOOK] })));
    await collect(brain.step(request({ tools: [] })));

    expect(body(fake, 0).tools).toEqual([vendor.tool(LOOKUP), vendor.tool(BOOK)]);
    expect(body(fake, 1)).not.toHaveProperty('tools');
    expect(body(fake, 1).stream).toBe(true);
  });

  it('stops promptly and quietly when the signal aborts mid-stream', async () => {
    const fake = vendor.fake();
    fake.script(QUESTION, {
      text: 'Let me tell you all about this lovely three bedroom home.',
      toolCalls: [{ name: 'lookup_property', arguments: { address: '12 Oak St' } }],
      chunkDelayMs: 300,
    });
    const controller = new AbortController();
    const chunks: BrainChunk[] = [];
    let abortedAt = 0;
    for await (const chunk of vendor.brain().step(request({ signal: controller.signal, tools: [LOOKUP] }))) {
      chunks.push(chunk);
      if (chunks.length === 1) {
        abortedAt = Date.now();
        controller.abort();
      }
    }
    expect(Date.now() - abortedAt).toBeLessThan(200);
    // No more text after the abort and, the turn being cut short, no tool call.
    expect(chunks).toEqual([{ type: 'text', text: 'Let ' }]);
    await vi.waitFor(() => expect(fake.requests[0]!.outcome).toBe('aborted'), WAIT);
    expect(fake.requests).toHaveLength(1);
  });

  it('stops promptly and quietly when the signal aborts before the answer starts', async () => {
    const fake = vendor.fake();
    fake.hangNext();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const start = Date.now();
    expect(await collect(vendor.brain().step(request({ signal: controller.signal })))).toEqual([]);
    expect(Date.now() - start).toBeLessThan(1_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('makes no request at all for an already aborted signal', async () => {
    expect(await collect(vendor.brain().step(request({ signal: AbortSignal.abort() })))).toEqual([]);
    expect(vendor.fake().requests).toHaveLength(0);
  });

  it.each([
    [401, false],
    [400, false],
    [409, true],
    [429, true],
    [500, true],
  ])('HTTP %i → BrainError, retryable %s', async (status, retryable) => {
    const fake = vendor.fake();
    fake.failNext(status);
    const { error, before } = await failure(vendor.brain().step(request()));
    expect(before).toEqual([]);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toContain(`${vendor.name} brain step failed: HTTP ${status}`);
    expect(error.cause).toBeInstanceOf(TextGenerationError);
    expect((error.cause as TextGenerationError).status).toBe(status);
    expect(fake.requests).toHaveLength(1);
  });

  it('a wrong key is a non-retryable BrainError', async () => {
    const fake = vendor.fake();
    const brain =
      vendor.name === 'openai'
        ? new OpenAiBrain({ apiKey: 'sk-wrong', baseUrl: fakes.openai.url, maxRetries: 0 })
        : new AnthropicBrain({ apiKey: 'sk-ant-wrong', baseUrl: fakes.anthropic.url, maxRetries: 0 });
    const { error } = await failure(brain.step(request()));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('HTTP 401');
    expect(fake.requests[0]!.outcome).toBe('rejected');
  });

  it('a 500 is retried by the SDK when retries are allowed', async () => {
    const fake = vendor.fake();
    fake.failNext(500).setDefaultReply('Recovered.');
    const brain =
      vendor.name === 'openai'
        ? new OpenAiBrain({ apiKey: fakes.openai.apiKey, baseUrl: fakes.openai.url, maxRetries: 1 })
        : new AnthropicBrain({ apiKey: fakes.anthropic.apiKey, baseUrl: fakes.anthropic.url, maxRetries: 1 });
    expect(texts(await collect(brain.step(request())))).toEqual(['Recovered.']);
    expect(fake.requests.map((r) => r.outcome)).toEqual(['failure', 'reply']);
  });

  it('an error event inside the stream is a retryable BrainError, after the text already yielded', async () => {
    vendor.fake().script(QUESTION, { text: 'Let me', breakStream: { type: 'server_error', message: 'Boom' } });
    const { error, before } = await failure(vendor.brain().step(request()));
    expect(texts(before)).toEqual(['Let ', 'me']);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('error event in the stream');
  });

  it('a connection dropped mid-stream is a retryable BrainError, and no tool call is yielded', async () => {
    vendor.fake().script(QUESTION, {
      text: 'Let me',
      toolCalls: [{ name: 'lookup_property', arguments: { address: '12 Oak St' } }],
      breakStream: 'drop',
      chunkDelayMs: 20,
    });
    const { error, before } = await failure(vendor.brain().step(request({ tools: [LOOKUP] })));
    expect(texts(before)).toEqual(['Let ', 'me']);
    expect(before.every((c) => c.type === 'text')).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('connection lost in the stream');
  });

  it('nothing listening is a retryable connection BrainError', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}${vendor.name === 'openai' ? '/v1' : ''}`;
    const brain =
      vendor.name === 'openai'
        ? new OpenAiBrain({ apiKey: 'sk-1', baseUrl, maxRetries: 0 })
        : new AnthropicBrain({ apiKey: 'sk-ant-1', baseUrl, maxRetries: 0 });
    const { error } = await failure(brain.step(request()));
    expect(error).toMatchObject({ retryable: true, message: `${vendor.name} brain step failed: connection` });
  });

  it('sends the configured token cap', async () => {
    vendor.fake().setDefaultReply('ok');
    await collect(vendor.brain({ maxTokens: 120 }).step(request()));
    await collect(vendor.brain().step(request()));
    const cap = vendor.name === 'openai' ? 'max_completion_tokens' : 'max_tokens';
    expect(body(vendor.fake(), 0)[cap]).toBe(120);
    expect(body(vendor.fake(), 1)[cap]).toBe(300);
  });
});
