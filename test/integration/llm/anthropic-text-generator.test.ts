import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TextGenerationError } from '../../../src/domain/shared/text-generator.port.ts';
import {
  ANTHROPIC_DEFAULT_MODEL,
  AnthropicTextGenerator,
  type AnthropicTextGeneratorOptions,
} from '../../../src/integrations/llm/index.ts';
import { FakeAnthropicServer } from '../../fakes/llm/fake-anthropic-server.ts';
import { closedPort, rejection } from './helpers.ts';

let fake: FakeAnthropicServer;

beforeAll(async () => {
  fake = await FakeAnthropicServer.start({ knownModels: [ANTHROPIC_DEFAULT_MODEL, 'claude-haiku-4-5'] });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

function generator(overrides: Partial<AnthropicTextGeneratorOptions> = {}): AnthropicTextGenerator {
  return new AnthropicTextGenerator({ apiKey: fake.apiKey, baseUrl: fake.url, timeoutMs: 2_000, ...overrides });
}

const ask = { system: 'You are a terse real-estate assistant.', prompt: 'Summarise 12 Oak St', maxTokens: 120 };

describe('AnthropicTextGenerator against the fake Anthropic', () => {
  it('returns the text, the reported model and the token counts', async () => {
    fake.script('12 Oak St', {
      text: 'Three-bed ranch, listed at $420k.',
      model: 'claude-3-5-sonnet-20241022',
      inputTokens: 41,
      outputTokens: 12,
    });
    const result = await generator().generate(ask);
    expect(result).toEqual({
      text: 'Three-bed ranch, listed at $420k.',
      model: 'claude-3-5-sonnet-20241022',
      provider: 'anthropic',
      inputTokens: 41,
      outputTokens: 12,
    });
  });

  it('counts prompt-cache reads as input tokens', async () => {
    fake.script('Oak', { text: 'ok', inputTokens: 10, cachedInputTokens: 90, outputTokens: 2 });
    const result = await generator().generate(ask);
    expect(result.inputTokens).toBe(100);
    expect(result.outputTokens).toBe(2);
  });

  it('sends Authorization: Bearer (not x-api-key), anthropic-version, the default model, max_tokens, system and messages', async () => {
    fake.script('12 Oak St', 'ok');
    const gen = generator();
    expect(gen.model).toBe('claude-sonnet-5');
    expect(gen.provider).toBe('anthropic');
    await gen.generate({ ...ask, temperature: 0.3 });

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/messages');
    expect(req.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(req.headers['x-api-key']).toBeUndefined();
    expect(req.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(req.headers['x-stainless-retry-count']).toBe('0');
    expect(req.body).toEqual({
      model: 'claude-sonnet-5',
      max_tokens: 120,
      system: ask.system,
      messages: [{ role: 'user', content: ask.prompt }],
      temperature: 0.3,
    });
  });

  it('passes a configured model and leaves temperature out unless asked', async () => {
    fake.script('Oak', 'ok');
    const gen = generator({ model: 'claude-haiku-4-5' });
    const result = await gen.generate(ask);
    expect(result.model).toBe('claude-haiku-4-5');
    const body = fake.lastRequest!.body as Record<string, unknown>;
    expect(body.model).toBe('claude-haiku-4-5');
    expect(body).not.toHaveProperty('temperature');
  });

  it('json mode: instructs in the system prompt and cuts the first JSON object out of prose and fences', async () => {
    fake.script(
      'Oak',
      'Sure! Here it is:\n```json\n{"beds": 3, "note": "has {braces} and \\"quotes\\""}\n```\nAnything else? {"x":1}',
    );
    const result = await generator().generate({ ...ask, json: true });
    expect(result.text).toBe('{"beds": 3, "note": "has {braces} and \\"quotes\\""}');
    expect(JSON.parse(result.text)).toEqual({ beds: 3, note: 'has {braces} and "quotes"' });

    const body = fake.lastRequest!.body as Record<string, unknown>;
    expect(body.system).toMatch(/^You are a terse real-estate assistant\.\n\n.*JSON object/);
    expect(body).not.toHaveProperty('response_format');
  });

  it('json mode: an answer without a JSON object is a non-retryable invalid_response', async () => {
    fake.script('Oak', 'I would rather describe it in words: {not json}.');
    const err = await rejection(generator().generate({ ...ask, json: true }));
    expect(err).toMatchObject({ kind: 'invalid_response', code: 'no_json_object', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('json mode: a truncated object reports max_tokens', async () => {
    fake.script('Oak', { text: '{"beds": 3, "price": 4', stopReason: 'max_tokens' });
    const err = await rejection(generator().generate({ ...ask, json: true }));
    expect(err).toMatchObject({ kind: 'invalid_response', code: 'max_tokens' });
  });

  it('a refusal is a non-retryable invalid_response', async () => {
    fake.script('Oak', { text: '', stopReason: 'refusal' });
    const err = await rejection(generator().generate(ask));
    expect(err).toMatchObject({ kind: 'invalid_response', code: 'refusal', retryable: false });
  });

  it('401 (wrong key) is non-retryable and is not retried', async () => {
    fake.script('Oak', 'never');
    const err = await rejection(generator({ apiKey: 'sk-ant-wrong' }).generate(ask));
    expect(err).toBeInstanceOf(TextGenerationError);
    expect(err).toMatchObject({
      provider: 'anthropic',
      kind: 'http',
      status: 401,
      retryable: false,
      code: 'authentication_error',
      detail: 'invalid x-api-key',
    });
    expect(err.requestId).toMatch(/^req_/);
    expect(fake.requests).toHaveLength(1);
  });

  it.each([400, 403])('%i is non-retryable and is not retried', async (status) => {
    fake.failNext(status);
    const err = await rejection(generator().generate(ask));
    expect(err).toMatchObject({ kind: 'http', status, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('404 for an unknown model is non-retryable', async () => {
    const err = await rejection(generator({ model: 'claude-no-such-model' }).generate(ask));
    expect(err).toMatchObject({ kind: 'http', status: 404, retryable: false, code: 'not_found_error' });
    expect(fake.requests).toHaveLength(1);
  });

  it('an unscripted prompt is a 400 from the fake, so a wrong prompt fails the test', async () => {
    const err = await rejection(generator().generate(ask));
    expect(err).toMatchObject({ status: 400, retryable: false, code: 'invalid_request_error' });
    expect(err.detail).toMatch(/no scripted reply/);
  });

  it('500 twice, then success: retried by the SDK with a rising retry count', async () => {
    fake.failNext(500, { times: 2 }).script('Oak', 'third time lucky');
    const result = await generator({ maxRetries: 2 }).generate(ask);
    expect(result.text).toBe('third time lucky');
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(fake.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1', '2']);
  });

  it('429 and 529 (overloaded), then success', async () => {
    fake.failNext(429).failNext(529).script('Oak', 'after the rate limit');
    const result = await generator().generate(ask);
    expect(result.text).toBe('after the rate limit');
    expect(fake.requests.map((r) => r.status)).toEqual([429, 529, 200]);
  });

  it('retries exhausted: the last status, retryable, with the error type as code', async () => {
    fake.failNext(529, { times: 2 });
    const err = await rejection(generator({ maxRetries: 1 }).generate(ask));
    expect(err).toMatchObject({ kind: 'http', status: 529, retryable: true, code: 'overloaded_error' });
    expect(fake.requests).toHaveLength(2);
  });

  it('a hung request times out: retryable timeout, each attempt counted', async () => {
    fake.hangNext(2);
    const started = Date.now();
    const err = await rejection(generator({ timeoutMs: 200, maxRetries: 1 }).generate(ask));
    expect(err).toMatchObject({ kind: 'timeout', status: null, retryable: true, provider: 'anthropic' });
    expect(fake.requests.map((r) => r.outcome)).toEqual(['hang', 'hang']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a timeout is retried and the next attempt can succeed', async () => {
    fake.hangNext(1).script('Oak', 'second attempt');
    const result = await generator({ timeoutMs: 200, maxRetries: 1 }).generate(ask);
    expect(result.text).toBe('second attempt');
    expect(fake.requests.map((r) => r.outcome)).toEqual(['hang', 'reply']);
  });

  it('a slow answer past the deadline is a timeout too', async () => {
    fake.script('Oak', { text: 'too slow', delayMs: 1_000 });
    const err = await rejection(generator({ maxRetries: 0 }).generate({ ...ask, timeoutMs: 150 }));
    expect(err.kind).toBe('timeout');
  });

  it('a refused connection is a retryable connection error', async () => {
    const port = await closedPort();
    const err = await rejection(generator({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 }).generate(ask));
    expect(err).toMatchObject({ kind: 'connection', status: null, retryable: true });
  });

  it('accepts a base URL with a trailing slash', async () => {
    fake.script('Oak', 'slash ok');
    const result = await generator({ baseUrl: `${fake.url}/` }).generate(ask);
    expect(result.text).toBe('slash ok');
    expect(fake.lastRequest!.path).toBe('/v1/messages');
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects an invalid request before sending it', async () => {
    const err = await rejection(generator().generate({ ...ask, maxTokens: 1.5 }));
    expect(err).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });
});
