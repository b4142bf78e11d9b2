/**
 * Latency and capacity of the Media Streams call path: `npm run bench:calls`.
 *
 * For each N, starts the call server (bench/call-server.ts: the production app with fake STT/brain/TTS at
 * fixed latencies) in a child process, drives N concurrent Twilio Media Streams calls at it from this process
 * (bench/lib/load.ts), measures over a steady-state window, and prints per N: server-added latency per turn,
 * barge-in latency, first-greeting latency, dropped frames, server CPU and memory, event-loop delay and frame
 * latencies; then the largest N meeting the targets. Definitions of every figure: bench/README.md.
 * Here: the run over pipelines and levels. Options: bench/lib/calls-options.ts; one level:
 * bench/lib/run-level.ts; targets and verdicts: bench/lib/targets.ts; output: bench/lib/calls-report.ts.
 *
 *   npm run bench:calls                                   # cascaded, N = 1,50,100,200,250,300,350; ~4½ min
 *   npm run bench:calls -- --n 1,50,150,250 --seconds 15  # a shorter run
 *   npm run -s bench:calls -- --json                      # machine-readable results on stdout
 *   DATABASE_URL=postgresql://… npm run bench:calls       # PostgreSQL instead of in-memory PGlite
 *   PGLITE_THREAD=false npm run bench:calls               # PGlite on the server's event loop (the old way)
 *
 * Options: --n LIST  --seconds S (window, default 20)  --ramp S (default N×25 ms, ≤ 10 s)  --settle S (default 6)
 *   --call-seconds A-B (call length, default 30-90)  --barge-in P (share of replies talked over, default 0.3)
 *   --slots K (timer ticks per 20 ms frame, default 10; 1 = all N frames in one burst)
 *   --late-ms MS (an inbound frame later than this is dropped, default 100)
 *   --pipeline cascaded|realtime|bridge|both|all (default cascaded; realtime = VOICE_PIPELINE=realtime against
 *     the fake Realtime server in load mode, bench/realtime-fake.ts; bridge = a bare pass-through bridge against
 *     the same fake instead of the app, bench/lib/bare-bridge.ts, the reference for the machine's speed on the
 *     day; both = cascaded + realtime; all = bridge + cascaded + realtime, with each pipeline's CPU compared
 *     with the bridge's at the same N)
 *   --cpu-prof (V8 CPU profile of the server's window, one per N, in the OS temp dir)
 *   --server-flags "…" (extra Node flags for the server process, e.g. --experimental-async-context-frame)
 *   --json
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseCallsOptions } from './lib/calls-options.ts';
import { printJson, printReport, progress } from './lib/calls-report.ts';
import { bridgeStatus, realtimeStatus } from './lib/pipelines.ts';
import { runLevel } from './lib/run-level.ts';
import { compareWithBridge, largestMeeting, type Level, type PipelineResult } from './lib/targets.ts';

async function main(): Promise<void> {
  const { pipelines, ns, settings, cpuProf, json } = parseCallsOptions();
  if (Number(process.versions.node.split('.')[0]) < 22)
    progress(`warning: Node ${process.version}; run through npm (npm run bench:calls) to get the repo's Node 22`);
  const profileDir = cpuProf ? mkdtempSync(join(tmpdir(), 'bench-calls-prof-')) : null;
  const started = Date.now();
  const realtime = realtimeStatus();
  const bridge = bridgeStatus();
  const results: PipelineResult[] = [];
  let database = '?';
  for (const pipeline of pipelines) {
    const status = pipeline === 'realtime' ? realtime : pipeline === 'bridge' ? bridge : null;
    if (status && !status.runnable) {
      results.push({ pipeline, status: status.status, levels: [], largestN: null, largestNExclTools: null });
      continue;
    }
    const levels: Level[] = [];
    for (const n of ns) {
      const { database: db, ...level } = await runLevel(pipeline, n, settings, profileDir);
      // The bridge has none: the header names the app's.
      if (pipeline !== 'bridge' || database === '?') database = db;
      levels.push(level);
    }
    results.push({
      pipeline,
      status: status?.status ?? 'measured',
      levels,
      largestN: largestMeeting(levels),
      largestNExclTools: pipeline === 'cascaded' ? largestMeeting(levels, (l) => l.okExclTools) : null,
    });
  }
  const run = {
    machine: `${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB`,
    database,
    settings,
    results,
    vsBridge: compareWithBridge(results),
    realtime: realtime.status,
    profileDir,
  };
  if (json) printJson(run);
  else printReport(run);
  progress(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('bench:calls failed:', err);
    process.exit(1);
  },
);
