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
  type ScriptedToolCall,
} from './fake-llm-server.ts';

/**
 * A fake Anthropic Messages endpoint: `POST /v1/messages`, with the real shapes
 * (https://docs.anthropic.com/en/api/messages; types of the `@anthropic-ai/sdk` package):
 *
 *   200 {id:'msg_…', type:'message', role:'assistant', model, content:[{type:'text', text, citations},
 *        {type:'tool_use', id, name, input}…], stop_reason, stop_sequence, usage:{input_tokens, output_tokens,
 *        cache_creation_input_tokens, cache_read_input_tokens, service_tier}}
 *   200 with `stream: true`: text/event-stream of `event: <type>\ndata: {type, …}` pairs: message_start (the
 *        message with empty content), per content block content_block_start, content_block_delta (`text_delta`
 *        pieces, or `input_json_delta` partial_json pieces for a tool_use block) and content_block_stop, a ping,
 *        message_delta (stop_reason `end_turn` or `tool_use`, output usage), message_stop. An in-stream error is
 *        `event: error` with {type:'error', error:{type, message}}.
 *   4xx/5xx {type:'error', error:{type, message}, request_id}, header request-id on every answer
 *
 * Auth: `x-api-key: <apiKey>` (what the API documents) or `Authorization: Bearer <apiKey>` (what SDK 1.12 sends);
 * otherwise 401 `authentication_error`. Also checked: `anthropic-version` header, model, a positive integer
 * `max_tokens`, non-empty `messages` starting with a user turn (400 `invalid_request_error`), and, with
 * `knownModels`, the model (404 `not_found_error`). Configure the adapter with `baseUrl: fake.url` (the SDK
 * appends `/v1/messages`).
 */
export class FakeAnthropicServer extends FakeLlmServer {
  private constructor(options: FakeLlmServerOptions) {
    super(options, 'sk-ant-test-');
  }

  static async start(options: FakeLlmServerOptions = {}): Promise<FakeAnthropicServer> {
    const fake = new FakeAnthropicServer(options);
    await fake.listen();
    return fake;
  }

  get url(): string {
    return this.origin;
  }

