/**
 * The ResamplerPool's worker thread: one Pcm24kToMulaw8k per stream id, requests answered in arrival order.
 * Loaded by plain Node (type stripping) as well as tsx, so it and its imports use erasable TypeScript only.
 */
import { parentPort } from 'node:worker_threads';
import { Pcm24kToMulaw8k } from './pcm24k-to-mulaw8k.ts';
import { transferList } from './resampler-pool.ts';

/** A request that is answered (by `id`). */
export type ResamplerJob = { op: 'push'; stream: number; pcm: Uint8Array } | { op: 'end'; stream: number };

export type ResamplerRequest = (ResamplerJob & { id: number }) | { op: 'close'; stream: number };

export type ResamplerReply = { id: number; mulaw: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('resampler.worker.ts runs only in a worker thread');

const streams = new Map<number, Pcm24kToMulaw8k>();

port.on('message', (msg: ResamplerRequest) => {
  if (msg.op === 'close') {
    streams.delete(msg.stream);
    return;
  }
  let converter = streams.get(msg.stream);
  if (!converter) streams.set(msg.stream, (converter = new Pcm24kToMulaw8k()));
  let mulaw: Uint8Array;
  try {
    mulaw = msg.op === 'push' ? converter.push(msg.pcm) : converter.end();
  } catch (err) {
    streams.delete(msg.stream);
    port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) } satisfies ResamplerReply);
    return;
  }
  if (msg.op === 'end') streams.delete(msg.stream);
  port.postMessage({ id: msg.id, mulaw } satisfies ResamplerReply, transferList(mulaw));
});
