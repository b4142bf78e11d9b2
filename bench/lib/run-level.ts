/**
 * One level of the call benchmark: a pipeline at N calls. Starts the processes it needs (the fake Realtime server
 * for the realtime and bridge pipelines, a fresh call server), ramps N calls up with the load generator, lets them
 * settle, measures both sides over the window, judges the level against the targets, and stops everything.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FromFake, ToFake } from '../realtime-fake.ts';
import { BenchProcess } from './bench-process.ts';
import type { Settings } from './calls-options.ts';
import { fmt, progress } from './calls-report.ts';
import { LoadGenerator } from './load.ts';
import { DEFAULT_FAKES, type FromServer, type Pipeline, type ServerOptions, type ToServer } from './shared.ts';
import { judge, type Level } from './targets.ts';

/** The call server's options for one level; a fresh Twilio token and line number each time. */
function serverOptions(
  pipeline: Pipeline,
  n: number,
  s: Settings,
  realtime: ServerOptions['realtime'],
  profileDir: string | null,
): ServerOptions {
  return {
    pipeline,
    realtime,
    fakes: DEFAULT_FAKES,
    authToken: `bench-twilio-token-${Math.random().toString(16).slice(2)}`,
    publicUrl: 'https://voice.bench.test',
    lineNumber: `+1512${200 + Math.floor(Math.random() * 700)}${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`,
    lateMs: s.lateMs,
    calls: n,
    profileDir,
  };
}

export async function runLevel(
  pipeline: Pipeline,
  n: number,
  s: Settings,
  profileDir: string | null,
): Promise<Level & { database: string }> {
  // Realtime and bridge: the fake Realtime server (load mode) in its own process; callers send tagged frames.
  const echo = pipeline !== 'cascaded';
  const fake = echo ? new BenchProcess<FromFake, ToFake>('bench/realtime-fake.ts', [], {}) : null;
  let server: BenchProcess<FromServer, ToServer> | null = null;
  let load: LoadGenerator | null = null;
  try {
    const realtime = fake ? await fake.expect('ready', 60_000) : null;
    const options = serverOptions(
      pipeline,
      n,
      s,
      realtime ? { url: realtime.url, apiKey: realtime.apiKey } : null,
      profileDir,
    );
    server = new BenchProcess<FromServer, ToServer>('bench/call-server.ts', ['--expose-gc', ...s.serverFlags], {
      BENCH_CALL_SERVER: JSON.stringify(options),
    });
    const ready = await server.expect('ready', 180_000);
    const rampMs = (s.rampS ?? Math.min(10, n * 0.025)) * 1000;
    load = new LoadGenerator({
      base: `http://127.0.0.1:${ready.port}`,
      publicUrl: options.publicUrl,
      authToken: options.authToken,
      lineNumber: options.lineNumber,
      calls: n,
      rampMs,
      callMs: [s.callSeconds[0] * 1000, s.callSeconds[1] * 1000],
      slots: s.slots,
      bargeIn: s.bargeIn,
      fakes: options.fakes,
      echo,
      lateMs: s.lateMs,
    });
    progress(
      `${pipeline} N=${n}: ${pipeline === 'bridge' ? 'bare bridge up' : `server up (${ready.database}, ${ready.listings} listings)`}; ramp ${(rampMs / 1000).toFixed(1)} s, settle ${s.settleS} s, window ${s.seconds} s`,
    );
    await load.start();
    await sleep(s.settleS * 1000);
    await server.request({ type: 'window-start' }, 'window-started');
    fake?.send({ type: 'cpu-start' });
    load.windowStart();
    await sleep(s.seconds * 1000);
    const reportPromise = server.request({ type: 'window-end' }, 'report');
    const fakeCpu = fake?.request({ type: 'cpu-end' }, 'cpu');
    const client = load.windowEnd();
    const { report } = await reportPromise;
    const level = judge(pipeline, n, report, client, fakeCpu ? (await fakeCpu).pct : null);
    const detail =
      pipeline === 'cascaded'
        ? `turn p95 ${fmt(report.turnAdded.p95)} ms, barge-in p95 ${fmt(report.bargeInDecision.p95)} ms, `
        : '';
    progress(
      `${pipeline} N=${n}: ${detail}CPU ${fmt(report.cpuPct, 0)} %, dropped ${level.dropped}, frame RT p95 ${fmt(level.frameRoundTripP95)} ms${level.ok ? '' : ` — ${level.misses.join('; ')}`}`,
    );
    return { ...level, database: ready.database };
  } finally {
    await load?.stop();
    await server?.stop({ type: 'shutdown' });
    await fake?.stop({ type: 'shutdown' });
  }
}
