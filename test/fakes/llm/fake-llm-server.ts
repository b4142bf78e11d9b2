import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake, isRecord, parseJson, readBody, sendSizedJson } from '../http-fake.ts';

export { header, isRecord } from '../http-fake.ts';

/**
 * Shared machinery of the fake LLM vendors (FakeOpenAiServer, FakeAnthropicServer): a node:http server on
 * 127.0.0.1 with a random port, request recording, replies scripted by a substring of the prompt, and failure
 * injection (error statuses, hangs). Each vendor subclass supplies its routes, auth, validation and the real
 * response and error shapes, streamed (server-sent events, for a body with `stream: true`) or not.
 *
 * Per request, in this order: record it; consume a planned failure or hang, if any; the vendor's checks (route,
 * auth, body); the first script whose pattern matches the prompt; else `defaultReply`; else a 400 naming the
 * unscripted prompt (400 is not retried, so an unexpected prompt fails a test at once).
 *
 * A streamed reply sends the text in pieces (`textChunks`, default word by word), then the tool calls with their
 * arguments in pieces, then the vendor's end events, `chunkDelayMs` apart; a client that closes the connection
 * stops it (outcome `aborted`).
 */

export interface RecordedLlmRequest {
  method: string;
  /** Path without the query. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON, or null for an empty or non-JSON body. */
  body: unknown;
  /** The user prompt the vendor subclass found in the body (last user message), or null. */
  prompt: string | null;
  /** The body asked for a streamed answer (`stream: true`). */
  stream: boolean;
  /** What the fake did with it; `aborted` is a streamed reply the client closed before its end. */
  outcome: 'reply' | 'failure' | 'hang' | 'rejected' | 'aborted';
  /** The HTTP status sent, or null for a hang. */
  status: number | null;
}

export interface ScriptedReply {
  text: string;
  /** The model to report; default the requested model. */
  model?: string;
  /** Default: about a quarter of the characters of all messages. */
  inputTokens?: number;
  /** Default: about a quarter of the characters of `text`. */
  outputTokens?: number;
  /**
   * Prompt tokens served from the prompt cache. OpenAI counts them inside `prompt_tokens` (and reports them in
   * `prompt_tokens_details.cached_tokens`); Anthropic reports them apart, as `cache_read_input_tokens`. Default 0.
   */
  cachedInputTokens?: number;
  /** Vendor finish/stop reason; default `stop` (OpenAI) / `end_turn` (Anthropic). */
  stopReason?: string;
  /** Answer only after this many milliseconds. */
  delayMs?: number;
  /** Tool calls the model makes after its text; the stop reason then defaults to `tool_calls` / `tool_use`. */
  toolCalls?: ScriptedToolCall[];
  /** Streaming only: the pieces `text` is sent in (default: word by word, each with its trailing space). */
  textChunks?: string[];
  /** Streaming only: pause between two events. Default 0. */
  chunkDelayMs?: number;
  /**
   * Streaming only: after the text, end the stream here instead of finishing it, with the vendor's in-stream error
   * event of this `type` (e.g. `overloaded_error`, `server_error`), or by dropping the connection (`'drop'`).
   */
  breakStream?: { type: string; message?: string } | 'drop';
}

export interface ScriptedToolCall {
  /** Default: a fresh vendor-style id. */
  id?: string;
  name: string;
  /**
   * The arguments: an object (serialized), JSON text, or the exact pieces of the JSON text to stream (which need
   * not parse). Streamed text is cut into pieces of 8 characters.
   */
  arguments: Record<string, unknown> | string | string[];
}

export interface InjectedFailure {
  status: number;
  /** Default: the vendor's error body for the status. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Sent as `retry-after-ms` (honoured by both SDKs), so retries in tests do not sit through the SDKs' default
   * 0.5–8 s backoff. Default 1; null sends no retry header.
   */
  retryAfterMs?: number | null;
}

