import { vi } from 'vitest';

export interface MockRoute {
  method?: string;
  /** Exact path with query, or a RegExp on it. */
  path: string | RegExp;
  status?: number;
  body?: unknown;
  /** Computes the response from the request body. */
  respond?: (body: unknown, url: string) => { status?: number; body?: unknown };
}

export interface FetchCall {
  method: string;
  url: string;
  body: unknown;
}

/**
 * Replaces global fetch with a table of canned API responses (unmatched requests fail the test with a 599),
 * and records every request so a test can assert what the page sent.
 */
export function mockApi(routes: MockRoute[]): FetchCall[] {
  const calls: FetchCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.pathname + input.search : input.url;
      const method = (init?.method ?? 'GET').toUpperCase();
      const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
      calls.push({ method, url, body });
      const route = routes.find(
        (r) =>
          (r.method ?? 'GET').toUpperCase() === method &&
          (typeof r.path === 'string' ? r.path === url : r.path.test(url)),
      );
      if (!route)
        return new Response(JSON.stringify({ error: 'unmocked', message: `${method} ${url} is not mocked` }), {
          status: 599,
        });
      const out = route.respond ? route.respond(body, url) : { status: route.status, body: route.body };
      const status = out.status ?? 200;
      return new Response(status === 204 ? null : JSON.stringify(out.body ?? {}), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return calls;
}

/** A stand-in EventSource the test drives: `FakeEventSource.last.emit('turn', {...})`. */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  static get last(): FakeEventSource {
    const s = FakeEventSource.instances.at(-1);
    if (!s) throw new Error('no EventSource opened');
    return s;
  }
  static readonly CLOSED = 2;
  /** 1 open; set 2 (closed) before `onerror` to act out a refused reconnect. */
  readyState = 1;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, fn: (e: MessageEvent<string>) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  emit(name: string, data: unknown): void {
    for (const fn of this.listeners.get(name) ?? []) fn(new MessageEvent(name, { data: JSON.stringify(data) }));
  }
  close(): void {
    this.closed = true;
  }
  static install(): void {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  }
}
