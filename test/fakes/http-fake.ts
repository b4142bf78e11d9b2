import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';

/**
 * The skeleton the vendor fakes in test/fakes share, so that each fake keeps only its vendor's routes, checks and
 * wire shapes: a node:http server on a free 127.0.0.1 port with close() (`HttpFake` for a fake class,
 * `listenOnFreePort` / `closeServer` for a fake built by a function), requests read whole (each fake records its
 * own shape of them), lenient JSON bodies, JSON answers, requests left hanging, WebSocket upgrades refused with a
 * JSON body, audio bodies paced like a vendor's, and callbacks POSTed to our server.
 */

export abstract class HttpFake {
  protected readonly server: Server;
  private readonly held = new Set<ServerResponse>();
  private listeningPort = 0;

  protected constructor() {
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((err: unknown) => this.serveFailed(res, err));
    });
  }

  /** `http://127.0.0.1:<port>`. */
  get origin(): string {
    return `http://127.0.0.1:${this.listeningPort}`;
  }

  /** Ends held requests and every connection, then stops listening. */
  async close(): Promise<void> {
    this.releaseHeld();
    await closeServer(this.server);
  }

  protected get port(): number {
    return this.listeningPort;
  }

  /** Listens on a free port of 127.0.0.1 (the fake's static `start()` calls it). */
  protected async listen(): Promise<void> {
    this.listeningPort = await listenOnFreePort(this.server);
  }

  /** Answers one request. */
  protected abstract serve(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** A request `serve` threw on: dropped, unless the vendor fake answers it its own way. */
  protected serveFailed(res: ServerResponse, _err: unknown): void {
    res.destroy();
  }

  /** Leaves a request unanswered until `releaseHeld()` or close(). */
  protected hold(res: ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  /** Drops every held request. */
  protected releaseHeld(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }
}

/** Listens on a free port of 127.0.0.1 and returns it. */
export async function listenOnFreePort(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Ends every connection and stops listening (a second close is not an error). */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** What every fake records of a request: the path without the query, the query, a copy of the headers, the body. */
export interface ReadRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** Reads a request whole. */
export async function readRequest(req: IncomingMessage): Promise<ReadRequest> {
  const rawBody = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { ...req.headers },
    rawBody,
  };
}

/** A request's body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parsed JSON, or null for an empty or non-JSON text. */
export function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A header as one string (first value of a repeated one). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A JSON answer, `application/json; charset=utf-8` (the REST vendors: Twilio, Vapi, DocuSeal). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** A JSON answer, `application/json` with a content-length (the model and speech vendors). */
export function sendSizedJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** Refuses a WebSocket upgrade with an HTTP status and a JSON body, and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(payload)}\r\nconnection: close\r\n\r\n${payload}`,
  );
}

/** Waits `ms`, or one turn of the event loop for 0 (so that other work interleaves). */
export async function pause(ms: number): Promise<void> {
  if (ms > 0) await sleep(ms);
  else await setImmediate();
}

/** How a fake paces the chunks of a body: the first after `firstByteMs`, the others `chunkIntervalMs` apart. */
export interface Pacing {
  firstByteMs: number;
  chunkIntervalMs: number;
}

/**
 * Yields the pieces, made after the first-byte wait, paced as `pacing` says at the time of each wait (a test may
 * change it mid-stream).
 */
export async function* paced(pieces: () => Buffer[], pacing: Pacing): AsyncGenerator<Buffer> {
  if (pacing.firstByteMs > 0) await sleep(pacing.firstByteMs);
  for (const [i, piece] of pieces().entries()) {
    if (i > 0) await pause(pacing.chunkIntervalMs);
    yield piece;
  }
}

/**
 * Streams `pieces` as the body of a 200 with these headers, paced; stops when the client goes (then the answer is
 * left unended, as a vendor's would be). `sent` counts each piece written.
 */
export async function streamBody(
  res: ServerResponse,
  headers: Record<string, string>,
  pieces: () => Buffer[],
  pacing: Pacing,
  sent: (piece: Buffer) => void,
): Promise<void> {
  let gone = false;
  res.on('close', () => (gone = true));
  res.writeHead(200, headers);
  res.flushHeaders();
  for await (const piece of paced(pieces, pacing)) {
    if (gone || res.destroyed) return;
    sent(piece);
    await new Promise((resolve) => res.write(piece, resolve));
  }
  res.end();
}

/** POSTs a callback to our server as a vendor does; the status our server answered, or null if unreachable. */
export async function postCallback(url: string, headers: Record<string, string>, body: string): Promise<number | null> {
  let status: number | null = null;
  try {
    const res = await fetch(url, { method: 'POST', headers, body });
    status = res.status;
    await res.arrayBuffer();
  } catch {
    // our server could not be reached: the status stays null
  }
  return status;
}
