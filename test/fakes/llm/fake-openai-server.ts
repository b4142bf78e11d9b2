import type { IncomingHttpHeaders } from 'node:http';
import {
  argumentPieces,
  argumentsText,
  contentText,
  estimateTokens,
  FakeLlmServer,
  header,
  isRecord,
  randomId,
  textPieces,
  type FakeLlmServerOptions,
  type HttpAnswer,
  type ScriptedReply,
} from './fake-llm-server.ts';

/**
 * A fake OpenAI Chat Completions endpoint: `POST /v1/chat/completions`, with the real shapes
 * (https://platform.openai.com/docs/api-reference/chat/object; types of the `openai` package):
 *
 *   200 {id:'chatcmpl-…', object:'chat.completion', created, model, choices:[{index, message:{role, content,
 *        refusal, annotations, tool_calls?}, logprobs, finish_reason}], usage:{prompt_tokens, completion_tokens,
 *        total_tokens, …_details}, service_tier, system_fingerprint}
 *   200 with `stream: true`: text/event-stream of `data: {chat.completion.chunk}` lines (same id, created and model
 *        in each; choices:[{index:0, delta, logprobs, finish_reason}]): a role delta, the content deltas, per tool
 *        call a delta with {index, id, type:'function', function:{name, arguments:''}} and then its argument
 *        pieces {index, function:{arguments}}, a last delta with finish_reason `stop` or `tool_calls`, with
 *        `stream_options.include_usage` a chunk with `choices:[]` and the usage, then `data: [DONE]`. An in-stream
 *        error is `data: {error:{message, type, param, code}}`.
 *   4xx/5xx {error:{message, type, param, code}}, header x-request-id on every answer
 *
 * Checks, as the real API does: `Authorization: Bearer <apiKey>` (401 `invalid_api_key`), a model and a non-empty
 * `messages` array (400), the word "json" in the messages when `response_format` is `json_object` (400), and,
 * with `knownModels`, the model (404 `model_not_found`). Configure the adapter with `baseUrl: fake.url`.
 */
export class FakeOpenAiServer extends FakeLlmServer {
  private constructor(options: FakeLlmServerOptions) {
    super(options, 'sk-test-');
  }

  static async start(options: FakeLlmServerOptions = {}): Promise<FakeOpenAiServer> {
    const fake = new FakeOpenAiServer(options);
    await fake.listen();
    return fake;
  }

  get url(): string {
    return `${this.origin}/v1`;
  }

  protected check(method: string, path: string, headers: IncomingHttpHeaders, body: unknown): HttpAnswer | null {
    if (method !== 'POST' || path !== '/v1/chat/completions') {
      return { status: 404, body: this.errorBody(404, `Invalid URL (${method} ${path})`) };
    }
    const auth = header(headers, 'authorization');
    if (!auth) {
      return {
        status: 401,
        body: error(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          'invalid_request_error',
          null,
          null,
        ),
      };
    }
    if (auth !== `Bearer ${this.apiKey}`) {
      const given = auth.replace(/^Bearer\s+/i, '');
      return {
        status: 401,
        body: error(
          `Incorrect API key provided: ${given.slice(0, 3)}*****${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          'invalid_request_error',
          null,
          'invalid_api_key',
        ),
      };
    }
    if (!isRecord(body)) {
      return { status: 400, body: error('We could not parse the JSON body of your request.', 'invalid_request_error') };
    }
    if (typeof body.model !== 'string' || !body.model) {
      return {
        status: 400,
        body: error('you must provide a model parameter', 'invalid_request_error', null, null),
      };
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return {
        status: 400,
        body: error("Invalid 'messages': empty array.", 'invalid_request_error', 'messages', 'empty_array'),
      };
    }
    if (this.knownModels && !this.knownModels.has(body.model)) {
      return {
        status: 404,
        body: error(
          `The model \`${body.model}\` does not exist or you do not have access to it.`,
          'invalid_request_error',
          null,
          'model_not_found',
        ),
      };
    }
    const format = isRecord(body.response_format) ? body.response_format.type : undefined;
    if (format === 'json_object') {
      const all = body.messages.map((m: unknown) => (isRecord(m) ? contentText(m.content) : '')).join('\n');
      if (!/json/i.test(all)) {
        return {
          status: 400,
          body: error(
            "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
            'invalid_request_error',
            'messages',
            null,
          ),
        };
      }
    }
    return null;
  }

