import { TextToSpeechError } from '../../call-runtime/speech.port.ts';
import { connectionError, firstByteTimeout, httpStatusError } from './errors.ts';
import type { ElevenLabsVoiceSettings } from './multi-stream-connection.ts';

export interface HttpStreamRequest {
  /** API root, e.g. `https://api.elevenlabs.io`. */
  baseUrl: string;
  apiKey: string;
  voiceId: string;
  modelId: string;
  voiceSettings?: ElevenLabsVoiceSettings;
  firstByteTimeoutMs: number;
}

/**
 * `POST {base}/v1/text-to-speech/{voice}/stream?output_format=ulaw_8000` with `xi-api-key`, JSON
 * `{text, model_id, voice_settings?}`: the response body's chunks as they arrive (raw 8 kHz μ-law). The deadline
 * covers the request and the first audio byte; aborting `signal` cancels the request and throws its reason.
 */
export async function* streamOverHttp(
  req: HttpStreamRequest,
  text: string,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  signal.throwIfAborted();
  const url = `${req.baseUrl.replace(/\/+$/, '')}/v1/text-to-speech/${encodeURIComponent(req.voiceId)}/stream?output_format=ulaw_8000`;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(firstByteTimeout('http stream', req.firstByteTimeoutMs));
  }, req.firstByteTimeoutMs);
  const failure = (err: unknown): unknown => {
    if (signal.aborted) return signal.reason;
    if (timedOut) return firstByteTimeout('http stream', req.firstByteTimeoutMs);
    if (err instanceof TextToSpeechError) return err;
    return connectionError('http stream', err instanceof TypeError && err.cause ? err.cause : err);
  };
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'xi-api-key': req.apiKey, 'content-type': 'application/json', accept: 'audio/basic' },
        body: JSON.stringify({
          text,
          model_id: req.modelId,
          ...(req.voiceSettings ? { voice_settings: req.voiceSettings } : {}),
        }),
        signal: controller.signal,
      });
    } catch (err) {
      throw failure(err);
    }
    if (!res.ok) {
      let body = '';
      try {
        body = await res.text();
      } catch (err) {
        throw failure(err);
      }
      throw httpStatusError(res.status, body, 'http stream');
    }
    if (!res.body) return;
    const reader = res.body.getReader();
    try {
      for (;;) {
        let step: Awaited<ReturnType<typeof reader.read>>;
        try {
          step = await reader.read();
        } catch (err) {
          throw failure(err);
        }
        if (step.done) return;
        if (step.value.length === 0) continue;
        clearTimeout(timer);
        yield Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
      }
    } finally {
      // An early stop (abort, the consumer breaking off) must not leave the response streaming.
      reader.cancel().catch(() => undefined);
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
