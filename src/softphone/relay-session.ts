import WebSocket, { type RawData } from 'ws';
import { signTwilioRequest } from '../integrations/twilio/twilio.ts';
import { causeOf } from './webhooks.ts';

/** The `setup` message Twilio sends first on a ConversationRelay socket. */
export interface SetupMessage {
  type: 'setup';
  sessionId: string;
  accountSid: string;
  callSid: string;
  parentCallSid: string;
  from: string;
  to: string;
  forwardedFrom: string;
  callerName: string;
  direction: 'inbound';
  callType: 'PSTN';
  callStatus: 'RINGING';
  customParameters: Record<string, string>;
}

/** What the softphone (playing Twilio) sends after `setup`. */
export type CallerMessage =
  | { type: 'prompt'; voicePrompt: string; lang: string; last: boolean }
  | { type: 'dtmf'; digit: string }
  | { type: 'interrupt'; utteranceUntilInterrupt: string; durationUntilInterruptMs: number };

/** How a relay session ended. */
export type RelayEnd =
  /** The server sent `end` (handoffData goes to the `<Connect action>` URL). */
  | { kind: 'end'; handoffData?: string }
  /** The server closed the socket without `end`. */
  | { kind: 'closed'; code: number; reason: string }
  /** Close code 1008, or an HTTP error instead of the WebSocket upgrade. */
  | { kind: 'refused'; code?: number; status?: number; reason: string }
  /** No connection, or the socket broke. */
  | { kind: 'failed'; reason: string }
  | { kind: 'caller-hangup' };

export function describeRelayEnd(end: RelayEnd): string {
  switch (end.kind) {
    case 'end':
      return `the agent ended the session${end.handoffData ? ` (handoffData ${end.handoffData})` : ''}`;
    case 'closed':
      return `the server closed the socket without 'end' (${end.code}${end.reason ? `: ${end.reason}` : ''})`;
    case 'refused':
      return end.status !== undefined
        ? `the server refused the WebSocket (HTTP ${end.status}: ${end.reason || 'no body'})`
        : `the server refused the session (close ${end.code}${end.reason ? `: ${end.reason}` : ''})`;
    case 'failed':
      return `the relay connection failed: ${end.reason}`;
    case 'caller-hangup':
      return 'the caller hung up';
  }
}

export interface RelayHandlers {
  /** The socket is open and `setup` was sent. */
  onOpen(): void;
  /** A complete agent reply (tokens up to `last:true`), or what had arrived when the session ended. */
  onReply(text: string, cutShort: boolean): void;
  onDigits(digits: string): void;
  onInfo(text: string): void;
  onProblem(text: string): void;
}

/**
 * One ConversationRelay WebSocket session, played from Twilio's side: connects to `connectUrl`
 * with X-Twilio-Signature computed over `url` (the URL as given in the TwiML) and params {},
 * sends `setup`, assembles `text` tokens into replies and watches for `end` or a close.
 */
export class RelaySession {
  /** Resolves exactly once, however the session ends. */
  readonly ended: Promise<RelayEnd>;
  private resolveEnded!: (end: RelayEnd) => void;
  private outcome: RelayEnd | undefined;
  private readonly ws: WebSocket;
  private pending = '';

  constructor(
    opts: { url: string; connectUrl: string; authToken: string; setup: SetupMessage },
    private readonly handlers: RelayHandlers,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.ws = new WebSocket(opts.connectUrl, {
      headers: { 'x-twilio-signature': signTwilioRequest(opts.authToken, opts.url, {}) },
      handshakeTimeout: 15_000,
    });
    this.ws.on('open', () => {
      this.ws.send(JSON.stringify(opts.setup));
      handlers.onOpen();
    });
    this.ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        this.finish({ kind: 'refused', status: res.statusCode ?? 0, reason: body.trim() || (res.statusMessage ?? '') });
        this.ws.terminate();
      });
    });
    this.ws.on('error', (err) => this.finish({ kind: 'failed', reason: causeOf(err) }));
    this.ws.on('close', (code, reason) => {
      const text = reason.toString();
      this.finish(code === 1008 ? { kind: 'refused', code, reason: text } : { kind: 'closed', code, reason: text });
    });
  }

  get isOpen(): boolean {
    return !this.outcome && this.ws.readyState === WebSocket.OPEN;
  }

  get isEnded(): boolean {
    return this.outcome !== undefined;
  }

  /** How the session ended, once it has. */
  get end(): RelayEnd | undefined {
    return this.outcome;
  }

  /** Tokens of a reply still being streamed. */
  get partialReply(): string {
    return this.pending;
  }

  /** Sends a caller message; throws when the session is not open. */
  send(message: CallerMessage): void {
    if (!this.isOpen) throw new Error('the relay session is not open');
    this.ws.send(JSON.stringify(message));
  }

  /** The caller hangs up: the socket is closed normally. */
  hangup(): void {
    this.finish({ kind: 'caller-hangup' });
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else this.ws.close(1000, 'caller hung up');
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.outcome) return;
    let msg: Record<string, unknown>;
    try {
      if (isBinary) throw new Error('binary frame');
      msg = JSON.parse(rawText(data)) as Record<string, unknown>;
    } catch {
      this.handlers.onProblem(`unparseable relay message: ${rawText(data).slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'text':
        if (typeof msg.token !== 'string') {
          this.handlers.onProblem(`'text' message without a string token: ${JSON.stringify(msg)}`);
          return;
        }
        this.pending += msg.token;
        if (msg.last === true) this.flush(false);
        return;
      case 'sendDigits':
        this.handlers.onDigits(String(msg.digits ?? ''));
        return;
      case 'end': {
        const data = msg.handoffData;
        if (data !== undefined && typeof data !== 'string') {
          this.handlers.onProblem(`'end' handoffData must be a string (Twilio passes it on as is), got ${typeof data}`);
        }
        this.finish({ kind: 'end', ...(data !== undefined ? { handoffData: stringify(data) } : {}) });
        this.ws.close(1000);
        return;
      }
      case 'play':
        this.handlers.onInfo(`the agent plays ${String(msg.source)}`);
        return;
      case 'language':
        this.handlers.onInfo(`language → tts ${String(msg.ttsLanguage)}, stt ${String(msg.transcriptionLanguage)}`);
        return;
      default:
        this.handlers.onProblem(`unknown relay message type ${JSON.stringify(msg.type)}`);
    }
  }

  private flush(cutShort: boolean): void {
    const text = this.pending.trim();
    this.pending = '';
    if (text) this.handlers.onReply(text, cutShort);
  }

  private finish(end: RelayEnd): void {
    if (this.outcome) return;
    this.flush(true);
    this.outcome = end;
    this.resolveEnded(end);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
