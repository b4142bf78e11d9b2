import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { OpenAiTextToSpeech } from '../../src/integrations/llm/openai-speech.ts';
import { Pcm24kToMulaw8k } from '../../src/voice/audio/pcm24k-to-mulaw8k.ts';
import { ResamplerError, ResamplerPool, type ResamplerStream } from '../../src/voice/audio/resampler-pool.ts';
import { FakeOpenAiSpeechServer, pcmTone } from '../fakes/llm/fake-openai-speech.ts';

const root = join(import.meta.dirname, '..', '..');
const poolModule = pathToFileURL(join(root, 'src/voice/audio/resampler-pool.ts')).href;
const workerModule = pathToFileURL(join(root, 'src/voice/audio/resampler.worker.ts')).href;

const dataModule = (source: string): string => `data:text/javascript,${encodeURIComponent(source)}`;

/**
 * The real worker, except that a push of the bytes of 'crash' throws in the worker thread (uncaught: the worker
 * dies). The hook is a module of its own, imported first, so that its listener runs before the worker's.
 */
const crashingWorker = new URL(
  dataModule(`
    import ${JSON.stringify(
      dataModule(`
        import { parentPort } from 'node:worker_threads';
        parentPort.addEventListener('message', (event) => {
          if (event.data.op !== 'push' || Buffer.from(event.data.pcm).toString() !== 'crash') return;
          event.stopImmediatePropagation();
          throw new Error('test crash');
        });
      `),
    )};
    import ${JSON.stringify(workerModule)};
  `),
);

const pool = new ResamplerPool();
const pools: ResamplerPool[] = [pool];

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function pcmBytes(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

function inline(pcm: Uint8Array): Buffer {
  const c = new Pcm24kToMulaw8k();
  return Buffer.concat([c.push(pcm), c.end()]);
}

/** `bytes` cut at odd, varied sizes (samples split between chunks). */
function oddChunks(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0, size = 1; offset < bytes.length; offset += size, size = (size * 7 + 3) % 1_999 || 1) {
    chunks.push(bytes.subarray(offset, offset + size));
  }
  return chunks;
}

async function convert(stream: ResamplerStream, chunks: Uint8Array[]): Promise<Buffer> {
  const parts = await Promise.all(chunks.map((chunk) => stream.push(chunk)));
  parts.push(await stream.end());
  stream.close();
  return Buffer.concat(parts);
}

