import { createParser } from 'eventsource-parser';
import type { CallEvent } from '../call-runtime/call-events.ts';
import { causeOf } from './webhooks.ts';

const EVENT_TYPES = new Set<string>(['started', 'state', 'turn', 'tool', 'ended']);

export type Subscription = { ok: true; close(): void } | { ok: false; status?: number; message: string };

/**
 * Subscribes to `GET /api/calls/events?call_sid=…` with the agent's API key: Server-Sent Events,
 * event name = CallEvent type, data = its JSON. Resolves once the server accepted the stream
 * (events then flow to `onEvent` until `close()`), or with ok:false and why not.
 */
export async function subscribeCallEvents(opts: {
  server: string;
  apiKey: string;
  callSid: string;
  onEvent: (event: CallEvent) => void;
  onProblem: (message: string) => void;
}): Promise<Subscription> {
  const url = new URL('/api/calls/events', opts.server);
  url.searchParams.set('call_sid', opts.callSid);
  const abort = new AbortController();
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${opts.apiKey}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
  } catch (err) {
    return { ok: false, message: `cannot reach ${url.origin}: ${causeOf(err)}` };
  }
  const type = res.headers.get('content-type') ?? '';
  if (res.ok && res.body && type.startsWith('text/event-stream')) {
    void pump(res.body, opts, abort.signal);
    return { ok: true, close: () => abort.abort() };
  }
  const body = (await res.text().catch(() => '')).trim();
  const what = res.ok ? ` (${type || 'no content type'}, not text/event-stream)` : '';
  return {
    ok: false,
    status: res.status,
    message: `GET ${url.pathname} → ${res.status}${what}: ${body || '(empty body)'}`,
  };
}

async function pump(
  body: ReadableStream<Uint8Array>,
  opts: { onEvent: (event: CallEvent) => void; onProblem: (message: string) => void },
  signal: AbortSignal,
): Promise<void> {
  const parser = createParser({
    onEvent: (message) => {
      if (!message.event || !EVENT_TYPES.has(message.event)) return;
      try {
        opts.onEvent({ ...(JSON.parse(message.data) as object), type: message.event } as CallEvent);
      } catch {
        opts.onProblem(`unparseable ${message.event} event: ${message.data.slice(0, 200)}`);
      }
    },
  });
  try {
    for await (const chunk of body.pipeThrough(new TextDecoderStream())) parser.feed(chunk);
  } catch (err) {
    if (!signal.aborted) opts.onProblem(`call event stream failed: ${causeOf(err)}`);
  }
}