  protected promptOf(body: unknown): string | null {
    if (!isRecord(body) || !Array.isArray(body.messages)) return null;
    const users = body.messages.filter((m: unknown) => isRecord(m) && m.role === 'user');
    const last: unknown = users.at(-1);
    return isRecord(last) ? contentText(last.content) : null;
  }

  protected errorBody(status: number, message?: string): unknown {
    switch (status) {
      case 400:
        return error(message ?? 'Bad request.', 'invalid_request_error');
      case 401:
        return error(message ?? 'Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key');
      case 403:
        return error(
          message ?? 'Country, region, or territory not supported',
          'request_forbidden',
          null,
          'unsupported_country_region_territory',
        );
      case 404:
        return error(message ?? 'Not found.', 'invalid_request_error', null, 'not_found');
      case 429:
        return error(
          message ??
            'Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1.',
          'requests',
          null,
          'rate_limit_exceeded',
        );
      case 503:
        return error(
          message ?? 'The engine is currently overloaded, please try again later.',
          'server_error',
          null,
          null,
        );
      default:
        return status >= 500
          ? error(
              message ?? 'The server had an error while processing your request. Sorry about that!',
              'server_error',
              null,
              null,
            )
          : error(message ?? `HTTP ${status}`, 'invalid_request_error');
    }
  }

  protected successBody(body: unknown, reply: ScriptedReply): unknown {
    const request = isRecord(body) ? body : {};
    const toolCalls = (reply.toolCalls ?? []).map((call) => ({
      id: call.id ?? toolCallId(),
      type: 'function',
      function: { name: call.name, arguments: argumentsText(call) },
    }));
    const message = {
      role: 'assistant',
      content: reply.text || toolCalls.length === 0 ? reply.text : null,
      refusal: null,
      annotations: [],
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    };
    return {
      id: `chatcmpl-${randomId(29)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: reply.model ?? request.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(reply) }],
      usage: usage(request, reply),
      service_tier: 'default',
      system_fingerprint: `fp_${randomId(10)}`,
    };
  }

  protected streamEvents(body: unknown, reply: ScriptedReply): string[] {
    const request = isRecord(body) ? body : {};
    const includeUsage = isRecord(request.stream_options) && request.stream_options.include_usage === true;
    const base = {
      id: `chatcmpl-${randomId(29)}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: reply.model ?? request.model,
      service_tier: 'default',
      system_fingerprint: `fp_${randomId(10)}`,
      ...(includeUsage ? { usage: null } : {}),
    };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
      data({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });

    const events = [chunk({ role: 'assistant', content: '', refusal: null })];
    for (const piece of textPieces(reply)) events.push(chunk({ content: piece }));
    if (reply.breakStream === 'drop') return events;
    if (reply.breakStream) {
      const { type, message = 'The server had an error while processing your request.' } = reply.breakStream;
      return [...events, data(error(message, type))];
    }
    for (const [index, call] of (reply.toolCalls ?? []).entries()) {
      const id = call.id ?? toolCallId();
      events.push(
        chunk({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] }),
      );
      for (const piece of argumentPieces(call)) {
        events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    }
    events.push(chunk({}, finishReason(reply)));
    if (includeUsage) events.push(data({ ...base, choices: [], usage: usage(request, reply) }));
    events.push('data: [DONE]\n\n');
    return events;
  }

  protected answerHeaders(): Record<string, string> {
    return { 'x-request-id': `req_${randomId(32)}`, 'openai-processing-ms': '42', 'openai-version': '2020-10-01' };
  }
}

function finishReason(reply: ScriptedReply): string {
  return reply.stopReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
}

function usage(request: Record<string, unknown>, reply: ScriptedReply): unknown {
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const promptText = messages.map((m: unknown) => (isRecord(m) ? contentText(m.content) : '')).join('\n');
  const promptTokens = reply.inputTokens ?? estimateTokens(promptText) + 3 * messages.length;
  const completionTokens =
    reply.outputTokens ?? estimateTokens(reply.text + (reply.toolCalls ?? []).map(argumentsText).join(''));
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: reply.cachedInputTokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function toolCallId(): string {
  return `call_${randomId(24)}`;
}

function data(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function error(message: string, type: string, param: string | null = null, code: string | null = null): unknown {
  return { error: { message, type, param, code } };
}
