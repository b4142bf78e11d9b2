/**
 * The reference of `npm run bench:calls -- --pipeline bridge`: a BARE pass-through bridge on the same stack as
 * the app (Fastify 5, @fastify/formbody, @fastify/websocket, ws, twilio), with no logic, no session, no
 * database and nothing from src/, so that the machine's speed on the day can be read off it:
 *
 *   POST /twilio/voice        X-Twilio-Signature checked (twilio's validateRequest), then a literal TwiML
 *                             <Connect><Stream> with a `callToken` parameter (an HMAC of the CallSid, as the
 *                             load generator expects one; nobody checks it)
 *   WS /twilio/media-stream   the handshake's signature checked when present (as the app does); on `start`
 *                             one `ws` socket to the (fake) Realtime server; each Twilio `media` payload →
 *                             `{"type":"input_audio_buffer.append","audio":…}`; each
 *                             `response.output_audio.delta` → `{"event":"media","streamSid":…,"media":{"payload":…}}`
 *                             to Twilio. Nothing else: no session.update, no marks, no clear, no truncation.
 *                             Frames before the vendor socket is open are dropped (as the app's adapter does).
 */
import { createHmac } from 'node:crypto';
import formbody from '@fastify/formbody';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import twilio from 'twilio';
import WebSocket, { type RawData } from 'ws';

export interface BareBridgeOptions {
  /** Twilio auth token (signatures). */
  authToken: string;
  /** What Twilio signs against (PUBLIC_URL). */
  publicUrl: string;
  /** The Realtime endpoint (`?model=` is added) and its key. */
  realtime: { url: string; apiKey: string };
  /** Default 'gpt-realtime'. */
  model?: string;
}

export interface BareBridge {
  app: FastifyInstance;
  /** Media streams open now. */
  active(): number;
}

interface TwilioMessage {
  event?: string;
  media?: { payload?: string };
  start?: { streamSid?: string };
}

export async function buildBareBridge(opts: BareBridgeOptions): Promise<BareBridge> {
  const { authToken, publicUrl } = opts;
  const vendorUrl = `${opts.realtime.url}?model=${encodeURIComponent(opts.model ?? 'gpt-realtime')}`;
  const vendorHeaders = { Authorization: `Bearer ${opts.realtime.apiKey}` };
  const wsUrl = `${publicUrl.replace(/^http/, 'ws')}/twilio/media-stream`;
  let open = 0;

  const app = Fastify({ logger: false });
  await app.register(formbody);
  await app.register(websocket, { options: { maxPayload: 1 << 20 } });

  app.post('/twilio/voice', async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string>;
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || !twilio.validateRequest(authToken, signature, `${publicUrl}${req.url}`, form))
      return reply.status(403).send({ error: 'forbidden' });
    const callToken = createHmac('sha256', authToken)
      .update(form.CallSid ?? '')
      .digest('base64url');
    return reply
      .header('content-type', 'text/xml')
      .send(
        `<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="${wsUrl}"><Parameter name="callToken" value="${callToken}"/></Stream></Connect></Response>`,
      );
  });

  app.get('/twilio/media-stream', { websocket: true }, (socket, req) => {
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature === 'string' && !twilio.validateRequest(authToken, signature, wsUrl, {})) {
      socket.close(1008, 'invalid signature');
      return;
    }
    open++;
    let vendor: WebSocket | null = null;
    let streamSid = '';
    /** Twilio stopped the stream or closed the socket. */
    let ended = false;

    const closeVendor = (): void => {
      if (vendor?.readyState === WebSocket.OPEN) vendor.close(1000);
      else if (vendor?.readyState === WebSocket.CONNECTING) vendor.terminate();
    };

    socket.on('message', (data: RawData) => {
      let msg: TwilioMessage;
      try {
        msg = JSON.parse((data as Buffer).toString()) as TwilioMessage;
      } catch {
        return;
      }
      if (msg.event === 'media') {
        if (vendor?.readyState === WebSocket.OPEN && msg.media?.payload)
          vendor.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: msg.media.payload }));
      } else if (msg.event === 'start' && !vendor) {
        streamSid = msg.start?.streamSid ?? '';
        const v = new WebSocket(vendorUrl, { headers: vendorHeaders, perMessageDeflate: false });
        vendor = v;
        v.on('message', (raw: RawData) => {
          const event = JSON.parse((raw as Buffer).toString()) as { type?: string; delta?: string };
          if (event.type === 'response.output_audio.delta' && socket.readyState === WebSocket.OPEN)
            socket.send(JSON.stringify({ event: 'media', streamSid, media: { payload: event.delta } }));
        });
        v.on('error', () => undefined);
        // The vendor hung up on its own: so does the call.
        v.on('close', () => {
          if (!ended && socket.readyState === WebSocket.OPEN) socket.close(1011, 'vendor closed');
        });
      } else if (msg.event === 'stop') {
        ended = true;
        closeVendor();
      }
    });
    socket.on('close', () => {
      ended = true;
      open--;
      closeVendor();
    });
  });

  return { app, active: () => open };
}
