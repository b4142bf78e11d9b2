import { EventEmitter } from 'node:events';
import type {
  RealtimeClientEvent,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import WebSocket, { type RawData } from 'ws';
import type { Logger } from '../../log.ts';
import { RealtimeError, readHandshakeRefusal, realtimeServerError } from './openai-realtime-error.ts';
import type { RealtimeConversationEvents } from './openai-realtime-events.ts';
import { fullRealtimeSession, type RealtimeSessionSettings } from './openai-realtime-session.ts';
import { closeRealtimeSocket, openRealtimeSocket, sendRealtimeEvent } from './openai-realtime-socket.ts';

/**
 * The socket side of a Realtime conversation: opens the WebSocket and configures the session (ready at the first
 * `session.updated`), numbers and sends client events, reads and parses server events, answers session updates,
 * turns a refused handshake, a lost socket or a server `error` into a `RealtimeError`, and emits `closed` once.
 * `RealtimeConversation` (openai-realtime.ts) runs the conversation on top of it.
 */

export const OPENAI_REALTIME_DEFAULT_URL = 'wss://api.openai.com/v1/realtime';
export const OPENAI_REALTIME_DEFAULT_MODEL = 'gpt-realtime';
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface RealtimeConversationOptions {
  apiKey: string;
  /** Endpoint. Default `wss://api.openai.com/v1/realtime`; `?model=` is added unless the URL has one. */
  url?: string;
  /** Default `gpt-realtime`. */
  model?: string;
  /** From opening the socket to the first `session.updated`. Default 10 000. */
  connectTimeoutMs?: number;
  log?: Pick<Logger, 'debug' | 'warn'>;
}

type ConnectionState = 'idle' | 'connecting' | 'open' | 'closed';

export abstract class RealtimeConnection extends EventEmitter<RealtimeConversationEvents> {
  protected state: ConnectionState = 'idle';
  private readonly url: string;
  private ws: WebSocket | null = null;
  private seq = 0;
  private sessionWaiters: { eventId: string; resolve: () => void; reject: (err: RealtimeError) => void }[] = [];
  private closedEmitted = false;
  private connectFailed: ((err: RealtimeError) => void) | null = null;

  constructor(protected readonly options: RealtimeConversationOptions) {
    super();
    if (!options.apiKey) throw new TypeError('RealtimeConversation: apiKey is required');
    const url = new URL(options.url ?? OPENAI_REALTIME_DEFAULT_URL);
    if (!url.searchParams.has('model')) url.searchParams.set('model', options.model ?? OPENAI_REALTIME_DEFAULT_MODEL);
    this.url = url.toString();
  }

  /** The socket is open and the session configured. */
  get connected(): boolean {
    return this.state === 'open';
  }

  /**
   * Opens the socket and configures the session; resolves at the first `session.updated`. Rejects with a
   * `RealtimeError` (kind `auth` for a refused key, `handshake`, `timeout`, `connection`, `server` for a
   * refused configuration) and closes the socket.
   */
  connect(settings: RealtimeSessionSettings): Promise<void> {
    if (this.state !== 'idle') return Promise.reject(new Error('RealtimeConversation: connect() called twice'));
    this.state = 'connecting';
    const ws = openRealtimeSocket(this.url, this.options.apiKey);
    this.ws = ws;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: RealtimeError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.off('closed', onClosedEarly);
        if (!err) {
          resolve();
          return;
        }
        reject(err);
        this.rejectSessionWaiters(err);
        this.state = 'closed';
        closeRealtimeSocket(ws, 'connect failed');
      };
      const timer = setTimeout(
        () => finish(new RealtimeError('Realtime session not ready in time', { kind: 'timeout' })),
        this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      );
      const onClosedEarly = ({ code, reason }: { code: number; reason: string }): void =>
        finish(
          new RealtimeError(`Realtime socket closed during connect (${code}${reason ? ` ${reason}` : ''})`, {
            kind: /invalid_api_key/.test(reason) ? 'auth' : 'connection',
            code: /invalid_api_key/.test(reason) ? 'invalid_api_key' : null,
          }),
        );
      this.on('closed', onClosedEarly);
      this.connectFailed = finish;

      ws.on('unexpected-response', (_req, res) => readHandshakeRefusal(res, finish));
      ws.on('open', () => {
        this.sendSessionUpdate(fullRealtimeSession(settings)).then(
          () => {
            if (settled) return;
            this.state = 'open';
            this.connectFailed = null;
            finish();
            this.opened();
          },
          (err: RealtimeError) => finish(err),
        );
      });
      ws.on('message', (data, isBinary) => this.receive(data, isBinary));
      ws.on('error', (err) => {
        if (this.state === 'closed') return;
        if (!settled) {
          finish(
            new RealtimeError(`Realtime connection failed: ${err.message}`, { kind: 'connection' }, { cause: err }),
          );
        } else {
          this.fail(new RealtimeError(`Realtime socket error: ${err.message}`, { kind: 'connection' }, { cause: err }));
        }
      });
      ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
    });
  }

  /** Ends the call's conversation; `closed` follows. Safe to call twice. */
  close(): void {
    const ws = this.ws;
    if (this.state === 'connecting') {
      this.connectFailed?.(new RealtimeError('Realtime conversation closed during connect', { kind: 'connection' }));
    }
    this.state = 'closed';
    if (ws) closeRealtimeSocket(ws, 'call ended');
    else this.onClose(1000, 'call ended');
  }

  // ---- for the conversation ----

  /** A server event other than `session.updated` and `error`. */
  protected abstract handle(event: RealtimeServerEvent): void;

  /** A server `error` after connect that may concern a response: true when the conversation dealt with it. */
  protected abstract responseError(err: RealtimeError): boolean;

  /** The session is configured: what waited for it can go out. */
  protected abstract opened(): void;

  /** The socket is gone: nothing is pending any more. */
  protected abstract reset(): void;

  /** Sends a `session.update`; resolves at its `session.updated`, rejects if the server refuses it. */
  protected sendSessionUpdate(session: RealtimeSessionCreateRequest): Promise<void> {
    if (this.state === 'closed' || this.state === 'idle' || !this.ws || this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RealtimeError('Realtime conversation is not connected', { kind: 'connection' }));
    }
    const eventId = this.eventId();
    return new Promise<void>((resolve, reject) => {
      this.sessionWaiters.push({ eventId, resolve, reject });
      this.send({ type: 'session.update', event_id: eventId, session });
    });
  }

  protected send(event: RealtimeClientEvent): void {
    sendRealtimeEvent(this.ws, event);
  }

  protected eventId(): string {
    return `evt_client_${++this.seq}`;
  }

  /** The `client_ref` of a response we create (same sequence as the event ids). */
  protected responseRef(): string {
    return `r${++this.seq}`;
  }

  /** The `error` event, if anyone listens (an unheard error is logged, never thrown). */
  protected fail(err: RealtimeError): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else this.options.log?.warn({ err }, 'realtime: unhandled error');
  }

  // ---- internals ----

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.options.log?.warn('realtime: unexpected binary frame');
      return;
    }
    if (this.state === 'closed') return;
    let event: RealtimeServerEvent;
    try {
      const parsed: unknown = JSON.parse(data.toString());
      if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { type?: unknown }).type !== 'string') {
        throw new TypeError('no event type');
      }
      event = parsed as RealtimeServerEvent;
    } catch (err) {
      this.fail(new RealtimeError('Realtime sent an unreadable event', { kind: 'protocol' }, { cause: err }));
      return;
    }
    try {
      if (event.type === 'session.updated') this.sessionWaiters.shift()?.resolve();
      else if (event.type === 'error') this.serverError(realtimeServerError(event.error));
      else this.handle(event);
    } catch (err) {
      this.fail(new RealtimeError(`Realtime event ${event.type} not handled`, { kind: 'protocol' }, { cause: err }));
    }
  }

  private serverError(err: RealtimeError): void {
    if (this.state === 'connecting') {
      this.connectFailed?.(err);
      return;
    }
    if (this.responseError(err)) return;
    const waiter = err.eventId ? this.sessionWaiters.findIndex((w) => w.eventId === err.eventId) : -1;
    if (waiter >= 0) {
      const [w] = this.sessionWaiters.splice(waiter, 1);
      w!.reject(err);
      return;
    }
    this.fail(err);
  }

  private onClose(code: number, reason: string): void {
    this.state = 'closed';
    this.reset();
    this.rejectSessionWaiters(new RealtimeError('Realtime socket closed', { kind: 'connection' }));
    if (this.closedEmitted) return;
    this.closedEmitted = true;
    this.emit('closed', { code, reason });
  }

  private rejectSessionWaiters(err: RealtimeError): void {
    const waiters = this.sessionWaiters;
    this.sessionWaiters = [];
    for (const w of waiters) w.reject(err);
  }
}
