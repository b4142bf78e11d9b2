import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BrainError,
  type Brain,
  type BrainCallInfo,
  type BrainChunk,
  type BrainStepRequest,
  type BrainToolSpec,
  type ConversationItem,
} from '../../src/call-runtime/brain.port.ts';
import { TextGenerationError } from '../../src/domain/shared/text-generator.port.ts';
import {
  ANTHROPIC_CALL_START_TURN,
  AnthropicBrain,
  createBrainFactory,
  OpenAiBrain,
} from '../../src/integrations/llm/index.ts';
import { FakeAnthropicServer } from '../fakes/llm/fake-anthropic-server.ts';
import type { FakeLlmServer } from '../fakes/llm/fake-llm-server.ts';
import { FakeOpenAiServer } from '../fakes/llm/fake-openai-server.ts';
import { closedPort } from './llm/helpers.ts';

let openai: FakeOpenAiServer;
let anthropic: FakeAnthropicServer;

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([FakeOpenAiServer.start(), FakeAnthropicServer.start()]);
});

afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close()]);
});

beforeEach(() => {
  openai.reset();
  anthropic.reset();
});

const INSTRUCTIONS = 'You are Ava, the assistant of agent Dana Reyes at Harbor Realty. Keep answers short.';
const QUESTION = 'Is 12 Oak St still available?';

const LOOKUP: BrainToolSpec = {
  name: 'lookup_property',
  description: 'Find a listing by address.',
  parameters: { type: 'object', properties: { address: { type: 'string' } }, required: ['address'] },
};
const BOOK: BrainToolSpec = {
  name: 'book_showing',
  description: 'Book a showing.',
  parameters: { type: 'object', properties: { when: { type: 'string' } } },
};

