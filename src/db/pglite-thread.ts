/**
 * The embedded PGlite in a worker thread. PGlite runs PostgreSQL as WASM, synchronously: on the service's
 * own thread every query (~0.4–1 ms of CPU each) holds up sockets and timers, so with a few hundred calls the
 * event loop waits tens of ms. Here the database runs on its own thread (src/db/pglite.worker.ts) and this
 * object stands in for the PGlite instance where MikroORM (kysely's PGlite dialect) and pg-boss use it:
 * `query`, `exec`, `transaction`, `listen`/`unlisten`, `close`, `ready`/`closed`/`waitReady`. Semantics stay
 * PGlite's: one connection, and a transaction holds it exclusively until it ends.
 */
import { Worker } from 'node:worker_threads';
import type { PgliteReply, PgliteRequest, PgliteWorkerData, SerializedError } from './pglite.worker.ts';

const WORKER_URL = new URL('./pglite.worker.ts', import.meta.url);

/** What a query returns (PGlite's `Results`, without its blob). */
export interface ThreadResults<T = Record<string, unknown>> {
  rows: T[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

export interface ThreadTransaction {
  query<T>(sql: string, params?: unknown[], options?: { rowMode?: 'array' | 'object' }): Promise<ThreadResults<T>>;
  exec(sql: string): Promise<ThreadResults[]>;
}

type Omitted<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
}

function toError(e: SerializedError): Error {
  const err = Object.assign(new Error(e.message), e.fields);
  err.name = e.name;
  return err;
}

export class PgliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private nextId = 0;
  private failure: Error | null = null;
  closed = false;
  ready = false;
  readonly waitReady: Promise<void>;

  private constructor(dataDir: string | undefined) {
    this.worker = new Worker(WORKER_URL, {
      name: 'pglite',
      workerData: { dataDir } satisfies PgliteWorkerData,
    });
    this.worker.on('message', (reply: PgliteReply) => this.settle(reply));
    this.worker.on('error', (err) => (this.failure ??= err));
    this.worker.on('exit', (code) => {
      this.failure ??= new Error(`the database thread exited (code ${code})`);
      this.closed = true;
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    });
    // An idle database never keeps the process alive; an awaited query does (see `call`).
    this.worker.unref();
    this.waitReady = this.call({ op: 'query', sql: 'select 1', params: [] }).then(() => {
      this.ready = true;
    });
  }

  /** Starts the thread and waits until the database is open. `dataDir` undefined: in memory. */
  static async create(dataDir?: string): Promise<PgliteThread> {
    const thread = new PgliteThread(dataDir);
    await thread.waitReady;
    return thread;
  }

  query<T = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
    options: { rowMode?: 'array' | 'object' } = {},
  ): Promise<ThreadResults<T>> {
    return this.run('query', sql, params, options.rowMode);
  }

  exec(sql: string): Promise<ThreadResults[]> {
    return this.call({ op: 'exec', sql }) as Promise<ThreadResults[]>;
  }

  /** Runs `fn` in a transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(fn: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const txId = (await this.call({ op: 'begin' })) as number;
    const tx: ThreadTransaction = {
      query: <R>(sql: string, params: unknown[] = [], options: { rowMode?: 'array' | 'object' } = {}) =>
        this.run<R>('query', sql, params, options.rowMode, txId),
      exec: (sql) => this.call({ op: 'exec', sql, tx: txId }) as Promise<ThreadResults[]>,
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      await this.call({ op: 'end', tx: txId, commit: false });
      throw err;
    }
    await this.call({ op: 'end', tx: txId, commit: true });
    return result;
  }

  /** LISTEN on `channel`; resolves to a function that stops this callback. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) {
      this.listeners.set(channel, (set = new Set()));
      await this.call({ op: 'listen', channel });
    }
    set.add(callback);
    return () => this.unlisten(channel, callback);
  }

  async unlisten(channel: string, callback?: (payload: string) => void): Promise<void> {
    const set = this.listeners.get(channel);
    if (!set) return;
    if (callback) set.delete(callback);
    else set.clear();
    if (set.size) return;
    this.listeners.delete(channel);
    await this.call({ op: 'unlisten', channel });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.call({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await this.worker.terminate();
  }

  private run<T>(
    op: 'query',
    sql: string,
    params: unknown[],
    rowMode: 'array' | 'object' | undefined,
    tx?: number,
  ): Promise<ThreadResults<T>> {
    return this.call({
      op,
      sql,
      params,
      ...(rowMode ? { rowMode } : {}),
      ...(tx !== undefined ? { tx } : {}),
    }) as Promise<ThreadResults<T>>;
  }

  private call(request: Omitted<PgliteRequest>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...request, id } as PgliteRequest);
    });
  }

  private settle(reply: PgliteReply): void {
    if ('notify' in reply) {
      for (const callback of this.listeners.get(reply.notify) ?? []) callback(reply.payload);
      return;
    }
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) p.reject(toError(reply.error));
    else p.resolve(reply.result);
  }
}
