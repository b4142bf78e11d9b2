import { mulawDurationMs } from '../../voice/audio/mulaw.ts';
import type { RealtimeAudioPoint } from './openai-realtime.ts';

/** A stretch of one item's audio, in ms of that item. */
interface Span {
  itemId: string;
  startMs: number;
  endMs: number;
}

/** A mark sent to Twilio after the spans before it. */
interface Mark {
  name: string;
  spans: Span[];
}

/** Audio between two marks. Truncation is this exact (plus the time since the last echo, estimated). */
export const MARK_EVERY_MS = 100;

/**
 * What the caller has heard of the Realtime audio, from Twilio marks. Audio chunks are forwarded to
 * Twilio as they come (20 ms deltas, say) but marked only every ~100 ms (`sent` returns a mark name once
 * that much is unmarked; `flush` marks the tail when an item's audio is done): a mark per delta would
 * double the socket writes and echoes of a call for no audible gain. Twilio echoes a mark when playback
 * reaches it (`played`), so an item's played position is the end of its last echoed span, plus the time
 * since that echo (or since the audio went to an idle line), capped at the end of the span now playing.
 * On barge-in, `clear` (with Twilio's `clear`) returns the point to pass to
 * `RealtimeConversation.interrupt`; marks that Twilio still echoes for the dropped audio are ignored.
 */
export class RealtimePlayback {
  private seq = 0;
  /** Marks sent and not echoed, oldest first from `head` (echoes come in order). */
  private marks: Mark[] = [];
  private head = 0;
  /** Audio sent since the last mark. */
  private unmarked: Span[] = [];
  private unmarkedMs = 0;
  private readonly cleared = new Set<string>();
  private readonly sentMs = new Map<string, number>();
  private readonly playedMsByItem = new Map<string, number>();
  private lastItemId: string | null = null;
  /** Playback was at `ms` of `itemId` at wall-clock time `at`. */
  private anchor: { itemId: string; ms: number; at: number } | null = null;
  private readonly markPrefix: string;
  private readonly markEveryMs: number;
  private readonly now: () => number;

  constructor(options: { markPrefix?: string; markEveryMs?: number; now?: () => number } = {}) {
    this.markPrefix = options.markPrefix ?? 'rt-';
    this.markEveryMs = options.markEveryMs ?? MARK_EVERY_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * A chunk of `itemId` (μ-law, `bytes` long) goes to Twilio now. Returns the name of a mark to send right
   * after it when enough audio is unmarked, else null.
   */
  sent(itemId: string, bytes: number): string | null {
    const startMs = this.sentMs.get(itemId) ?? 0;
    const durationMs = mulawDurationMs(bytes);
    const endMs = startMs + durationMs;
    this.sentMs.set(itemId, endMs);
    // An idle line starts playing at once.
    if (!this.speaking) this.anchor = { itemId, ms: startMs, at: this.now() };
    this.lastItemId = itemId;
    const last = this.unmarked.at(-1);
    if (last?.itemId === itemId && last.endMs === startMs) last.endMs = endMs;
    else this.unmarked.push({ itemId, startMs, endMs });
    this.unmarkedMs += durationMs;
    return this.unmarkedMs >= this.markEveryMs ? this.flush() : null;
  }

  /** Marks the audio sent since the last mark (an item's audio is done); null when there is none. */
  flush(): string | null {
    if (!this.unmarked.length) return null;
    const name = `${this.markPrefix}${++this.seq}`;
    this.marks.push({ name, spans: this.unmarked });
    this.unmarked = [];
    this.unmarkedMs = 0;
    return name;
  }

  /** Twilio echoed a mark. False for a mark that is not ours or was dropped by a clear. */
  played(name: string): boolean {
    if (this.cleared.delete(name)) return false;
    let i = this.head;
    while (i < this.marks.length && this.marks[i]!.name !== name) i++;
    if (i === this.marks.length) return false;
    // Twilio plays in order: the marks before this one have played too.
    let last: Span | undefined;
    for (let m = this.head; m <= i; m++) {
      for (const span of this.marks[m]!.spans) {
        this.playedMsByItem.set(span.itemId, Math.max(this.playedMsByItem.get(span.itemId) ?? 0, span.endMs));
        last = span;
      }
    }
    this.head = i + 1;
    if (this.head === this.marks.length) {
      this.marks = [];
      this.head = 0;
    } else if (this.head >= 64) {
      this.marks = this.marks.slice(this.head);
      this.head = 0;
    }
    const at = this.now();
    this.anchor = { itemId: last!.itemId, ms: last!.endMs, at };
    // The audio queued behind this mark starts playing now (possibly another item).
    const following = this.outstanding().next().value;
    if (following && following.itemId !== last!.itemId) {
      this.anchor = { itemId: following.itemId, ms: following.startMs, at };
    }
    return true;
  }

  /** Audio went to Twilio that the caller has not heard for certain (no echoed mark after it). */
  get speaking(): boolean {
    return this.head < this.marks.length || this.unmarked.length > 0;
  }

  /** Milliseconds of the item the caller has heard, for certain (its echoed marks). */
  playedMs(itemId: string): number {
    return this.playedMsByItem.get(itemId) ?? 0;
  }

  /** Milliseconds of the item sent to Twilio. */
  sentMsOf(itemId: string): number {
    return this.sentMs.get(itemId) ?? 0;
  }

  /** Where playback of the latest item is now (echoed marks + time since, capped at the span playing). */
  position(): RealtimeAudioPoint | null {
    const itemId = this.lastItemId;
    if (!itemId) return null;
    let ms = this.playedMs(itemId);
    let next: Span | undefined;
    for (const span of this.outstanding()) {
      if (span.itemId === itemId) {
        next = span;
        break;
      }
    }
    if (next && this.anchor?.itemId === itemId) {
      ms = Math.max(ms, Math.min(next.endMs, this.anchor.ms + (this.now() - this.anchor.at)));
    }
    return { itemId, audioEndMs: Math.floor(ms) };
  }

  /**
   * Barge-in: Twilio's buffer is being cleared. Returns where the latest item stopped (for `interrupt`),
   * or null when nothing was sent; the marks still outstanding will echo and are ignored.
   */
  clear(): RealtimeAudioPoint | null {
    const point = this.position();
    for (let m = this.head; m < this.marks.length; m++) this.cleared.add(this.marks[m]!.name);
    this.marks = [];
    this.head = 0;
    this.unmarked = [];
    this.unmarkedMs = 0;
    this.anchor = null;
    this.lastItemId = null;
    return point;
  }

  /** The spans not yet heard for certain, in playing order. */
  private *outstanding(): Generator<Span> {
    for (let m = this.head; m < this.marks.length; m++) yield* this.marks[m]!.spans;
    yield* this.unmarked;
  }
}
