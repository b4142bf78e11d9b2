/**
 * Echo mode of the load generator (realtime and bridge pipelines, against the fake Realtime server in load mode,
 * which answers every caller frame with one agent frame of the same bytes): the tagged quiet frames callers send
 * (the first 6 bytes are a tag and the frame's number, 16 bits, a nibble a byte), reading the number back from an
 * echo, and each call's ledger of the frames it sent and which of them came back.
 */
import { MULAW_SILENCE } from '../../src/voice/audio/mulaw.ts';
import { FRAME_BYTES } from './shared.ts';

const TAG = [0xf7, 0xf3];
const ECHO_TAIL_B64 = Buffer.alloc(FRAME_BYTES - 6, MULAW_SILENCE).toString('base64');
/** Frames a ledger remembers; it divides 2^16, so a 16-bit frame number still finds its frame's place. */
const RING = 1024;

/** The base64 payload of caller frame `chunk` (16 bits). */
export function taggedFrame(chunk: number): string {
  const head = Buffer.from([TAG[0]!, TAG[1]!, 0, 0, 0, 0]);
  for (let i = 0; i < 4; i++) head[2 + i] = 0xf0 | ((chunk >> (12 - 4 * i)) & 0xf);
  return head.toString('base64') + ECHO_TAIL_B64;
}

/** The frame number of a tagged frame's echo (its payload's first 8 base64 characters), or null. */
export function echoedChunk(b64Head: string): number | null {
  const b = Buffer.from(b64Head, 'base64');
  if (b.length < 6 || b[0] !== TAG[0] || b[1] !== TAG[1]) return null;
  let n = 0;
  for (let i = 0; i < 4; i++) {
    if ((b[2 + i]! & 0xf0) !== 0xf0) return null;
    n = (n << 4) | (b[2 + i]! & 0xf);
  }
  return n;
}

/** One call's last RING frames: when each was sent, its number, and whether its echo came. */
export class EchoLedger {
  private readonly sentAt = new Float64Array(RING);
  private readonly sentChunk = new Int32Array(RING).fill(-1);
  private readonly echoed = new Uint8Array(RING);

  /** Records frame `chunk`, sent at `sentAt`; returns when the frame it replaces was sent if that one never came back. */
  record(chunk: number, sentAt: number): number | null {
    const i = chunk % RING;
    const lost = this.sentChunk[i]! >= 0 && !this.echoed[i] ? this.sentAt[i]! : null;
    this.sentAt[i] = sentAt;
    this.sentChunk[i] = chunk;
    this.echoed[i] = 0;
    return lost;
  }

  /** The echo of frame number `n` (16 bits) came: when that frame was sent, or null for a stale or repeated echo. */
  acknowledge(n: number): number | null {
    const i = n % RING;
    if ((this.sentChunk[i]! & 0xffff) !== n || this.echoed[i]) return null;
    this.echoed[i] = 1;
    return this.sentAt[i]!;
  }

  /** Frames sent since `since` whose echo has not come and was due (`lateMs` after sending) by `now`. */
  overdue(since: number, now: number, lateMs: number): number {
    let n = 0;
    for (let i = 0; i < RING; i++) {
      const sentAt = this.sentAt[i]!;
      if (this.sentChunk[i]! >= 0 && !this.echoed[i] && sentAt >= since && now - sentAt > lateMs) n++;
    }
    return n;
  }
}
