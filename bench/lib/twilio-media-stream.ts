/**
 * Twilio's side of a call, as the load generator plays it against the call server: the signed inbound-call
 * webhook (`POST /twilio/voice`) and its TwiML's stream parameters, the signed Media Streams WebSocket, the
 * messages Twilio sends on it (`connected`, `start`, `media` with the bench's `benchT` stamp, `mark`, `stop`),
 * and hanging up.
 */
import WebSocket from 'ws';
import { signTwilioRequest } from '../../src/integrations/twilio/twilio.ts';
import { FRAME_MS, INBOUND_FORM } from './shared.ts';

/** The call server as Twilio knows it. */
export interface CallServerTarget {
  /** http://127.0.0.1:port of the call server. */
  base: string;
  /** The server's PUBLIC_URL (what Twilio signs against). */
  publicUrl: string;
  authToken: string;
  lineNumber: string;
}

/** The `<Stream>` parameters of the TwiML answering a call. */
export interface StreamParameters {
  callToken: string;
  agentId: string | undefined;
}

/** Places calls at the call server: the webhook, then the media stream. */
export class TwilioDialer {
  private readonly wsUrl: string;
  private readonly wsSignature: string;

  constructor(private readonly target: CallServerTarget) {
    this.wsUrl = `${target.base.replace(/^http/, 'ws')}/twilio/media-stream`;
    this.wsSignature = signTwilioRequest(
      target.authToken,
      `${target.publicUrl.replace(/^http/, 'ws')}/twilio/media-stream`,
      {},
    );
  }

  /** The inbound-call webhook for `callSid`; throws unless it answers 200 with a callToken. */
  async ring(callSid: string): Promise<StreamParameters> {
    const { base, publicUrl, authToken, lineNumber } = this.target;
    const form = { ...INBOUND_FORM, CallSid: callSid, To: lineNumber, Called: lineNumber };
    const res = await fetch(`${base}/twilio/voice`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioRequest(authToken, `${publicUrl}/twilio/voice`, form),
      },
      body: new URLSearchParams(form).toString(),
    });
    const twiml = await res.text();
    const param = (name: string): string | undefined =>
      new RegExp(`<Parameter name="${name}" value="([^"]+)"`).exec(twiml)?.[1];
    const callToken = param('callToken');
    if (res.status !== 200 || !callToken) throw new Error(`voice webhook: HTTP ${res.status} ${twiml.slice(0, 200)}`);
    return { callToken, agentId: param('agentId') };
  }

  /** A media stream socket (signed upgrade), still connecting. */
  stream(): WebSocket {
    return new WebSocket(this.wsUrl, {
      headers: { 'x-twilio-signature': this.wsSignature },
      perMessageDeflate: false,
    });
  }
}

/** Resolves when `socket` is open; rejects on its first error. */
export function opened(socket: WebSocket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
}

export function connectedMessage(): string {
  return JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' });
}

export function startMessage(seq: number, streamSid: string, callSid: string, params: StreamParameters): string {
  const { callToken, agentId } = params;
  return JSON.stringify({
    event: 'start',
    sequenceNumber: String(seq),
    start: {
      streamSid,
      accountSid: INBOUND_FORM.AccountSid,
      callSid,
      tracks: ['inbound'],
      customParameters: { callToken, ...(agentId ? { agentId } : {}) },
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    },
    streamSid,
  });
}

/** One caller frame, stamped with `benchT`, the time it was written (built as text: the hot path). */
export function mediaMessage(seq: number, chunk: number, payload: string, streamSid: string, sentAt: number): string {
  return `{"event":"media","sequenceNumber":"${seq}","media":{"track":"inbound","chunk":"${chunk}","timestamp":"${(chunk - 1) * FRAME_MS}","payload":"${payload}"},"streamSid":"${streamSid}","benchT":${sentAt.toFixed(3)}}`;
}

/** The echo of the server's mark `name` once the audio before it has played. */
export function markMessage(seq: number, streamSid: string, name: string): string {
  return JSON.stringify({ event: 'mark', sequenceNumber: String(seq), streamSid, mark: { name } });
}

/** Hangs up: `stop`, then closes the socket (terminated if the server has not closed it within 5 s). */
export function hangUp(socket: WebSocket, seq: number, streamSid: string, callSid: string): Promise<void> {
  socket.send(
    JSON.stringify({
      event: 'stop',
      sequenceNumber: String(seq),
      streamSid,
      stop: { accountSid: INBOUND_FORM.AccountSid, callSid },
    }),
  );
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, 5_000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1000);
  });
}
