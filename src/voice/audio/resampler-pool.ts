/**
 * 24 kHz PCM → 8 kHz μ-law (Pcm24kToMulaw8k) off the event loop: worker threads, each holding the filter state
 * of the streams assigned to it. Workers start on first use, never keep the process alive while idle, and a
 * dead worker fails its streams (their pending and later requests reject with a ResamplerError) and is replaced
 * on the next `open()`.
 */
import { isMarkedAsUntransferable, Worker } from 'node:worker_threads';
import type { ResamplerJob, ResamplerReply, ResamplerRequest } from './resampler.worker.ts';

const WORKER_URL = new URL('./resampler.worker.ts', import.meta.url);

export class ResamplerError extends Error {
  override readonly name = 'ResamplerError';
}

export interface ResamplerPoolOptions {
  /** Worker threads; streams are dealt to them in turn. Default 1. */
  size?: number;
  /** The worker module. Default resampler.worker.ts. */
  workerUrl?: URL;
}

/** One audio stream's conversion; its results come back in the order of the requests. */
export interface ResamplerStream {
  /**
   * Converts the next PCM bytes (any length); resolves to the μ-law bytes now complete. A chunk that is the whole
   * of its ArrayBuffer is transferred (detached here), any other is copied.
   */
  push(pcm: Uint8Array): Promise<Buffer>;
  /** No more input: the last μ-law bytes. */
  end(): Promise<Buffer>;
  /** Releases the stream's state; requests already made still settle. Safe to call twice. */
  close(): void;
}

interface Pending {
  resolve(mulaw: Buffer): void;
  reject(err: Error): void;
}

function ownsBuffer(view: Uint8Array): view is Uint8Array<ArrayBuffer> {
  const buffer = view.buffer;
  return (
    buffer instanceof ArrayBuffer &&
    view.byteOffset === 0 &&
    view.byteLength === buffer.byteLength &&
    !isMarkedAsUntransferable(buffer)
  );
}

/** `view`'s buffer when it can be moved to another thread as it is, else nothing (it is then copied). */
export function transferList(view: Uint8Array): ArrayBuffer[] {
  return ownsBuffer(view) ? [view.buffer] : [];
}

class PoolWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private lastError: Error | null = null;
  failure: ResamplerError | null = null;

  constructor(url: URL, onExit: (w: PoolWorker) => void) {
    this.worker = new Worker(url, { name: 'resampler' });
    this.worker.on('message', (reply: ResamplerReply) => this.settle(reply));
    this.worker.on('error', (err) => {
      this.lastError = err;
    });
    this.worker.on('exit', (code) => {
      const why = this.lastError ? `: ${this.lastError.message}` : '';
      this.failure = new ResamplerError(
        `resampler worker exited (code ${code})${why}`,
        this.lastError ? { cause: this.lastError } : {},
      );
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
      onExit(this);
    });
    this.worker.unref();
  }

  request(job: ResamplerJob, transfer: ArrayBuffer[] = []): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    return new Promise<Buffer>((resolve, reject) => {
      this.worker.postMessage({ ...job, id } satisfies ResamplerRequest, transfer);
      this.pending.set(id, { resolve, reject });
      // Awaited work keeps the process alive; an idle worker does not.
      if (this.pending.size === 1) this.worker.ref();
    });
  }

  send(msg: ResamplerRequest): void {
    if (!this.failure) this.worker.postMessage(msg);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private settle(reply: ResamplerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) p.reject(new ResamplerError(reply.error));
    else p.resolve(Buffer.from(reply.mulaw.buffer, reply.mulaw.byteOffset, reply.mulaw.byteLength));
  }
}

export class ResamplerPool {
  private readonly workers: (PoolWorker | null)[];
  private readonly workerUrl: URL;
  private turn = 0;
  private nextStream = 0;
  private closed = false;

  constructor(options: ResamplerPoolOptions = {}) {
    const size = options.size ?? 1;
    if (!Number.isInteger(size) || size < 1) throw new RangeError('ResamplerPool: size must be a positive integer');
    this.workers = Array.from({ length: size }, () => null);
    this.workerUrl = options.workerUrl ?? WORKER_URL;
  }

  open(): ResamplerStream {
    if (this.closed) throw new ResamplerError('resampler pool closed');
    const slot = this.turn;
    this.turn = (slot + 1) % this.workers.length;
    const worker = (this.workers[slot] ??= new PoolWorker(this.workerUrl, (w) => {
      if (this.workers[slot] === w) this.workers[slot] = null;
    }));
    return new PooledStream(worker, ++this.nextStream);
  }

  /** Stops the workers; pending requests reject. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w?.terminate()));
  }
}

class PooledStream implements ResamplerStream {
  private readonly worker: PoolWorker;
  private readonly id: number;
  private state: 'open' | 'ended' | 'closed' = 'open';

  constructor(worker: PoolWorker, id: number) {
    this.worker = worker;
    this.id = id;
  }

  push(chunk: Uint8Array): Promise<Buffer> {
    if (this.state !== 'open') return Promise.reject(new ResamplerError(`resampler stream ${this.state}`));
    const pcm = ownsBuffer(chunk) ? chunk : new Uint8Array(chunk);
    return this.worker.request({ op: 'push', stream: this.id, pcm }, [pcm.buffer]);
  }

  end(): Promise<Buffer> {
    if (this.state !== 'open') return Promise.reject(new ResamplerError(`resampler stream ${this.state}`));
    this.state = 'ended';
    return this.worker.request({ op: 'end', stream: this.id });
  }

  close(): void {
    if (this.state === 'open') this.worker.send({ op: 'close', stream: this.id });
    this.state = 'closed';
  }
}

/** The process's pool (one worker, started when first used). */
export const defaultResamplerPool = new ResamplerPool();
