/**
 * Transcripts in utterance order. Completions of different utterances are not guaranteed to arrive in order
 * (OpenAI's transcription guide says to order them by the `input_audio_buffer.committed` events): finals are
 * emitted in commit order, a completion waiting at most `waitMs` for an earlier utterance's, which is then skipped.
 */
export class FinalsInCommitOrder {
  /** Committed items whose final is not emitted yet, in commit order. */
  private order: string[] = [];
  /** Finals (or null: failed/empty) that arrived ahead of an earlier item's. */
  private readonly done = new Map<string, string | null>();
  private timer: NodeJS.Timeout | null = null;
  /** The earlier item a done one is waiting for (timer runs), or null. */
  private waitingFor: string | null = null;

  constructor(
    private readonly handlers: {
      waitMs: number;
      final: (text: string) => void;
      /** The stream was closed (by a `final` listener): stop emitting. */
      closed: () => boolean;
      /** An earlier item's transcript never came in time. */
      skipped: (itemId: string) => void;
    },
  ) {}

  /** `input_audio_buffer.committed`: the item's final comes in this place. */
  committed(itemId: string): void {
    this.order.push(itemId);
  }

  /** An item's transcript is done (null: nothing to say); finals go out in commit order. */
  completed(itemId: string, text: string | null): void {
    if (!this.order.includes(itemId)) {
      // Never saw it committed (or the connection was replaced): nothing to wait for.
      if (text) this.handlers.final(text);
      return;
    }
    this.done.set(itemId, text);
    this.flush();
  }

  /** Forgets every item (the connection was replaced or closed). */
  reset(): void {
    this.order = [];
    this.done.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waitingFor = null;
  }

  private flush(): void {
    while (this.order.length && this.done.has(this.order[0]!)) {
      const id = this.order.shift()!;
      const text = this.done.get(id)!;
      this.done.delete(id);
      if (text) this.handlers.final(text);
      if (this.handlers.closed()) return;
    }
    // A later utterance is done but an earlier one is not: wait a little for it, then skip it.
    const head = this.done.size ? (this.order[0] ?? null) : null;
    if (head === this.waitingFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waitingFor = head;
    if (head === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.waitingFor = null;
      if (this.order[0] === head) this.order.shift();
      this.handlers.skipped(head);
      this.flush();
    }, this.handlers.waitMs);
  }
}