describe('ResamplerPool', () => {
  it('gives the inline converter’s bytes for a stream in odd-sized chunks', async () => {
    const bytes = Buffer.concat([pcmBytes(pcmTone(1_000.0417, 440, 12_000)), Buffer.from([0x12])]);
    const chunks = oddChunks(bytes);
    expect(chunks.length).toBeGreaterThan(20);
    const out = await convert(pool.open(), chunks);
    expect(out.equals(inline(bytes))).toBe(true);
    expect(out.length).toBe(Math.ceil(Math.floor(bytes.length / 2) / 3));
  });

  it('transfers a chunk that owns its buffer and copies a view', async () => {
    const stream = pool.open();
    const owned = new Uint8Array(960);
    const backing = new Uint8Array(1_920);
    await stream.push(owned);
    await stream.push(backing.subarray(0, 960));
    stream.close();
    expect(owned.byteLength).toBe(0);
    expect(backing.byteLength).toBe(1_920);
  });

  it('keeps interleaved streams apart (each stream’s results in order)', async () => {
    const a = pcmBytes(pcmTone(700, 440, 9_000));
    const b = pcmBytes(pcmTone(500, 3_000, 15_000));
    const streamA = pool.open();
    const streamB = pool.open();
    const chunksA = oddChunks(a);
    const chunksB = oddChunks(b);
    const pending: { a: Promise<Buffer>[]; b: Promise<Buffer>[] } = { a: [], b: [] };
    for (let i = 0; i < Math.max(chunksA.length, chunksB.length); i++) {
      if (chunksA[i]) pending.a.push(streamA.push(chunksA[i]!));
      if (chunksB[i]) pending.b.push(streamB.push(chunksB[i]!));
    }
    pending.b.push(streamB.end());
    pending.a.push(streamA.end());
    expect(Buffer.concat(await Promise.all(pending.a)).equals(inline(a))).toBe(true);
    expect(Buffer.concat(await Promise.all(pending.b)).equals(inline(b))).toBe(true);
  });

  it('streams over two workers give the same bytes', async () => {
    const two = new ResamplerPool({ size: 2 });
    pools.push(two);
    const signals = [pcmTone(300, 440), pcmTone(300, 1_000), pcmTone(300, 2_500)].map(pcmBytes);
    const outs = await Promise.all(signals.map((s) => convert(two.open(), oddChunks(s))));
    outs.forEach((out, i) => expect(out.equals(inline(signals[i]!))).toBe(true));
  });

  it('a worker that dies mid-stream fails that stream’s pending and later requests; the next stream works', async () => {
    const crashing = new ResamplerPool({ workerUrl: crashingWorker });
    pools.push(crashing);
    const stream = crashing.open();
    const [before, fatal, queued] = await Promise.allSettled(
      [new Uint8Array(960), Buffer.from('crash'), new Uint8Array(960)].map((pcm) => stream.push(pcm)),
    );
    expect(before).toMatchObject({ status: 'fulfilled', value: expect.any(Buffer) });
    expect(fatal).toMatchObject({ status: 'rejected', reason: expect.any(ResamplerError) });
    const err = (fatal as PromiseRejectedResult).reason as Error;
    expect(err.message).toBe('resampler worker exited (code 1): test crash');
    expect(queued).toEqual({ status: 'rejected', reason: err });
    await expect(stream.push(new Uint8Array(960))).rejects.toBe(err);
    await expect(stream.end()).rejects.toBe(err);
    stream.close();

    const bytes = pcmBytes(pcmTone(400, 440));
    expect((await convert(crashing.open(), oddChunks(bytes))).equals(inline(bytes))).toBe(true);
  });

  it('rejects use after end or close, and opening a closed pool', async () => {
    const closing = new ResamplerPool();
    pools.push(closing);
    const stream = closing.open();
    await stream.end();
    await expect(stream.push(new Uint8Array(2))).rejects.toThrow('resampler stream ended');
    stream.close();
    await expect(stream.end()).rejects.toThrow('resampler stream closed');
    await closing.close();
    expect(() => closing.open()).toThrow(ResamplerError);
  });

  it('runs under `node --import tsx` (tsx alone compiling the worker) and lets the process exit without close()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'resampler-pool-'));
    const script = join(dir, 'main.mjs');
    await writeFile(
      script,
      `
        import { ResamplerPool } from ${JSON.stringify(poolModule)};
        const stream = new ResamplerPool().open();
        const head = await stream.push(new Uint8Array(4_800));
        const tail = await stream.end();
        console.log(head.length + tail.length);
      `,
    );
    try {
      const started = performance.now();
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--no-experimental-strip-types', '--import', 'tsx', script],
        { cwd: root, timeout: 15_000 },
      );
      expect(stdout.trim()).toBe('800');
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('OpenAiTextToSpeech on the pool', () => {
  it('converts in the worker: the same bytes as inline, no filtering on the event loop', async () => {
    const fake = await FakeOpenAiSpeechServer.start({ chunkBytes: 777 });
    const opened = new ResamplerPool();
    pools.push(opened);
    const open = vi.spyOn(opened, 'open');
    const onLoop = vi.spyOn(Pcm24kToMulaw8k.prototype, 'push');
    try {
      const tts = new OpenAiTextToSpeech({ apiKey: fake.apiKey, baseUrl: fake.url, resampler: opened });
      const text = 'Your showing is confirmed for Saturday at ten.';
      const chunks: Buffer[] = [];
      for await (const chunk of tts.synthesize(text, new AbortController().signal)) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(1);
      expect(open).toHaveBeenCalledTimes(1);
      expect(onLoop).not.toHaveBeenCalled();
      expect(Buffer.concat(chunks).equals(inline(pcmBytes(fake.signal(text))))).toBe(true);
    } finally {
      onLoop.mockRestore();
      await fake.close();
    }
  });
});
