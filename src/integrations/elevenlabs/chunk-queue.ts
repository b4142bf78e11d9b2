/**
 * Audio chunks pushed by a producer (a WebSocket message handler) and read by one async consumer. The reader
 * stops at once, throwing the abort reason, when its signal aborts; a failure is thrown after the chunks
 * that came before it.
 */
export class ChunkQueue {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  /** Chunks pushed so far. */
  received = 0;

  get finished(): boolean {
    return this.ended || this.failure !== null;
  }

  push(chunk: Buffer): void {
    if (this.finished) return;
    this.received++;
    this.chunks.push(chunk);
    this.notify();
  }

  end(): void {
    if (this.finished) return;
    this.ended = true;
    this.notify();
  }

  fail(err: Error): void {
    if (this.finished) return;
    this.failure = err;
    this.notify();
  }

  async *read(signal: AbortSignal): AsyncGenerator<Buffer> {
    const onAbort = (): void => this.notify();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        signal.throwIfAborted();
        const chunk = this.chunks.shift();
        if (chunk) {
          yield chunk;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