export interface FakeLlmServerOptions {
  apiKey?: string;
  /** Answer for prompts no script matches; without it such a prompt gets a 400. */
  defaultReply?: ScriptedReply | string;
  /** When set, any other requested model gets the vendor's 404. */
  knownModels?: string[];
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Script {
  match: string | RegExp;
  reply: ScriptedReply;
  /** Remaining uses; Infinity for a standing script. */
  remaining: number;
}

type Planned = { kind: 'fail'; failure: InjectedFailure } | { kind: 'hang' };

export abstract class FakeLlmServer extends HttpFake {
  readonly apiKey: string;
  /** Every request in arrival order, failed, hung and rejected ones included. */
  readonly requests: RecordedLlmRequest[] = [];
  protected readonly knownModels: Set<string> | null;

  private scripts: Script[] = [];
  private planned: Planned[] = [];
  private defaultReply: ScriptedReply | null;
  private readonly initialDefaultReply: ScriptedReply | null;

  protected constructor(options: FakeLlmServerOptions, keyPrefix: string) {
    super();
    this.apiKey = options.apiKey ?? `${keyPrefix}${randomBytes(12).toString('hex')}`;
    this.initialDefaultReply = options.defaultReply === undefined ? null : toReply(options.defaultReply);
    this.defaultReply = this.initialDefaultReply;
    this.knownModels = options.knownModels ? new Set(options.knownModels) : null;
  }

  /** What to configure as the adapter's baseUrl. */
  abstract get url(): string;

  /** Answer prompts containing `match` (or matching the RegExp) with `reply`, `times` times (default: always). */
  script(match: string | RegExp, reply: ScriptedReply | string, times = Infinity): this {
    this.scripts.push({ match, reply: toReply(reply), remaining: times });
    return this;
  }

  setDefaultReply(reply: ScriptedReply | string | null): this {
    this.defaultReply = reply === null ? null : toReply(reply);
    return this;
  }

  /** The next `times` requests get this error status (before any auth or body check). */
  failNext(status: number, options: Omit<InjectedFailure, 'status'> & { times?: number } = {}): this {
    const { times = 1, ...rest } = options;
    for (let i = 0; i < times; i++) this.planned.push({ kind: 'fail', failure: { status, ...rest } });
    return this;
  }

  /** The next `times` requests are read and never answered (until close or reset). */
  hangNext(times = 1): this {
    for (let i = 0; i < times; i++) this.planned.push({ kind: 'hang' });
    return this;
  }

  /** Drops recordings, scripts and planned failures; ends hung requests. */
  reset(): void {
    this.requests.length = 0;
    this.scripts = [];
    this.planned = [];
    this.defaultReply = this.initialDefaultReply;
    this.releaseHeld();
  }

  get lastRequest(): RecordedLlmRequest | undefined {
    return this.requests.at(-1);
  }

  // ---- vendor hooks ----

  /** The vendor's answer for a wrong route, bad auth or bad body; null to go on. */
  protected abstract check(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: unknown,
  ): HttpAnswer | null;
  /** The last user prompt in a (checked) body. */
  protected abstract promptOf(body: unknown): string | null;
  /** The vendor's error body for a status. */
  protected abstract errorBody(status: number, message?: string): unknown;
  /** The vendor's success body. */
  protected abstract successBody(body: unknown, reply: ScriptedReply): unknown;
  /**
   * The vendor's server-sent events for a streamed success, each a complete frame (`event: …\ndata: …\n\n`). With
   * `breakStream`, the events up to and including the break (the connection drop is the base class's).
   */
  protected abstract streamEvents(body: unknown, reply: ScriptedReply): string[];
  /** Headers every answer carries (request ids). */
  protected abstract answerHeaders(): Record<string, string>;

  // ---- plumbing ----

