import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TextGenerationError } from '../../../src/domain/shared/text-generator.port.ts';
import {
  OPENAI_DEFAULT_MODEL,
  OpenAiTextGenerator,
  type OpenAiTextGeneratorOptions,
} from '../../../src/integrations/llm/index.ts';
import { FakeOpenAiServer } from '../../fakes/llm/fake-openai-server.ts';
import { closedPort, rejection } from './helpers.ts';

let fake: FakeOpenAiServer;

beforeAll(async () => {
  fake = await FakeOpenAiServer.start({ knownModels: ['gpt-4o-mini', 'gpt-4.1-nano'] });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

function generator(overrides: Partial<OpenAiTextGeneratorOptions> = {}): OpenAiTextGenerator {
  return new OpenAiTextGenerator({ apiKey: fake.apiKey, baseUrl: fake.url, timeoutMs: 2_000, ...overrides });
}

const ask = { system: 'You are a terse real-estate assistant.', prompt: 'Summarise 12 Oak St', maxTokens: 120 };

describe('OpenAiTextGenerator against the fake OpenAI', () => {
  it('returns the text, the reported model and the token counts', async () => {
    fake.script('12 Oak St', {
      text: 'Three-bed ranch, listed at $420k.',
      model: 'gpt-4o-mini-2024-07-18',
      inputTokens: 37,
      outputTokens: 11,
    });
    const result = await generator().generate(ask);
    expect(result).toEqual({
      text: 'Three-bed ranch, listed at $420k.',
      model: 'gpt-4o-mini-2024-07-18',
      provider: 'openai',
      inputTokens: 37,
      outputTokens: 11,
    });
  });

  it('sends the bearer key, the default model, max_completion_tokens and system + user messages', async () => {
    fake.script('12 Oak St', 'ok');
    const gen = generator();
    expect(gen.model).toBe(OPENAI_DEFAULT_MODEL);
    expect(gen.provider).toBe('openai');
    await gen.generate({ ...ask, temperature: 0.2 });

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(req.headers['x-api-key']).toBeUndefined();
    expect(req.headers['x-stainless-retry-count']).toBe('0');
    expect(req.headers['openai-organization']).toBeUndefined();
    expect(req.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: ask.system },
        { role: 'user', content: ask.prompt },
      ],
      max_completion_tokens: 120,
      temperature: 0.2,
    });
  });

  it('passes a configured model and leaves temperature and response_format out unless asked', async () => {
    fake.script('12 Oak St', 'ok');
    const gen = generator({ model: 'gpt-4.1-nano' });
    const result = await gen.generate(ask);
    expect(gen.model).toBe('gpt-4.1-nano');
    expect(result.model).toBe('gpt-4.1-nano');
    const body = fake.lastRequest!.body as Record<string, unknown>;
    expect(body.model).toBe('gpt-4.1-nano');
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('response_format');
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('json mode: sends response_format json_object, adds the word JSON when missing, returns the object text', async () => {
    fake.script('Oak', '{"beds":3,"price":420000}');
    const result = await generator().generate({ ...ask, json: true });
    expect(JSON.parse(result.text)).toEqual({ beds: 3, price: 420000 });

    const body = fake.lastRequest!.body as { response_format: unknown; messages: { content: string }[] };
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[0]!.content).toMatch(/^You are a terse real-estate assistant\.\n\n.*JSON/);
    expect(fake.lastRequest!.status).toBe(200);
  });

  it('json mode: keeps a system prompt that already mentions JSON untouched', async () => {
    fake.script('Oak', '{"ok":true}');
    const system = 'Answer as json with keys beds and price.';
    await generator().generate({ ...ask, system, json: true });
    const body = fake.lastRequest!.body as { messages: { content: string }[] };
    expect(body.messages[0]!.content).toBe(system);
  });

  it('json mode: a non-JSON answer is a non-retryable invalid_response', async () => {
    fake.script('Oak', { text: '{"beds":3, "price"', stopReason: 'length' });
    const err = await rejection(generator().generate({ ...ask, json: true }));
    expect(err).toMatchObject({ kind: 'invalid_response', code: 'length', retryable: false, provider: 'openai' });
    expect(fake.requests).toHaveLength(1);
  });

  it('an empty answer is an invalid_response', async () => {
    fake.script('Oak', '');
    const err = await rejection(generator().generate(ask));
    expect(err).toMatchObject({ kind: 'invalid_response', code: 'empty_response', retryable: false });
  });

  it('401 (wrong key) is non-retryable and is not retried', async () => {
    fake.script('Oak', 'never');
    const err = await rejection(generator({ apiKey: 'sk-wrong-key-0000' }).generate(ask));
    expect(err).toBeInstanceOf(TextGenerationError);
    expect(err).toMatchObject({
      provider: 'openai',
      kind: 'http',
      status: 401,
      retryable: false,
      code: 'invalid_api_key',
    });
    expect(err.requestId).toMatch(/^req_/);
    expect(err.detail).toMatch(/Incorrect API key/);
    expect(err.message).not.toContain('sk-wrong-key-0000');
    expect(fake.requests).toHaveLength(1);
  });

  it.each([400, 403])('%i is non-retryable and is not retried', async (status) => {
    fake.failNext(status);
    const err = await rejection(generator().generate(ask));
    expect(err).toMatchObject({ kind: 'http', status, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('404 for an unknown model is non-retryable', async () => {
    const err = await rejection(generator({ model: 'gpt-no-such-model' }).generate(ask));
    expect(err).toMatchObject({ kind: 'http', status: 404, retryable: false, code: 'model_not_found' });
    expect(fake.requests).toHaveLength(1);
  });

  it('an unscripted prompt is a 400 from the fake, so a wrong prompt fails the test', async () => {
    fake.script('something else', 'x');
    const err = await rejection(generator().generate(ask));
    expect(err).toMatchObject({ status: 400, retryable: false });
    expect(err.detail).toMatch(/no scripted reply/);
  });

  it('500 twice, then success: retried by the SDK with a rising retry count', async () => {
    fake.failNext(500, { times: 2 }).script('Oak', 'third time lucky');
    const result = await generator({ maxRetries: 2 }).generate(ask);
    expect(result.text).toBe('third time lucky');
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(fake.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1', '2']);
  });

  it('429, then success', async () => {
    fake.failNext(429).script('Oak', 'after the rate limit');
    const result = await generator().generate(ask);
    expect(result.text).toBe('after the rate limit');
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries exhausted: the last status, retryable', async () => {
    fake.failNext(503, { times: 2 }).script('Oak', 'too late');
    const err = await rejection(generator({ maxRetries: 1 }).generate(ask));
    expect(err).toMatchObject({ kind: 'http', status: 503, retryable: true, provider: 'openai' });
    expect(fake.requests).toHaveLength(2);
  });

  it('429 exhausted is retryable and carries the rate-limit code', async () => {
    fake.failNext(429);
    const err = await rejection(generator({ maxRetries: 0 }).generate(ask));
    expect(err).toMatchObject({ status: 429, retryable: true, code: 'rate_limit_exceeded' });
  });

  it('a hung request times out: retryable timeout, each attempt counted', async () => {
    fake.hangNext(2);
    const started = Date.now();
    const err = await rejection(generator({ timeoutMs: 200, maxRetries: 1 }).generate(ask));
    expect(err).toMatchObject({ kind: 'timeout', status: null, retryable: true, provider: 'openai' });
    expect(fake.requests.map((r) => r.outcome)).toEqual(['hang', 'hang']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a timeout is retried and the next attempt can succeed', async () => {
    fake.hangNext(1).script('Oak', 'second attempt');
    const result = await generator({ timeoutMs: 200, maxRetries: 1 }).generate(ask);
    expect(result.text).toBe('second attempt');
    expect(fake.requests.map((r) => r.outcome)).toEqual(['hang', 'reply']);
  });

  it('the request timeoutMs overrides the adapter default', async () => {
    fake.hangNext(1);
    const started = Date.now();
    const err = await rejection(generator({ timeoutMs: 20_000, maxRetries: 0 }).generate({ ...ask, timeoutMs: 150 }));
    expect(err.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a refused connection is a retryable connection error', async () => {
    const port = await closedPort();
    const err = await rejection(generator({ baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }).generate(ask));
    expect(err).toMatchObject({ kind: 'connection', status: null, retryable: true });
  });

  it('accepts a base URL with a trailing slash', async () => {
    fake.script('Oak', 'slash ok');
    const result = await generator({ baseUrl: `${fake.url}/` }).generate(ask);
    expect(result.text).toBe('slash ok');
    expect(fake.lastRequest!.path).toBe('/v1/chat/completions');
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects an invalid request before sending it', async () => {
    const err = await rejection(generator().generate({ ...ask, maxTokens: 0 }));
    expect(err).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });
});
