import { describe, expect, it } from 'vitest';
import { RealtimePlayback } from '../../src/integrations/llm/realtime-playback.ts';

const MS = 8; // μ-law bytes per ms at 8 kHz

describe('RealtimePlayback', () => {
  it('counts played ms per item from echoed marks and interpolates inside the span playing', () => {
    let now = 0;
    const playback = new RealtimePlayback({ now: () => now });
    const a1 = playback.sent('item_a', 100 * MS)!; // 100 ms, to an idle line: plays from now
    const a2 = playback.sent('item_a', 100 * MS)!;
    expect(playback.position()).toEqual({ itemId: 'item_a', audioEndMs: 0 });
    now = 60;
    expect(playback.position()).toEqual({ itemId: 'item_a', audioEndMs: 60 });
    now = 250; // late echo: never past the end of the span playing
    expect(playback.position()).toEqual({ itemId: 'item_a', audioEndMs: 100 });
    expect(playback.played(a1)).toBe(true);
    expect(playback.playedMs('item_a')).toBe(100);
    now = 270;
    expect(playback.position()).toEqual({ itemId: 'item_a', audioEndMs: 120 });
    expect(playback.played(a2)).toBe(true);
    expect(playback.speaking).toBe(false);
    expect(playback.position()).toEqual({ itemId: 'item_a', audioEndMs: 200 });

    expect(playback.sent('item_b', 50 * MS)).toBeNull();
    expect(playback.sentMsOf('item_b')).toBe(50);
    expect(playback.speaking).toBe(true);
    expect(playback.clear()).toEqual({ itemId: 'item_b', audioEndMs: 0 });
    expect(playback.speaking).toBe(false);

    // The next item, queued behind the last span of the previous one, starts when that span's mark echoes.
    now = 1_000;
    const c1 = playback.sent('item_c', 100 * MS)!;
    playback.sent('item_d', 100 * MS);
    now = 1_100;
    expect(playback.played(c1)).toBe(true);
    now = 1_130;
    expect(playback.position()).toEqual({ itemId: 'item_d', audioEndMs: 30 });
    playback.clear();
    expect(playback.played('not-ours')).toBe(false);
    expect(playback.clear()).toBeNull();
  });

  it('marks 20 ms deltas once per 100 ms and the tail on flush', () => {
    const playback = new RealtimePlayback({ now: () => 0 });
    const marks = Array.from({ length: 12 }, () => playback.sent('item_a', 20 * MS));
    expect(marks.filter(Boolean)).toHaveLength(2);
    expect(marks[4]).not.toBeNull(); // the fifth delta completes the first 100 ms
    const tail = playback.flush();
    expect(tail).not.toBeNull();
    expect(playback.flush()).toBeNull(); // nothing unmarked any more
    for (const m of [...marks, tail]) if (m) expect(playback.played(m)).toBe(true);
    expect(playback.playedMs('item_a')).toBe(240);
    expect(playback.speaking).toBe(false);
  });

  it('one mark can cover the end of one item and the start of the next', () => {
    let now = 0;
    const playback = new RealtimePlayback({ now: () => now });
    playback.sent('item_a', 60 * MS);
    const mark = playback.sent('item_b', 60 * MS)!;
    expect(mark).not.toBeNull();
    now = 120;
    expect(playback.played(mark)).toBe(true);
    expect(playback.playedMs('item_a')).toBe(60);
    expect(playback.playedMs('item_b')).toBe(60);
  });

  it('an echo also settles the marks before it (Twilio plays in order)', () => {
    const playback = new RealtimePlayback({ now: () => 0 });
    const first = playback.sent('item_a', 100 * MS)!;
    const second = playback.sent('item_a', 100 * MS)!;
    expect(playback.played(second)).toBe(true);
    expect(playback.playedMs('item_a')).toBe(200);
    expect(playback.played(first)).toBe(false);
    expect(playback.speaking).toBe(false);
  });

  it('marks dropped by a clear echo as not played, and new audio after the clear is tracked afresh', () => {
    let now = 0;
    const playback = new RealtimePlayback({ now: () => now });
    const dropped = Array.from({ length: 3 }, () => playback.sent('item_a', 100 * MS)!);
    now = 30;
    expect(playback.clear()).toEqual({ itemId: 'item_a', audioEndMs: 30 });
    const next = playback.sent('item_b', 100 * MS)!;
    for (const m of dropped) expect(playback.played(m)).toBe(false);
    expect(playback.speaking).toBe(true);
    expect(playback.played(next)).toBe(true);
    expect(playback.playedMs('item_b')).toBe(100);
    expect(playback.playedMs('item_a')).toBe(0);
  });
});
