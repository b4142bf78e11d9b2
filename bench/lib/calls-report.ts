/**
 * What `npm run bench:calls` prints: progress lines on stderr, and on stdout either the text report (the settings,
 * per pipeline a table per kind of figure with the targets' verdicts, the comparison with the bare bridge) or,
 * with `--json`, the whole results.
 */
import type { Settings } from './calls-options.ts';
import { DEFAULT_FAKES, type Summary } from './shared.ts';
import { TARGETS, type Level, type PipelineResult, type VsBridge } from './targets.ts';

/** Everything a run found, as reported. */
export interface RunResults {
  /** Cores, CPU model and memory of this machine. */
  machine: string;
  database: string;
  settings: Settings;
  results: PipelineResult[];
  vsBridge: VsBridge[];
  /** Whether the realtime pipeline is wired (PipelineStatus.status). */
  realtime: string;
  /** Where the server's CPU profiles went (--cpu-prof). */
  profileDir: string | null;
}

/** Progress goes to stderr, so that `--json` leaves stdout to the results. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

const out = (line = ''): void => void process.stdout.write(`${line}\n`);

export function fmt(v: number, digits = 1): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

// ---- tables ----

/** A table column: its header, and its cell for a level. */
type Column = [header: string, cell: (l: Level) => string];

const count = (header: string, value: (l: Level) => number): Column => [header, (l) => String(value(l))];
const percentile = (header: string, summary: (l: Level) => Summary, k: 'p50' | 'p95' | 'p99', digits = 1): Column => [
  header,
  (l) => fmt(summary(l)[k], digits),
];

const N = count('N', (l) => l.n);
const FRAMES_IN = count('frames in', (l) => l.server.inbound.frames);
const DROPPED = count('dropped', (l) => l.dropped);
/** The server's CPU, memory and event-loop delay: the same in every pipeline's table. */
const SERVER_RESOURCES: Column[] = [
  ['CPU %', (l) => fmt(l.server.cpuPct, 0)],
  ['RSS base MB', (l) => fmt(l.server.rssBaseMb, 0)],
  ['RSS MB', (l) => fmt(l.server.rssEndMb, 0)],
  ['RSS/call MB', (l) => fmt(l.rssPerCallMb, 2)],
  ['heap/call MB', (l) => fmt(l.heapPerCallMb, 2)],
  percentile('ELD p95', (l) => l.server.eventLoopDelay, 'p95'),
];
const OUT_P95 = percentile('out p95', (l) => l.client.outboundLeg, 'p95', 2);
const LOAD_CPU: Column = ['load CPU %', (l) => fmt(l.client.cpuPct, 0)];
const VERDICT: Column = ['targets', (l) => (l.ok ? 'met' : 'MISSED')];

const CASCADED_LATENCY: Column[] = [
  N,
  count('turns', (l) => l.server.turnAdded.n),
  percentile('turn p50', (l) => l.server.turnAdded, 'p50'),
  percentile('p95', (l) => l.server.turnAdded, 'p95'),
  percentile('p99', (l) => l.server.turnAdded, 'p99'),
  percentile('caller p95', (l) => l.client.turnAdded, 'p95'),
  percentile('excl. tools p95', (l) => l.server.turnAddedExclTools, 'p95'),
  percentile('tool p50', (l) => l.server.toolCalls, 'p50'),
  percentile('p95', (l) => l.server.toolCalls, 'p95'),
  count('barge-ins', (l) => l.server.bargeInDecision.n),
  percentile('barge p50', (l) => l.server.bargeInDecision, 'p50', 2),
  percentile('p95', (l) => l.server.bargeInDecision, 'p95', 2),
  percentile('caller p95', (l) => l.client.bargeInDecision, 'p95'),
  percentile('speech→clear p50', (l) => l.server.bargeInFromSpeech, 'p50', 0),
  percentile('p95', (l) => l.server.bargeInFromSpeech, 'p95', 0),
  percentile('greet p50', (l) => l.client.greeting, 'p50'),
  percentile('p95', (l) => l.client.greeting, 'p95'),
];

const CASCADED_CAPACITY: Column[] = [
  N,
  FRAMES_IN,
  DROPPED,
  ...SERVER_RESOURCES,
  percentile('in p95', (l) => l.server.inbound.toRecognizer, 'p95', 2),
  OUT_P95,
  ['RT p95', (l) => fmt(l.frameRoundTripP95, 2)],
  ['VAD %', (l) => fmt(l.server.vadPct, 1)],
  LOAD_CPU,
  VERDICT,
];

/** Realtime and bridge pipelines: per-frame echoes through the fake Realtime server. */
const ECHO: Column[] = [
  N,
  FRAMES_IN,
  count('echoes', (l) => l.client.echoRoundTrip.n),
  DROPPED,
  ...SERVER_RESOURCES,
  percentile('RT p50', (l) => l.client.echoRoundTrip, 'p50', 2),
  percentile('p95', (l) => l.client.echoRoundTrip, 'p95', 2),
  percentile('p99', (l) => l.client.echoRoundTrip, 'p99', 2),
  percentile('in p95', (l) => l.server.inbound.toMessageEvent, 'p95', 2),
  OUT_P95,
  percentile('greet p50', (l) => l.client.greeting, 'p50'),
  ['fake CPU %', (l) => fmt(l.fakeCpuPct ?? NaN, 0)],
  LOAD_CPU,
  VERDICT,
];