function request(overrides: Partial<BrainStepRequest> = {}): BrainStepRequest {
  return {
    instructions: INSTRUCTIONS,
    history: [{ role: 'user', text: QUESTION }],
    tools: [],
    phase: 'property',
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function collect(chunks: AsyncIterable<BrainChunk>): Promise<BrainChunk[]> {
  const out: BrainChunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** The BrainError a step fails with; fails the test when it ends otherwise. */
async function failure(chunks: AsyncIterable<BrainChunk>): Promise<{ error: BrainError; before: BrainChunk[] }> {
  const before: BrainChunk[] = [];
  try {
    for await (const chunk of chunks) before.push(chunk);
  } catch (err) {
    expect(err).toBeInstanceOf(BrainError);
    return { error: err as BrainError, before };
  }
  throw new Error(`expected a BrainError, got ${JSON.stringify(before)}`);
}

function texts(chunks: BrainChunk[]): string[] {
  return chunks.flatMap((c) => (c.type === 'text' ? [c.text] : []));
}

function body(fake: FakeLlmServer, i = -1): Record<string, unknown> {
  return fake.requests.at(i)!.body as Record<string, unknown>;
}

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
    fake: () => openai,
    brain: (options) =>
      new OpenAiBrain({ apiKey: openai.apiKey, baseUrl: openai.url, timeoutMs: 2_000, maxRetries: 0, ...options }),
    tool: (spec) => ({
      type: 'function',
      function: { name: spec.name, description: spec.description, parameters: spec.parameters },
    }),
    callId: 'call_Lx7pQ2',
  },
  {
    name: 'anthropic',
    fake: () => anthropic,
    brain: (options) =>
      new AnthropicBrain({
        apiKey: anthropic.apiKey,
        baseUrl: anthropic.url,
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
    await vi.waitFor(() => expect(fake.requests[0]!.outcome).toBe('aborted'));
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
        ? new OpenAiBrain({ apiKey: 'sk-wrong', baseUrl: openai.url, maxRetries: 0 })
        : new AnthropicBrain({ apiKey: 'sk-ant-wrong', baseUrl: anthropic.url, maxRetries: 0 });
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
        ? new OpenAiBrain({ apiKey: openai.apiKey, baseUrl: openai.url, maxRetries: 1 })
        : new AnthropicBrain({ apiKey: anthropic.apiKey, baseUrl: anthropic.url, maxRetries: 1 });
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

/** A conversation with one tool round-trip: the caller asks, the model calls two tools, both answer. */
const ROUND_TRIP: ConversationItem[] = [
  { role: 'assistant', text: 'Harbor Realty, this is Ava. How can I help?' },
  { role: 'user', text: QUESTION },
  {
    role: 'assistant',
    text: 'Let me check.',
    toolCalls: [
      { id: 'call_1', name: 'lookup_property', arguments: { address: '12 Oak St' } },
      { id: 'call_2', name: 'book_showing', arguments: {} },
    ],
  },
  { role: 'tool', toolCallId: 'call_1', name: 'lookup_property', content: '{"ok":true,"data":{"status":"active"}}' },
  { role: 'tool', toolCallId: 'call_2', name: 'book_showing', content: '{"ok":false,"error":"no slots"}' },
  { role: 'assistant', text: 'It is available.', toolCalls: [] },
  { role: 'user', text: 'Great.' },
  { role: 'user', text: 'Can I see it Saturday?' },
  { role: 'assistant', text: '', toolCalls: [{ id: 'call_3', name: 'book_showing', arguments: { when: 'Saturday' } }] },
  { role: 'tool', toolCallId: 'call_3', name: 'book_showing', content: '{"ok":true}' },
];

describe('OpenAiBrain request mapping', () => {
  it('sends system + history with tool_calls (JSON-string arguments) and tool messages, and the defaults', async () => {
    openai.setDefaultReply('Booked for Saturday.');
    await collect(
      new OpenAiBrain({ apiKey: openai.apiKey, baseUrl: openai.url, maxRetries: 0 }).step(
        request({ history: ROUND_TRIP, tools: [BOOK] }),
      ),
    );
    const sent = openai.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${openai.apiKey}`);
    expect(sent.body).toEqual({
      model: 'gpt-4o-mini',
      stream: true,
      max_completion_tokens: 300,
      temperature: 0.4,
      tools: [{ type: 'function', function: BOOK }],
      messages: [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'assistant', content: 'Harbor Realty, this is Ava. How can I help?' },
        { role: 'user', content: QUESTION },
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'lookup_property', arguments: '{"address":"12 Oak St"}' },
            },
            { id: 'call_2', type: 'function', function: { name: 'book_showing', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"ok":true,"data":{"status":"active"}}' },
        { role: 'tool', tool_call_id: 'call_2', content: '{"ok":false,"error":"no slots"}' },
        { role: 'assistant', content: 'It is available.' },
        { role: 'user', content: 'Great.' },
        { role: 'user', content: 'Can I see it Saturday?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_3', type: 'function', function: { name: 'book_showing', arguments: '{"when":"Saturday"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_3', content: '{"ok":true}' },
      ],
    });
  });

  it('passes a configured model and temperature', async () => {
    openai.setDefaultReply('ok');
    await collect(
      new OpenAiBrain({
        apiKey: openai.apiKey,
        baseUrl: openai.url,
        model: 'gpt-4.1-nano',
        temperature: 0,
        maxRetries: 0,
      }).step(request()),
    );
    expect(body(openai)).toMatchObject({ model: 'gpt-4.1-nano', temperature: 0 });
  });
});

describe('AnthropicBrain request mapping', () => {
  it('sends system, tool_use blocks and ONE user message of tool_results, merging same-role turns', async () => {
    anthropic.setDefaultReply('Booked for Saturday.');
    await collect(
      new AnthropicBrain({ apiKey: anthropic.apiKey, baseUrl: anthropic.url, maxRetries: 0 }).step(
        request({ history: ROUND_TRIP, tools: [BOOK] }),
      ),
    );
    expect(anthropic.requests[0]!.outcome).toBe('reply');
    expect(body(anthropic)).toEqual({
      model: 'claude-sonnet-5',
      stream: true,
      max_tokens: 300,
      system: INSTRUCTIONS,
      tools: [{ name: 'book_showing', description: 'Book a showing.', input_schema: BOOK.parameters }],
      messages: [
        // The API wants a user turn first; the greeting gets one before it.
        { role: 'user', content: [{ type: 'text', text: ANTHROPIC_CALL_START_TURN }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Harbor Realty, this is Ava. How can I help?' }] },
        { role: 'user', content: [{ type: 'text', text: QUESTION }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'call_1', name: 'lookup_property', input: { address: '12 Oak St' } },
            { type: 'tool_use', id: 'call_2', name: 'book_showing', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: '{"ok":true,"data":{"status":"active"}}' },
            { type: 'tool_result', tool_use_id: 'call_2', content: '{"ok":false,"error":"no slots"}' },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: 'It is available.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Great.' },
            { type: 'text', text: 'Can I see it Saturday?' },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_3', name: 'book_showing', input: { when: 'Saturday' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_3', content: '{"ok":true}' }] },
      ],
    });
  });

  it('merges tool results with the caller words that follow them, results first', async () => {
    anthropic.setDefaultReply('ok');
    const history: ConversationItem[] = [
      { role: 'user', text: QUESTION },
      { role: 'assistant', text: '', toolCalls: [{ id: 't1', name: 'lookup_property', arguments: {} }] },
      { role: 'tool', toolCallId: 't1', name: 'lookup_property', content: '{"ok":true}' },
      { role: 'user', text: 'Hello?' },
    ];
    await collect(
      new AnthropicBrain({ apiKey: anthropic.apiKey, baseUrl: anthropic.url, maxRetries: 0 }).step(
        request({ history, instructions: '' }),
      ),
    );
    const sent = body(anthropic);
    expect(sent).not.toHaveProperty('system');
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: QUESTION }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'lookup_property', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: '{"ok":true}' },
          { type: 'text', text: 'Hello?' },
        ],
      },
    ]);
  });
});

describe('createBrainFactory', () => {
  const CALL: BrainCallInfo = { timeZone: 'America/New_York', agentName: 'Dana Reyes' };

  it('returns null when no key is configured (blank keys count as none)', () => {
    expect(createBrainFactory({})).toBeNull();
    expect(
      createBrainFactory({ openaiApiKey: ' ', anthropicApiKey: '', openaiModel: 'gpt-4o', maxTokens: 99 }),
    ).toBeNull();
  });

  it('prefers Anthropic when both keys are set and no provider is chosen', () => {
    const brain = createBrainFactory({ openaiApiKey: 'sk-1', anthropicApiKey: 'sk-ant-1' })?.(CALL);
    expect(brain).toBeInstanceOf(AnthropicBrain);
    expect(brain?.name).toBe('anthropic');
    expect((brain as AnthropicBrain).model).toBe('claude-sonnet-5');
  });

  it('falls back to OpenAI when only its key is set', () => {
    const brain = createBrainFactory({ openaiApiKey: 'sk-1', openaiModel: ' gpt-4.1-nano ' })?.(CALL);
    expect(brain).toBeInstanceOf(OpenAiBrain);
    expect(brain?.name).toBe('openai');
    expect((brain as OpenAiBrain).model).toBe('gpt-4.1-nano');
  });

  it('honours an explicit provider, and does not switch vendors when that provider has no key', () => {
    expect(
      createBrainFactory({ provider: 'openai', openaiApiKey: 'sk-1', anthropicApiKey: 'sk-ant-1' })?.(CALL),
    ).toBeInstanceOf(OpenAiBrain);
    expect(createBrainFactory({ provider: 'anthropic', openaiApiKey: 'sk-1' })).toBeNull();
    expect(createBrainFactory({ provider: 'openai', anthropicApiKey: 'sk-ant-1' })).toBeNull();
  });

  it('hands out one shared, stateless brain', () => {
    const factory = createBrainFactory({ anthropicApiKey: 'sk-ant-1' })!;
    expect(factory(CALL)).toBe(factory({ timeZone: 'Europe/London', agentName: 'Sam Lee' }));
  });

  it('wires key, base URL, model and token cap into a working brain', async () => {
    anthropic.setDefaultReply('Hello from the factory.');
    const factory = createBrainFactory({
      anthropicApiKey: anthropic.apiKey,
      anthropicBaseUrl: anthropic.url,
      anthropicModel: 'claude-haiku-5',
      maxTokens: 150,
      maxRetries: 0,
    })!;
    expect(texts(await collect(factory(CALL).step(request())))).toEqual(['Hello ', 'from ', 'the ', 'factory.']);
    expect(body(anthropic)).toMatchObject({ model: 'claude-haiku-5', max_tokens: 150 });
  });
});
