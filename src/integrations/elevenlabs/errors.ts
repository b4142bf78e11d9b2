import { TextToSpeechError, type TextToSpeechErrorKind } from '../../call-runtime/speech.port.ts';

export const VENDOR = 'elevenlabs';

const MAX_DETAIL = 300;

function clip(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The vendor's message and code in an ElevenLabs error body. Seen shapes:
 * `{detail:{status:'invalid_api_key', message:'…'}}`, `{detail:{type, code, message, status}}`,
 * `{detail:'…'}` (plain text) and, on the WebSocket, `{message:'…', error:'…', code}`.
 */
export function vendorErrorInfo(body: unknown): { message: string | null; code: string | null } {
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (!trimmed) return { message: null, code: null };
    try {
      return vendorErrorInfo(JSON.parse(trimmed));
    } catch {
      return { message: clip(trimmed), code: null };
    }
  }
  if (!isRecord(body)) return { message: null, code: null };
  const detail = body.detail;
  if (typeof detail === 'string') return { message: clip(detail), code: null };
  const source = isRecord(detail) ? detail : body;
  const message = typeof source.message === 'string' ? clip(source.message) : null;
  const code =
    [source.status, source.code, source.error, source.type].find(
      (v): v is string => typeof v === 'string' && v.length > 0,
    ) ?? null;
  return { message, code };
}

function kindFor(status: number | null, code: string | null, message: string | null): TextToSpeechErrorKind {
  const text = `${code ?? ''} ${message ?? ''}`;
  if (/quota|credits|too_many_concurrent|rate.?limit/i.test(text) || status === 429) return 'quota';
  if (status === 401 || status === 403 || /api.?key|unauthori[sz]ed|authenticat/i.test(text)) return 'auth';
  return status === null ? 'protocol' : 'http';
}

/** An HTTP error answer (REST call or refused WebSocket handshake) as a TextToSpeechError. */
export function httpStatusError(status: number, body: unknown, where: string): TextToSpeechError {
  const { message, code } = vendorErrorInfo(body);
  const kind = kindFor(status, code, message);
  return new TextToSpeechError({
    vendor: VENDOR,
    kind,
    status,
    code,
    // Credits run out stay out; a concurrency/rate limit (429) passes.
    retryable: code === 'quota_exceeded' ? false : undefined,
    message: `${where}: HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
  });
}

/** An error message the server sent on the multi-stream WebSocket. */
export function wsMessageError(msg: Record<string, unknown>): TextToSpeechError {
  const { message, code } = vendorErrorInfo(msg);
  const kind = kindFor(null, code, message);
  return new TextToSpeechError({
    vendor: VENDOR,
    kind,
    code,
    retryable: kind === 'auth' || code === 'quota_exceeded' ? false : undefined,
    message: `websocket error${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
  });
}

/** The WebSocket closed under open contexts. Policy closes (1008) carry the vendor's reason: often the key. */
export function wsCloseError(code: number, reason: string, earlier: TextToSpeechError | null): TextToSpeechError {
  if (earlier) return earlier;
  const kind = code === 1008 ? kindFor(null, null, reason) : 'connection';
  return new TextToSpeechError({
    vendor: VENDOR,
    kind: kind === 'protocol' ? 'connection' : kind,
    status: code,
    retryable: kind !== 'auth',
    message: `websocket closed (${code}${reason ? ` ${clip(reason)}` : ''})`,
  });
}

export function connectionError(what: string, cause: unknown): TextToSpeechError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const timeout = /timed out|timeout/i.test(detail);
  return new TextToSpeechError({
    vendor: VENDOR,
    kind: timeout ? 'timeout' : 'connection',
    message: `${what}: ${clip(detail)}`,
    cause,
  });
}

export function firstByteTimeout(where: string, ms: number): TextToSpeechError {
  return new TextToSpeechError({ vendor: VENDOR, kind: 'timeout', message: `${where}: no audio within ${ms} ms` });
}
