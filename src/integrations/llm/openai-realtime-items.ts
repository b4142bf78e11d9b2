import { mulawDurationMs } from '../../voice/audio/mulaw.ts';
import type { RealtimeAudioPoint } from './openai-realtime-events.ts';

/**
 * The assistant items of a Realtime conversation as the caller hears them: audio received and transcript per
 * item, the last item that produced audio, and the responses cut by a barge-in (whose later deltas are dropped).
 * It tells where to truncate an interrupted item and what of its transcript was heard.
 */

interface ItemAudio {
  responseId: string;
  /** Milliseconds of μ-law received (and emitted) for this item. */
  ms: number;
  transcript: string;
  audioDone: boolean;
}

export class AssistantItems {
  private readonly items = new Map<string, ItemAudio>();
  private lastAudioItem: string | null = null;
  /** Responses cut by `interrupt`: their further deltas are dropped. */
  private readonly dropped = new Set<string>();

  /** The last assistant item that produced audio and was not truncated since. */
  get lastAudioItemId(): string | null {
    return this.lastAudioItem;
  }

  /** The item's record, created on first sight. */
  item(itemId: string, responseId: string): ItemAudio {
    let item = this.items.get(itemId);
    if (!item) {
      item = { responseId, ms: 0, transcript: '', audioDone: false };
      this.items.set(itemId, item);
    }
    return item;
  }

  /** A chunk of the item's μ-law audio was received (and played on). */
  audioReceived(itemId: string, responseId: string, bytes: number): void {
    this.item(itemId, responseId).ms += mulawDurationMs(bytes);
    this.lastAudioItem = itemId;
  }

  /** From now on the response's deltas are dropped. */
  drop(responseId: string): void {
    this.dropped.add(responseId);
  }

  isDropped(responseId: string): boolean {
    return this.dropped.has(responseId);
  }

  /**
   * Where to truncate the item: `audioEndMs` clamped to the audio received for it (the server refuses more). The
   * rest of its response is dropped unless its audio was complete. Null when the item is unknown.
   */
  truncate(itemId: string, audioEndMs: number): RealtimeAudioPoint | null {
    const item = this.items.get(itemId);
    if (!item) return null;
    const end = Math.max(0, Math.min(Math.round(audioEndMs), Math.floor(item.ms)));
    if (!item.audioDone) this.dropped.add(item.responseId);
    if (itemId === this.lastAudioItem) this.lastAudioItem = null;
    return { itemId, audioEndMs: end };
  }

  /** Milliseconds of audio received for an assistant item (0 if unknown). */
  audioMs(itemId: string): number {
    return this.items.get(itemId)?.ms ?? 0;
  }

  /**
   * What the caller heard of an item's transcript when playback stopped at `audioEndMs`: the words in
   * proportion to the audio played (an estimate: words are not evenly timed). All of it when fully played.
   */
  heardText(itemId: string, audioEndMs: number): string {
    const item = this.items.get(itemId);
    if (!item) return '';
    const words = item.transcript.split(/\s+/).filter(Boolean);
    if (item.audioDone && audioEndMs >= item.ms) return words.join(' ');
    const share = item.ms > 0 ? Math.min(1, Math.max(0, audioEndMs / item.ms)) : 0;
    return words.slice(0, Math.round(words.length * share)).join(' ');
  }
}
