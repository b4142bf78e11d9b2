import { useCallback, useEffect, useRef, useState } from 'react';

/** The console talks only to the public API; the session cookie authenticates it (same origin). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Unauthorized = () => void;
let onUnauthorized: Unauthorized = () => {};
/** Called on any 401 (the session expired or was ended): the app goes back to the sign-in form. */
export function setUnauthorizedHandler(fn: Unauthorized): void {
  onUnauthorized = fn;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers:
      body === undefined
        ? { accept: 'application/json' }
        : { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: reported below */
  }
  if (!res.ok) {
    const e = (json ?? {}) as { error?: string; message?: string; details?: unknown };
    // A wrong key at sign-in is the form's to show; any other 401 means the session is over.
    if (res.status === 401 && !(method === 'POST' && path === '/api/console/session')) onUnauthorized();
    throw new ApiError(res.status, e.error ?? 'http_error', e.message ?? `${res.status} ${res.statusText}`, e.details);
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, body ?? {});
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, body ?? {});
export const del = <T>(path: string) => api<T>('DELETE', path);

/** `?a=1&b=x` from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Fetches again (keeps showing the current data meanwhile). */
  reload: () => void;
}

/**
 * GETs `path` (null: nothing yet) and re-fetches when it changes. What is shown always belongs to the current
 * path: another path's data or error is never returned while the new one loads.
 */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ path: string | null; data?: T; error?: Error; loading: boolean }>({
    path,
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => (s.path === path ? { ...s, loading: true } : { path, loading: true }));
    get<T>(path).then(
      (data) => live && setState({ path, data, loading: false }),
      (error: Error) =>
        live && setState((s) => ({ path, data: s.path === path ? s.data : undefined, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const mine = state.path === path;
  return {
    data: mine ? state.data : undefined,
    error: mine ? state.error : undefined,
    loading: mine ? state.loading : path !== null,
    reload,
  };
}

/**
 * Fetches `loaded` again whenever `refresh` changes (a page polling a running campaign bumps it), but not while
 * its last fetch is still out: a poll would cancel it, and a slow answer would then never show.
 */
export function useRefresh(loaded: Loaded<unknown>, refresh: number): void {
  const loading = useRef(loaded.loading);
  loading.current = loaded.loading;
  const { reload } = loaded;
  useEffect(() => {
    if (refresh && !loading.current) reload();
  }, [refresh, reload]);
}

/**
 * Subscribes to a server-sent event stream (the cookie goes with it) while mounted. `handlers` maps event
 * names to callbacks receiving the parsed JSON; the latest handlers are always used.
 */
export function useEventStream(path: string | null, handlers: Record<string, (data: unknown) => void>): boolean {
  const ref = useRef(handlers);
  ref.current = handlers;
  const [open, setOpen] = useState(false);
  const names = Object.keys(handlers).sort().join(',');
  useEffect(() => {
    if (path === null || typeof EventSource === 'undefined') return;
    const es = new EventSource(path, { withCredentials: true });
    es.onopen = () => setOpen(true);
    es.onerror = () => {
      setOpen(false);
      // The browser retries by itself, except after an HTTP error (e.g. 401 once the session has expired): then
      // ask who is signed in, which sends an expired session back to the sign-in form.
      if (es.readyState === EventSource.CLOSED) get('/api/console/session').catch(() => {});
    };
    for (const name of names.split(',').filter(Boolean)) {
      es.addEventListener(name, (e) => {
        try {
          ref.current[name]?.(JSON.parse((e as MessageEvent<string>).data));
        } catch {
          /* a malformed event is skipped */
        }
      });
    }
    return () => {
      es.close();
      setOpen(false);
    };
  }, [path, names]);
  return open;
}
