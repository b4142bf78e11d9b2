import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AnthropicTextGenerator,
  createTextGenerator,
  extractFirstJsonObject,
  OpenAiTextGenerator,
} from '../../../src/integrations/llm/index.ts';
import { FakeAnthropicServer } from '../../fakes/llm/fake-anthropic-server.ts';
import { FakeOpenAiServer } from '../../fakes/llm/fake-openai-server.ts';

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

describe('createTextGenerator', () => {
  it('returns null when no key is configured (blank keys count as none)', () => {
    expect(createTextGenerator({})).toBeNull();
    expect(createTextGenerator({ openaiApiKey: '', anthropicApiKey: '   ', openaiModel: 'gpt-4o' })).toBeNull();
  });

  it('prefers Anthropic when both keys are set and no provider is chosen', () => {
    const gen = createTextGenerator({ openaiApiKey: 'sk-1', anthropicApiKey: 'sk-ant-1' });
    expect(gen).toBeInstanceOf(AnthropicTextGenerator);
    expect(gen?.provider).toBe('anthropic');
    expect(gen?.model).toBe('claude-sonnet-5');
  });

  it('falls back to OpenAI when only its key is set', () => {
    const gen = createTextGenerator({ openaiApiKey: 'sk-1' });
    expect(gen).toBeInstanceOf(OpenAiTextGenerator);
    expect(gen?.model).toBe('gpt-4o-mini');
  });

  it('honours an explicit provider over the default preference', () => {
    const gen = createTextGenerator({ provider: 'openai', openaiApiKey: 'sk-1', anthropicApiKey: 'sk-ant-1' });
    expect(gen?.provider).toBe('openai');
  });

  it('does not switch vendors when the chosen provider has no key', () => {
    expect(createTextGenerator({ provider: 'anthropic', openaiApiKey: 'sk-1' })).toBeNull();
    expect(createTextGenerator({ provider: 'openai', anthropicApiKey: 'sk-ant-1' })).toBeNull();
  });

  it('wires key, base URL and model into a working Anthropic generator', async () => {
    anthropic.script('ping', 'pong from anthropic');
    const gen = createTextGenerator({
      anthropicApiKey: anthropic.apiKey,
      anthropicBaseUrl: anthropic.url,
      anthropicModel: 'claude-haiku-4-5',
      openaiApiKey: openai.apiKey,
      openaiBaseUrl: openai.url,
    });
    const result = await gen!.generate({ system: 's', prompt: 'ping', maxTokens: 10 });
    expect(result).toMatchObject({ text: 'pong from anthropic', provider: 'anthropic', model: 'claude-haiku-4-5' });
    expect(anthropic.requests).toHaveLength(1);
    expect(openai.requests).toHaveLength(0);
  });

  it('wires key, base URL, model, timeout and retries into a working OpenAI generator', async () => {
    openai.failNext(500).script('ping', 'pong from openai');
    const gen = createTextGenerator({
      provider: 'openai',
      openaiApiKey: ` ${openai.apiKey} `,
      openaiBaseUrl: openai.url,
      openaiModel: 'gpt-4.1-mini',
      maxRetries: 0,
    });
    await expect(gen!.generate({ system: 's', prompt: 'ping', maxTokens: 10 })).rejects.toMatchObject({
      status: 500,
      retryable: true,
    });
    const result = await gen!.generate({ system: 's', prompt: 'ping', maxTokens: 10 });
    expect(result).toMatchObject({ text: 'pong from openai', provider: 'openai', model: 'gpt-4.1-mini' });
    expect(openai.requests.map((r) => (r.body as { model: string }).model)).toEqual(['gpt-4.1-mini', 'gpt-4.1-mini']);
  });
});

describe('extractFirstJsonObject', () => {
  it.each([
    ['{"a":1}', '{"a":1}'],
    ['prefix {"a":{"b":[1,2]}} suffix', '{"a":{"b":[1,2]}}'],
    ['```json\n{"s":"}{"}\n```', '{"s":"}{"}'],
    ['{broken} then {"ok":true}', '{"ok":true}'],
    ['{"escaped":"a \\" } b"}', '{"escaped":"a \\" } b"}'],
  ])('%j → %j', (input, expected) => {
    expect(extractFirstJsonObject(input)).toBe(expected);
  });

  it.each(['no json here', '[1,2,3]', '{"unterminated": 1', ''])('%j → null', (input) => {
    expect(extractFirstJsonObject(input)).toBeNull();
  });
});

describe('the fakes themselves', () => {
  it('OpenAI fake: rejects a missing key, a wrong route and json_object without the word json', async () => {
    openai.setDefaultReply('x');
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${openai.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const auth = { authorization: `Bearer ${openai.apiKey}` };
    const valid = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

    expect((await post('/v1/chat/completions', valid)).status).toBe(401);
    expect((await post('/v1/completions', valid, auth)).status).toBe(404);
    const noJsonWord = await post('/v1/chat/completions', { ...valid, response_format: { type: 'json_object' } }, auth);
    expect(noJsonWord.status).toBe(400);
    expect(await noJsonWord.json()).toMatchObject({ error: { param: 'messages', type: 'invalid_request_error' } });
    const ok = await post('/v1/chat/completions', valid, auth);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await ok.json()).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: 1 },
    });
    expect(openai.requests.map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'reply']);
  });

  it('Anthropic fake: accepts x-api-key as the API documents, requires anthropic-version and max_tokens', async () => {
    anthropic.setDefaultReply('y');
    const post = (body: unknown, headers: Record<string, string>) =>
      fetch(`${anthropic.origin}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const valid = { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };
    const version = { 'anthropic-version': '2023-06-01' };

    expect((await post(valid, { 'x-api-key': 'nope', ...version })).status).toBe(401);
    expect((await post(valid, { 'x-api-key': anthropic.apiKey })).status).toBe(400);
    expect(
      (await post({ ...valid, max_tokens: undefined }, { 'x-api-key': anthropic.apiKey, ...version })).status,
    ).toBe(400);
    const ok = await post(valid, { 'x-api-key': anthropic.apiKey, ...version });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'y' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: expect.any(Number), output_tokens: 1 },
    });
  });
});