  protected check(method: string, path: string, headers: IncomingHttpHeaders, body: unknown): HttpAnswer | null {
    if (method !== 'POST' || path !== '/v1/messages') {
      return { status: 404, body: this.errorBody(404, 'Not Found') };
    }
    const apiKey = header(headers, 'x-api-key');
    const bearer = header(headers, 'authorization')?.replace(/^Bearer\s+/i, '');
    const given = apiKey ?? bearer;
    if (!given) return { status: 401, body: error('authentication_error', 'x-api-key header is required') };
    if (given !== this.apiKey) return { status: 401, body: error('authentication_error', 'invalid x-api-key') };
    if (!header(headers, 'anthropic-version')) {
      return { status: 400, body: error('invalid_request_error', 'anthropic-version: header is required') };
    }
    if (!isRecord(body)) {
      return { status: 400, body: error('invalid_request_error', 'There was an issue with your request body.') };
    }
    if (typeof body.model !== 'string' || !body.model) {
      return { status: 400, body: error('invalid_request_error', 'model: Field required') };
    }
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
      return { status: 400, body: error('invalid_request_error', 'max_tokens: Field required') };
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return { status: 400, body: error('invalid_request_error', 'messages: at least one message is required') };
    }
    const first: unknown = body.messages[0];
    if (!isRecord(first) || first.role !== 'user') {
      return { status: 400, body: error('invalid_request_error', 'messages: first message must use the "user" role') };
    }
    if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) {
      return { status: 400, body: error('invalid_request_error', 'system: Input should be a valid string') };
    }
    if (this.knownModels && !this.knownModels.has(body.model)) {
      return { status: 404, body: error('not_found_error', `model: ${body.model}`) };
    }
    return null;
  }

  /** The text of the last user message that has text (a message of tool results only is skipped). */
  protected promptOf(body: unknown): string | null {
    if (!isRecord(body) || !Array.isArray(body.messages)) return null;
    const users = body.messages.filter((m: unknown) => isRecord(m) && m.role === 'user');
    const texts = users.map((m: unknown) => (isRecord(m) ? contentText(m.content) : ''));
    return texts.findLast((text) => text !== '') ?? (users.length > 0 ? '' : null);
  }

  protected errorBody(status: number, message?: string): unknown {
    const [type, fallback] = ERRORS[status] ?? (status >= 500 ? ERRORS[500]! : ERRORS[400]!);
    return error(type, message ?? fallback);
  }

  protected successBody(body: unknown, reply: ScriptedReply): unknown {
    const request = isRecord(body) ? body : {};
    const toolUses = (reply.toolCalls ?? []).map((call) => ({
      type: 'tool_use',
      id: call.id ?? toolUseId(),
      name: call.name,
      input: parseInput(call),
    }));
    const text = reply.text || toolUses.length === 0 ? [{ type: 'text', text: reply.text, citations: null }] : [];
    return {
      id: `msg_01${randomId(22)}`,
      type: 'message',
      role: 'assistant',
      model: reply.model ?? request.model,
      content: [...text, ...toolUses],
      stop_reason: stopReason(reply),
      stop_sequence: null,
      usage: { ...inputUsage(request, reply), output_tokens: outputTokens(reply) },
    };
  }

  protected streamEvents(body: unknown, reply: ScriptedReply): string[] {
    const request = isRecord(body) ? body : {};
    const message = {
      id: `msg_01${randomId(22)}`,
      type: 'message',
      role: 'assistant',
      model: reply.model ?? request.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...inputUsage(request, reply), output_tokens: 1 },
    };
    const events = [event('message_start', { message })];
    let index = 0;
    const text = textPieces(reply);
    if (text.length > 0) {
      events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      events.push(event('ping', {}));
      for (const piece of text) {
        events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
      }
    }
    if (reply.breakStream === 'drop') return events;
    if (reply.breakStream) {
      const { type, message = 'Overloaded' } = reply.breakStream;
      return [...events, event('error', { error: { type, message } })];
    }
    if (text.length > 0) {
      events.push(event('content_block_stop', { index }));
      index++;
    }
    for (const call of reply.toolCalls ?? []) {
      const block = { type: 'tool_use', id: call.id ?? toolUseId(), name: call.name, input: {} };
      events.push(event('content_block_start', { index, content_block: block }));
      for (const piece of ['', ...argumentPieces(call)]) {
        events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
      }
      events.push(event('content_block_stop', { index }));
      index++;
    }
    const delta = { stop_reason: stopReason(reply), stop_sequence: null };
    events.push(event('message_delta', { delta, usage: { output_tokens: outputTokens(reply) } }));
    events.push(event('message_stop', {}));
    return events;
  }

  protected answerHeaders(): Record<string, string> {
    return { 'request-id': `req_01${randomId(22)}` };
  }
}

/** Status → [error.type, default message], as the API documents its errors. */
const ERRORS: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'There was an issue with the format or content of your request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.'],
  500: ['api_error', 'Internal server error'],
  529: ['overloaded_error', 'Overloaded'],
};

function stopReason(reply: ScriptedReply): string {
  return reply.stopReason ?? (reply.toolCalls?.length ? 'tool_use' : 'end_turn');
}

function inputUsage(request: Record<string, unknown>, reply: ScriptedReply): Record<string, unknown> {
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const promptText = [
    contentText(request.system),
    ...messages.map((m: unknown) => (isRecord(m) ? contentText(m.content) : '')),
  ].join('\n');
  return {
    input_tokens: reply.inputTokens ?? estimateTokens(promptText) + 4,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: reply.cachedInputTokens ?? 0,
    service_tier: 'standard',
  };
}

function outputTokens(reply: ScriptedReply): number {
  return reply.outputTokens ?? estimateTokens(reply.text + (reply.toolCalls ?? []).map(argumentsText).join(''));
}

/** A tool call's input as the non-streaming API returns it: always an object. */
function parseInput(call: ScriptedToolCall): unknown {
  try {
    const value: unknown = JSON.parse(argumentsText(call));
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

function toolUseId(): string {
  return `toolu_01${randomId(22)}`;
}

/** One server-sent event; the data repeats the event name as its `type`, as the API does. */
function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function error(type: string, message: string): unknown {
  return { type: 'error', error: { type, message }, request_id: `req_01${randomId(22)}` };
}
