import WebSocket from 'ws';

/**
 * The OpenAI Realtime WebSocket itself, shared by the conversation (`openai-realtime.ts`) and the transcription
 * session (`openai-realtime-stt.ts`): opening it with the API key, writing a client event, closing it.
 */

/** Opens a Realtime socket: `Authorization: Bearer <key>` (GA: no `OpenAI-Beta` header), no compression. */
export function openRealtimeSocket(url: string, apiKey: string, handshakeTimeoutMs?: number): WebSocket {
  return new WebSocket(url, {
    headers: { Authorization: `Bearer ${apiKey}` },
    ...(handshakeTimeoutMs === undefined ? {} : { handshakeTimeout: handshakeTimeoutMs }),
    perMessageDeflate: false,
  });
}

/** Writes one client event as JSON; dropped unless the socket is open. */
export function sendRealtimeEvent(ws: WebSocket | null, event: object): void {
  if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
}

/** Closes an open socket normally (1000, `reason`) or aborts one still connecting; a closed one is left alone. */
export function closeRealtimeSocket(ws: WebSocket, reason: string): void {
  if (ws.readyState === WebSocket.OPEN) ws.close(1000, reason);
  else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
}
