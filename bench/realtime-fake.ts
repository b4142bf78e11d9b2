/**
 * The fake OpenAI Realtime server for `npm run bench:calls -- --pipeline realtime`, in a process of its own so
 * that its work is not counted as the call server's: test/fakes/openai/fake-realtime-server.ts in load mode
 * (each appended audio frame is answered at once with one audio delta of the same bytes). Started by
 * bench/calls.bench.ts over IPC: → {ready, url, apiKey}; ← cpu-start; ← cpu-end → {cpu, pct}.
 */
import { FakeRealtimeServer } from '../test/fakes/openai/fake-realtime-server.ts';
import { mono } from './lib/shared.ts';

export type ToFake = { type: 'cpu-start' } | { type: 'cpu-end' } | { type: 'shutdown' };
export type FromFake = { type: 'ready'; url: string; apiKey: string } | { type: 'cpu'; pct: number };

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/realtime-fake.ts is started by bench/calls.bench.ts (IPC channel)');
  const apiKey = `sk-bench-${Math.random().toString(16).slice(2)}`;
  const fake = await FakeRealtimeServer.start({ mode: 'load', apiKey });
  let window: { at: number; cpu: NodeJS.CpuUsage } | null = null;
  const tell = (msg: FromFake): void => void process.send?.(msg);
  process.on('message', (msg: ToFake) => {
    if (msg.type === 'cpu-start') window = { at: mono(), cpu: process.cpuUsage() };
    else if (msg.type === 'cpu-end' && window) {
      const cpu = process.cpuUsage(window.cpu);
      tell({ type: 'cpu', pct: ((cpu.user + cpu.system) / 1000 / (mono() - window.at)) * 100 });
      window = null;
    } else if (msg.type === 'shutdown') {
      void fake.close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  tell({ type: 'ready', url: fake.url, apiKey });
}

main().catch((err: unknown) => {
  console.error('fake Realtime server failed:', err);
  process.exit(1);
});