  protected async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const body = parseJson(rawBody);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const prompt = this.promptOf(body);
    const stream = isRecord(body) && body.stream === true;
    const record: RecordedLlmRequest = {
      method,
      path,
      headers: req.headers,
      rawBody,
      body,
      prompt,
      stream,
      outcome: 'reply',
      status: null,
    };
    this.requests.push(record);

    const planned = this.planned.shift();
    if (planned?.kind === 'hang') {
      record.outcome = 'hang';
      this.hold(res);
      return;
    }
    if (planned?.kind === 'fail') {
      const { status, body: failBody, headers = {}, retryAfterMs = 1 } = planned.failure;
      record.outcome = 'failure';
      this.send(res, record, {
        status,
        body: failBody ?? this.errorBody(status),
        headers: { ...(retryAfterMs === null ? {} : { 'retry-after-ms': String(retryAfterMs) }), ...headers },
      });
      return;
    }

    const rejected = this.check(method, path, req.headers, body);
    if (rejected) {
      record.outcome = 'rejected';
      this.send(res, record, rejected);
      return;
    }

    const reply = this.pick(prompt ?? '');
    if (!reply) {
      record.outcome = 'rejected';
      this.send(res, record, {
        status: 400,
        body: this.errorBody(400, `fake: no scripted reply for prompt ${JSON.stringify((prompt ?? '').slice(0, 200))}`),
      });
      return;
    }
    if (reply.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed) return;
    }
    if (stream) await this.sendStream(res, record, reply, this.streamEvents(body, reply));
    else this.send(res, record, { status: 200, body: this.successBody(body, reply) });
  }

  private pick(prompt: string): ScriptedReply | null {
    for (const script of this.scripts) {
      if (script.remaining <= 0) continue;
      const hit = typeof script.match === 'string' ? prompt.includes(script.match) : script.match.test(prompt);
      if (!hit) continue;
      script.remaining--;
      return script.reply;
    }
    return this.defaultReply;
  }

  private send(res: ServerResponse, record: RecordedLlmRequest, answer: HttpAnswer): void {
    record.status = answer.status;
    sendSizedJson(res, answer.status, answer.body, { ...this.answerHeaders(), ...answer.headers });
  }

  private async sendStream(
    res: ServerResponse,
    record: RecordedLlmRequest,
    reply: ScriptedReply,
    events: string[],
  ): Promise<void> {
    record.status = 200;
    let closed = false;
    res.on('close', () => (closed = true));
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...this.answerHeaders(),
    });
    for (const [i, event] of events.entries()) {
      if (i > 0 && reply.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs));
      if (closed || res.destroyed) {
        record.outcome = 'aborted';
        return;
      }
      // Flushed one by one, so that a dropped connection loses nothing written before the drop.
      await new Promise((resolve) => res.write(event, resolve));
    }
    if (reply.breakStream === 'drop') res.destroy();
    else res.end();
  }
}

function toReply(reply: ScriptedReply | string): ScriptedReply {
  return typeof reply === 'string' ? { text: reply } : reply;
}

/** The pieces a streamed reply's text is sent in. */
export function textPieces(reply: ScriptedReply): string[] {
  return reply.textChunks ?? reply.text.match(/\s*\S+\s*/g) ?? (reply.text ? [reply.text] : []);
}

/** A scripted tool call's arguments as JSON text. */
export function argumentsText(call: ScriptedToolCall): string {
  const args = call.arguments;
  return typeof args === 'string' ? args : Array.isArray(args) ? args.join('') : JSON.stringify(args);
}

/** The pieces a scripted tool call's arguments are streamed in. */
export function argumentPieces(call: ScriptedToolCall): string[] {
  if (Array.isArray(call.arguments)) return call.arguments;
  return argumentsText(call).match(/[\s\S]{1,8}/g) ?? [];
}

/** A rough token count (≈ 4 characters a token), enough for plausible usage figures. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function randomId(length = 24): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

/** Text of a message `content` that is a string or an array of `{type:'text', text}` parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  }
  return '';
}
