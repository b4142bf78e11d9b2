import { describe, expect, it } from 'vitest';
import type { BrainCallInfo, ConversationItem } from '../../src/call-runtime/brain.port.ts';
import {
  ANTHROPIC_CALL_START_TURN,
  AnthropicBrain,
  createBrainFactory,
  OpenAiBrain,
} from '../../src/integrations/llm/index.ts';
import { BOOK, body, collect, INSTRUCTIONS, QUESTION, request, texts, useLlmFakes } from '../helpers/llm-brain.ts';

const fakes = useLlmFakes();

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
    fakes.openai.setDefaultReply('Booked for Saturday.');
    await collect(
      new OpenAiBrain({ apiKey: fakes.openai.apiKey, baseUrl: fakes.openai.url, maxRetries: 0 }).step(
        request({ history: ROUND_TRIP, tools: [BOOK] }),
      ),
    );
    const sent = fakes.openai.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${fakes.openai.apiKey}`);
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
    fakes.openai.setDefaultReply('ok');
    await collect(
      new OpenAiBrain({
        apiKey: fakes.openai.apiKey,
        baseUrl: fakes.openai.url,
        model: 'gpt-4.1-nano',
        temperature: 0,
        maxRetries: 0,
      }).step(request()),
    );
    expect(body(fakes.openai)).toMatchObject({ model: 'gpt-4.1-nano', temperature: 0 });
  });
});

describe('AnthropicBrain request mapping', () => {
  it('sends system, tool_use blocks and ONE user message of tool_results, merging same-role turns', async () => {
    fakes.anthropic.setDefaultReply('Booked for Saturday.');
    await collect(
      new AnthropicBrain({ apiKey: fakes.anthropic.apiKey, baseUrl: fakes.anthropic.url, maxRetries: 0 }).step(
        request({ history: ROUND_TRIP, tools: [BOOK] }),
      ),
    );
    expect(fakes.anthropic.requests[0]!.outcome).toBe('reply');
    expect(body(fakes.anthropic)).toEqual({
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
    fakes.anthropic.setDefaultReply('ok');
    const history: ConversationItem[] = [
      { role: 'user', text: QUESTION },
      { role: 'assistant', text: '', toolCalls: [{ id: 't1', name: 'lookup_property', arguments: {} }] },
      { role: 'tool', toolCallId: 't1', name: 'lookup_property', content: '{"ok":true}' },
      { role: 'user', text: 'Hello?' },
    ];
    await collect(
      new AnthropicBrain({ apiKey: fakes.anthropic.apiKey, baseUrl: fakes.anthropic.url, maxRetries: 0 }).step(
        request({ history, instructions: '' }),
      ),
    );
    const sent = body(fakes.anthropic);
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
    fakes.anthropic.setDefaultReply('Hello from the factory.');
    const factory = createBrainFactory({
      anthropicApiKey: fakes.anthropic.apiKey,
      anthropicBaseUrl: fakes.anthropic.url,
      anthropicModel: 'claude-haiku-5',
      maxTokens: 150,
      maxRetries: 0,
    })!;
    expect(texts(await collect(factory(CALL).step(request())))).toEqual(['Hello ', 'from ', 'the ', 'factory.']);
    expect(body(fakes.anthropic)).toMatchObject({ model: 'claude-haiku-5', max_tokens: 150 });
  });
});