/** A Markdown table, right-aligned, one row per level. */
function table(columns: Column[], levels: Level[]): void {
  const header = columns.map(([h]) => h);
  const rows = levels.map((l) => columns.map(([, cell]) => cell(l)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  out(line(header));
  out(`|${widths.map((w) => `${'-'.repeat(w + 1)}:`).join('|')}|`);
  for (const r of rows) out(line(r));
}

function printCascaded(levels: Level[]): void {
  out('Latency (ms). Turn = final transcript emitted → first reply media written, minus brain 200 + TTS 75 (server);');
  out('  caller = utterance-ending frame sent → first reply audio received, minus STT 100 + brain 200 + TTS 75.');
  out('  Excl. tools = turn minus its tool calls; tool = one ToolRegistry.invoke (listing_info: reads + history row).');
  out('  Barge-in = the caller frame the route decided on was sent → clear written (caller: → clear received).');
  out("  Speech→clear = speechStarted emitted → clear written: includes the barge-in policy's wait for words.");
  out('  Greeting = start sent → first greeting audio received (incl. TTS 75), all calls of the run.');
  table(CASCADED_LATENCY, levels);
  out();
  out('Capacity. CPU = server process (all threads), % of one core; RSS/call = (RSS − RSS base before any call) / N;');
  out('  heap/call = the same for JS heap + external memory, both after a full GC (RSS moves ±100 MB with PGlite).');
  out('  ELD = server event-loop delay p95; load CPU = the load generator process (same machine).');
  out('  In = caller frame sent → fake STT has it; out = agent media written → caller has it; RT = in p95 + out p95.');
  out('  Dropped = inbound frames late (> --late-ms) or never handed to the STT + outbound gap frames.');
  table(CASCADED_CAPACITY, levels);
}

function printEcho(bridge: boolean, levels: Level[]): void {
  if (bridge) {
    out('Bare pass-through bridge in place of the app (bench/lib/bare-bridge.ts: no logic, no session, no database),');
    out('  against the fake Realtime server in load mode (each caller frame comes back as one agent frame).');
  } else {
    out('Realtime pipeline against the fake Realtime server in load mode (each caller frame comes back as one agent');
    out('  frame).');
  }
  out('  RT = caller frame sent → its echo received (measured per frame); in = caller frame sent → the');
  out("  server's message event; out = agent media written → received. Dropped = echoes later than --late-ms or lost.");
  out('  CPU = server process; fake CPU = the fake Realtime server process; load CPU = the load generator.');
  table(ECHO, levels);
}

// ---- the report ----

export function printReport(run: RunResults): void {
  const { settings, results, vsBridge } = run;
  out();
  out(
    `bench:calls — ${new Date().toISOString().slice(0, 10)}; ${run.machine}; node ${process.version}; ${run.database}; window ${settings.seconds} s per N`,
  );
  out(
    `fakes: STT ${DEFAULT_FAKES.sttLatencyMs} ms, brain first token ${DEFAULT_FAKES.brainFirstTokenMs} ms, TTS first byte ${DEFAULT_FAKES.ttsFirstByteMs} ms`,
  );
  out(
    `targets: turn p95 ≤ ${TARGETS.turnAddedP95Ms} ms, barge-in p95 ≤ ${TARGETS.bargeInP95Ms} ms, ${TARGETS.droppedFrames} dropped frames, CPU < ${TARGETS.cpuPct} % of one core, frame round-trip p95 ≤ ${TARGETS.frameRoundTripP95Ms} ms; required: ≥ ${TARGETS.minCalls} calls`,
  );
  for (const r of results) {
    out();
    out(`== ${r.pipeline} pipeline ==`);
    if (!r.levels.length) {
      out(`${r.pipeline} pipeline: ${r.status}`);
      continue;
    }
    if (r.pipeline === 'cascaded') printCascaded(r.levels);
    else printEcho(r.pipeline === 'bridge', r.levels);
    out();
    for (const l of r.levels.filter((x) => !x.ok)) out(`N=${l.n} missed: ${l.misses.join('; ')}`);
    out(`${r.pipeline}: largest N meeting the targets: ${r.largestN ?? 'none'}`);
    if (r.pipeline === 'cascaded')
      out(
        `${r.pipeline}: largest N meeting them with the turn figure excluding tool-call time: ${r.largestNExclTools ?? 'none'} (diagnostic)`,
      );
  }
  if (vsBridge.length) {
    out();
    out("Against the bare bridge (same run, same N): server CPU per call ÷ the bridge's; frame round-trip p95s.");
    for (const c of vsBridge)
      out(
        `${c.pipeline} N=${c.n}: ${fmt(c.cpuRatio, 2)}× the bridge's CPU (${fmt(c.cpuPerCallPct, 3)} vs ${fmt(c.bridgeCpuPerCallPct, 3)} % of a core per call); RT p95 ${fmt(c.frameRoundTripP95, 2)} vs ${fmt(c.bridgeFrameRoundTripP95, 2)} ms`,
      );
  }
  if (!results.some((r) => r.pipeline === 'realtime')) out(`\nrealtime pipeline: ${run.realtime}`);
  if (run.profileDir) out(`CPU profiles of the server: ${run.profileDir}`);
}

export function printJson(run: RunResults): void {
  const json = {
    date: new Date().toISOString(),
    machine: run.machine,
    node: process.version,
    database: run.database,
    fakes: DEFAULT_FAKES,
    settings: run.settings,
    targets: TARGETS,
    pipelines: run.results,
    vsBridge: run.vsBridge,
    realtime: run.realtime,
  };
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
}
