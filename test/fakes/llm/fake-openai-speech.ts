import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake, parseJson, readBody, sendSizedJson, streamBody } from '../http-fake.ts';

/**
 * A fake OpenAI speech endpoint on 127.0.0.1 (random port): `POST /v1/audio/speech` with `Authorization: Bearer`,
 * JSON {model, input, voice, response_format, instructions?, speed?}. For `response_format: 'pcm'` it streams raw
 * 24 kHz 16-bit little-endian mono PCM (chunked, `chunkBytes` a piece, the first `firstByteMs` after the request),
 * as the real API does; other formats get a 400 here (the adapter only asks for pcm). The audio is `signal(input)`
 * (default: a 440 Hz tone, `msPerChar` per character). Errors have OpenAI's shape
 * `{error:{message, type, param, code}}`: 401 `invalid_api_key` for a bad key, 400 for a missing field, and
 * whatever `failNext` plans. Configure the adapter with `baseUrl: fake.url`.
 */

export interface FakeOpenAiSpeechOptions {
  apiKey?: string;
  /** Spoken length per character. Default 70 ms. */
  msPerChar?: number;
  /** Bytes per body chunk; odd sizes split samples across chunks. Default 4801. */
  chunkBytes?: number;
  firstByteMs?: number;
  chunkIntervalMs?: number;
}

export interface RecordedSpeechRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
  /** PCM bytes sent. */
  audioBytes: number;
}

interface PlannedFailure {
  status: number;
  code?: string | null;
  type?: string;
  message?: string;
}

export const PCM_RATE = 24_000;

/** `ms` milliseconds of a sine at `hz`, 24 kHz 16-bit samples, peak `amplitude` (of 32767). */
export function pcmTone(ms: number, hz: number, amplitude = 16_000): Int16Array {
  const samples = new Int16Array(Math.round((ms * PCM_RATE) / 1000));
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / PCM_RATE));
  return samples;
}

export class FakeOpenAiSpeechServer extends HttpFake {
  readonly apiKey: string;
  msPerChar: number;
  chunkBytes: number;
  firstByteMs: number;
  chunkIntervalMs: number;
  /** The PCM spoken for an input; replace it to test the conversion with chosen signals. */
  signal: (input: string) => Int16Array;
  readonly requests: RecordedSpeechRequest[] = [];
  private planned: PlannedFailure[] = [];

  private constructor(options: FakeOpenAiSpeechOptions) {
    super();
    this.apiKey = options.apiKey ?? `sk-test-${randomBytes(12).toString('hex')}`;
    this.msPerChar = options.msPerChar ?? 70;
    this.chunkBytes = options.chunkBytes ?? 4_801;
    this.firstByteMs = options.firstByteMs ?? 0;
    this.chunkIntervalMs = options.chunkIntervalMs ?? 0;
    this.signal = (input) => pcmTone(this.durationMs(input), 440);
  }

  static async start(options: FakeOpenAiSpeechOptions = {}): Promise<FakeOpenAiSpeechServer> {
    const fake = new FakeOpenAiSpeechServer(options);
    await fake.listen();
    return fake;
  }

  /** The adapter's baseUrl (with `/v1`, as the SDK expects). */
  get url(): string {
    return `${this.origin}/v1`;
  }

  durationMs(input: string): number {
    return Math.max(1, input.trim().length) * this.msPerChar;
  }

  /** PCM samples the fake sends for `input`. */
  samplesFor(input: string): number {
    return this.signal(input).length;
  }

  /** The next `times` requests get this error. */
  failNext(status: number, failure: Omit<PlannedFailure, 'status'> & { times?: number } = {}): this {
    for (let i = 0; i < (failure.times ?? 1); i++) this.planned.push({ status, ...failure });
    return this;
  }

  protected async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const headers = req.headers;
    const body = parseJson(await readBody(req));
    const path = (req.url ?? '/').split('?')[0]!;
    const record: RecordedSpeechRequest = { path, headers, body, status: 0, audioBytes: 0 };
    this.requests.push(record);
    const fail = (status: number, message: string, type: string, code: string | null, param: string | null = null) => {
      record.status = status;
      const requestId = `req_${randomBytes(8).toString('hex')}`;
      sendSizedJson(res, status, { error: { message, type, param, code } }, { 'x-request-id': requestId });
    };
    if (method !== 'POST' || record.path !== '/v1/audio/speech') {
      return fail(404, `Invalid URL (${method} ${record.path})`, 'invalid_request_error', null);
    }
    const planned = this.planned.shift();
    if (planned) {
      const defaults: Record<number, [string, string, string | null]> = {
        401: ['Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'],
        429: [
          'You exceeded your current quota, please check your plan and billing details.',
          'insufficient_quota',
          'insufficient_quota',
        ],
      };
      const [message, type, code] = defaults[planned.status] ?? [
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
        null,
      ];
      return fail(planned.status, planned.message ?? message, planned.type ?? type, planned.code ?? code);
    }
    if (headers.authorization !== `Bearer ${this.apiKey}`) {
      return fail(401, 'Incorrect API key provided: sk-wr*****ong.', 'invalid_request_error', 'invalid_api_key');
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    for (const field of ['model', 'input', 'voice']) {
      if (typeof b[field] !== 'string' || !b[field]) {
        return fail(
          400,
          `Missing required parameter: '${field}'.`,
          'invalid_request_error',
          'missing_required_parameter',
          field,
        );
      }
    }
    if (b.response_format !== 'pcm') {
      return fail(
        400,
        `fake: only response_format "pcm" is produced`,
        'invalid_request_error',
        null,
        'response_format',
      );
    }

    const samples = this.signal(b.input as string);
    const pcm = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    record.status = 200;
    const pieces = (): Buffer[] => {
      const out: Buffer[] = [];
      for (let offset = 0; offset < pcm.length; offset += this.chunkBytes) {
        out.push(pcm.subarray(offset, offset + this.chunkBytes));
      }
      return out;
    };
    const audioHeaders = { 'content-type': 'audio/pcm', 'x-request-id': `req_${randomBytes(8).toString('hex')}` };
    await streamBody(res, audioHeaders, pieces, this, (piece) => (record.audioBytes += piece.length));
  }
}
