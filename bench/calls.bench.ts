/**
 * Latency and capacity of the Media Streams call path: `npm run bench:calls`.
 *
 * For each N, starts the call server (bench/call-server.ts: the production app with fake STT/brain/TTS at
 * fixed latencies) in a child process, drives N concurrent Twilio Media Streams calls at it from this process
 * (bench/lib/load.ts), measures over a steady-state window, and prints per N: server-added latency per turn,
 * barge-in latency, first-greeting latency, dropped frames, server CPU and memory, event-loop delay and frame
 * latencies; then the largest N meeting the targets. Definitions of every figure: bench/README.md.
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
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { LoadGenerator, type ClientReport } from './lib/load.ts';
import type { FromFake, ToFake } from './realtime-fake.ts';
import {
  DEFAULT_FAKES,
  type FromServer,
  type Pipeline,
  type ServerOptions,
  type ServerReport,
  type Summary,
  type ToServer,
} from './lib/shared.ts';

const ROOT = join(import.meta.dirname, '..');

/** The targets of the issue, on this 2-core machine. */
const TARGETS = {
  turnAddedP95Ms: 15,
  bargeInP95Ms: 30,
  droppedFrames: 0,
  cpuPct: 60,
  frameRoundTripP95Ms: 5,
  minCalls: 250,
};

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1,50,100,200,250,300,350' },
    seconds: { type: 'string', default: '20' },
    ramp: { type: 'string' },
    settle: { type: 'string', default: '6' },
    'call-seconds': { type: 'string', default: '30-90' },
    'barge-in': { type: 'string', default: '0.3' },
    slots: { type: 'string', default: '10' },
    'late-ms': { type: 'string', default: '100' },
    pipeline: { type: 'string', default: 'cascaded' },
    'cpu-prof': { type: 'boolean', default: false },
    'server-flags': { type: 'string', default: '' },
    json: { type: 'boolean', default: false },
  },
});

/** Progress goes to stderr, so that `--json` leaves stdout to the results. */
const progress = (line: string): void => void process.stderr.write(`${line}\n`);
/** The report: stdout (text mode only). */
const out = (line = ''): void => {
  if (!args.json) process.stdout.write(`${line}\n`);
};

function number(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min} (got ${value})`);
  return n;
}

function range(name: string, value: string): [number, number] {
  const [a = NaN, b = a] = value.split('-').map((v) => number(name, v, 0));
  return [Math.min(a, b), Math.max(a, b)];
}

// ---- pipelines ----

/**
 * Whether the realtime pipeline (OpenAI Realtime speech-to-speech behind VOICE_PIPELINE=realtime) can be run:
 * its adapter and the fake Realtime server exist, and the Media Streams route hands calls to it.
 */
function realtimeStatus(): { runnable: boolean; status: string } {
  const adapter = 'src/integrations/llm/openai-realtime.ts';
  const fake = 'test/fakes/openai/fake-realtime-server.ts';
  const route = 'src/call-server/media-stream.ws.ts';
  const missing = [adapter, fake].filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) return { runnable: false, status: `not wired yet (${missing.join(' and ')} missing)` };
  const routeText = existsSync(join(ROOT, route)) ? readFileSync(join(ROOT, route), 'utf8') : '';
  if (!/realtime-call\.ts['"]/.test(routeText) || !/VOICE_PIPELINE/.test(routeText)) {
    return {
      runnable: false,
      status: `not wired yet (the adapter and its fake exist, but ${route} does not hand calls to it)`,
    };
  }
  return { runnable: true, status: 'wired (VOICE_PIPELINE=realtime); run it with --pipeline realtime' };
}

/** The bare bridge needs only the fake Realtime server. */
function bridgeStatus(): { runnable: boolean; status: string } {
  const fake = 'test/fakes/openai/fake-realtime-server.ts';
  return existsSync(join(ROOT, fake))
    ? { runnable: true, status: 'measured (bare pass-through bridge, bench/lib/bare-bridge.ts)' }
    : { runnable: false, status: `cannot run (${fake} missing)` };
}

// ---- child processes ----

/** A bench process (call server, fake Realtime server) run with the repo's Node and tsx, talked to over IPC. */
class Child<In extends { type: string }, Out extends { type: string }> {
  readonly exit: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (msg: In) => void>();
  private failure: string | null = null;

  constructor(
    readonly script: string,
    nodeFlags: string[],
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.on('message', (msg: In) => {
      if (msg.type === 'failed') this.failure = (msg as unknown as { message: string }).message;
      this.waiting.get(msg.type)?.(msg);
      this.waiting.delete(msg.type);
    });
  }

  expect<T extends In['type']>(type: T, timeoutMs: number): Promise<Extract<In, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.script}: no "${type}" after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiting.set(type, (msg) => {
        clearTimeout(timer);
        resolve(msg as Extract<In, { type: T }>);
      });
      void this.exit.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.script} exited (${code})${this.failure ? `: ${this.failure}` : ''}`));
      });
    });
  }

  send(msg: Out): void {
    if (this.child.connected) this.child.send(msg);
  }

  request<T extends In['type']>(msg: Out, reply: T): Promise<Extract<In, { type: T }>> {
    const answer = this.expect(reply, 60_000);
    this.send(msg);
    return answer;
  }

  /** Asks it to shut down; kills it if it has not exited within 20 s. */
  async stop(shutdown: Out): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.send(shutdown);
    const exited = await Promise.race([this.exit.then(() => true), sleep(20_000).then(() => false)]);
    if (!exited) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
  }
}

// ---- one level ----

interface Level {
  pipeline: Pipeline;
  n: number;
  server: ServerReport;
  client: ClientReport;
  /** The fake Realtime server's process (realtime and bridge pipelines), % of one core. */
  fakeCpuPct: number | null;
  /**
   * Cascaded: inbound frames late or never handed to the STT + outbound gap frames. Realtime and bridge:
   * caller frames whose echo came late or not at all.
   */
  dropped: number;
  /**
   * Cascaded: p95 of the inbound leg + p95 of the outbound leg (an upper bound of the round trip's p95).
   * Realtime and bridge: p95 of the measured round trip (caller frame sent → its echo received).
   */
  frameRoundTripP95: number;
  rssPerCallMb: number;
  /** (heap used + external after GC at the window's end − the same before the first call) / N. */
  heapPerCallMb: number;
  misses: string[];
  ok: boolean;
  /** Cascaded: the targets met when the turn figure leaves out the time spent in tool calls (see README). */
  okExclTools: boolean;
}

function judge(
  pipeline: Pipeline,
  n: number,
  server: ServerReport,
  client: ClientReport,
  fakeCpuPct: number | null,
): Level {
  const cascaded = pipeline === 'cascaded';
  const dropped = cascaded
    ? server.inbound.late + server.inbound.stuck + client.gapFrames
    : client.echoLate + client.echoMissing;
  const frameRoundTripP95 = cascaded
    ? server.inbound.toRecognizer.p95 + client.outboundLeg.p95
    : client.echoRoundTrip.p95;
  const misses: string[] = [];
  const over = (what: string, value: number, limit: number, strict = false): void => {
    if (Number.isNaN(value)) misses.push(`${what}: no samples`);
    else if (strict ? value >= limit : value > limit) misses.push(`${what} ${value.toFixed(1)} > ${limit}`);
  };
  let turnMissed = false;
  if (cascaded) {
    over('turn p95', server.turnAdded.p95, TARGETS.turnAddedP95Ms);
    turnMissed = misses.length > 0;
    over('barge-in p95', server.bargeInDecision.p95, TARGETS.bargeInP95Ms);
  }
  over('CPU %', server.cpuPct, TARGETS.cpuPct, true);
  over('frame round-trip p95', frameRoundTripP95, TARGETS.frameRoundTripP95Ms);
  if (dropped > TARGETS.droppedFrames) misses.push(`${dropped} dropped frames`);
  if (client.callsActive < n) misses.push(`${client.callsActive}/${n} calls up`);
  if (client.callsFailed) misses.push(`${client.callsFailed} calls failed`);
  if (client.turnsNoReply) misses.push(`${client.turnsNoReply} turns without reply`);
  if (client.bargeInsMissed) misses.push(`${client.bargeInsMissed} barge-ins without clear`);
  const ok = misses.length === 0;
  return {
    pipeline,
    n,
    server,
    client,
    fakeCpuPct,
    dropped,
    frameRoundTripP95,
    rssPerCallMb: (server.rssEndMb - server.rssBaseMb) / n,
    heapPerCallMb: (server.heapEndMb - server.heapBaseMb) / n,
    misses,
    ok,
    okExclTools: cascaded
      ? misses.length === (turnMissed ? 1 : 0) && server.turnAddedExclTools.p95 <= TARGETS.turnAddedP95Ms
      : ok,
  };
}

interface Settings {
  seconds: number;
  rampS: number | null;
  settleS: number;
  callSeconds: [number, number];
  bargeIn: number;
  slots: number;
  lateMs: number;
  serverFlags: string[];
}

async function runLevel(
  pipeline: Pipeline,
  n: number,
  s: Settings,
  profileDir: string | null,
): Promise<Level & { database: string }> {
  // Realtime and bridge: the fake Realtime server (load mode) in its own process; callers send tagged frames.
  const echo = pipeline !== 'cascaded';
  const fake = echo ? new Child<FromFake, ToFake>('bench/realtime-fake.ts', [], {}) : null;
  let server: Child<FromServer, ToServer> | null = null;
  let load: LoadGenerator | null = null;
  try {
    const realtime = fake ? await fake.expect('ready', 60_000) : null;
    const options: ServerOptions = {
      pipeline,
      realtime: realtime ? { url: realtime.url, apiKey: realtime.apiKey } : null,
      fakes: DEFAULT_FAKES,
      authToken: `bench-twilio-token-${Math.random().toString(16).slice(2)}`,
      publicUrl: 'https://voice.bench.test',
      lineNumber: `+1512${200 + Math.floor(Math.random() * 700)}${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`,
      lateMs: s.lateMs,
      calls: n,
      profileDir,
    };
    server = new Child<FromServer, ToServer>('bench/call-server.ts', ['--expose-gc', ...s.serverFlags], {
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

// ---- output ----

function fmt(v: number, digits = 1): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  out(line(header));
  out(`|${widths.map((w) => `${'-'.repeat(w + 1)}:`).join('|')}|`);
  for (const r of rows) out(line(r));
}

const p = (s: Summary, k: 'p50' | 'p95' | 'p99', digits = 1): string => fmt(s[k], digits);

function printCascaded(levels: Level[]): void {
  out('Latency (ms). Turn = final transcript emitted → first reply media written, minus brain 200 + TTS 75 (server);');
  out('  caller = utterance-ending frame sent → first reply audio received, minus STT 100 + brain 200 + TTS 75.');
  out('  Excl. tools = turn minus its tool calls; tool = one ToolRegistry.invoke (listing_info: reads + history row).');
  out('  Barge-in = the caller frame the route decided on was sent → clear written (caller: → clear received).');
  out("  Speech→clear = speechStarted emitted → clear written: includes the barge-in policy's wait for words.");
  out('  Greeting = start sent → first greeting audio received (incl. TTS 75), all calls of the run.');
  table(
    [
      'N',
      'turns',
      'turn p50',
      'p95',
      'p99',
      'caller p95',
      'excl. tools p95',
      'tool p50',
      'p95',
      'barge-ins',
      'barge p50',
      'p95',
      'caller p95',
      'speech→clear p50',
      'p95',
      'greet p50',
      'p95',
    ],
    levels.map((l) => [
      String(l.n),
      String(l.server.turnAdded.n),
      p(l.server.turnAdded, 'p50'),
      p(l.server.turnAdded, 'p95'),
      p(l.server.turnAdded, 'p99'),
      p(l.client.turnAdded, 'p95'),
      p(l.server.turnAddedExclTools, 'p95'),
      p(l.server.toolCalls, 'p50'),
      p(l.server.toolCalls, 'p95'),
      String(l.server.bargeInDecision.n),
      p(l.server.bargeInDecision, 'p50', 2),
      p(l.server.bargeInDecision, 'p95', 2),
      p(l.client.bargeInDecision, 'p95'),
      p(l.server.bargeInFromSpeech, 'p50', 0),
      p(l.server.bargeInFromSpeech, 'p95', 0),
      p(l.client.greeting, 'p50'),
      p(l.client.greeting, 'p95'),
    ]),
  );
  out();
  out('Capacity. CPU = server process (all threads), % of one core; RSS/call = (RSS − RSS base before any call) / N;');
  out('  heap/call = the same for JS heap + external memory, both after a full GC (RSS moves ±100 MB with PGlite).');
  out('  ELD = server event-loop delay p95; load CPU = the load generator process (same machine).');
  out('  In = caller frame sent → fake STT has it; out = agent media written → caller has it; RT = in p95 + out p95.');
  out('  Dropped = inbound frames late (> --late-ms) or never handed to the STT + outbound gap frames.');
  table(
    [
      'N',
      'frames in',
      'dropped',
      'CPU %',
      'RSS base MB',
      'RSS MB',
      'RSS/call MB',
      'heap/call MB',
      'ELD p95',
      'in p95',
      'out p95',
      'RT p95',
      'VAD %',
      'load CPU %',
      'targets',
    ],
    levels.map((l) => [
      String(l.n),
      String(l.server.inbound.frames),
      String(l.dropped),
      fmt(l.server.cpuPct, 0),
      fmt(l.server.rssBaseMb, 0),
      fmt(l.server.rssEndMb, 0),
      fmt(l.rssPerCallMb, 2),
      fmt(l.heapPerCallMb, 2),
      p(l.server.eventLoopDelay, 'p95'),
      p(l.server.inbound.toRecognizer, 'p95', 2),
      p(l.client.outboundLeg, 'p95', 2),
      fmt(l.frameRoundTripP95, 2),
      fmt(l.server.vadPct, 1),
      fmt(l.client.cpuPct, 0),
      l.ok ? 'met' : 'MISSED',
    ]),
  );
}

/** Realtime and bridge pipelines: per-frame echoes through the fake Realtime server. */
function printEcho(pipeline: Pipeline, levels: Level[]): void {
  if (pipeline === 'bridge') {
    out('Bare pass-through bridge in place of the app (bench/lib/bare-bridge.ts: no logic, no session, no database),');
    out('  against the fake Realtime server in load mode (each caller frame comes back as one agent frame).');
  } else {
    out('Realtime pipeline against the fake Realtime server in load mode (each caller frame comes back as one agent');
    out('  frame).');
  }
  out('  RT = caller frame sent → its echo received (measured per frame); in = caller frame sent → the');
  out("  server's message event; out = agent media written → received. Dropped = echoes later than --late-ms or lost.");
  out('  CPU = server process; fake CPU = the fake Realtime server process; load CPU = the load generator.');
  table(
    [
      'N',
      'frames in',
      'echoes',
      'dropped',
      'CPU %',
      'RSS base MB',
      'RSS MB',
      'RSS/call MB',
      'heap/call MB',
      'ELD p95',
      'RT p50',
      'p95',
      'p99',
      'in p95',
      'out p95',
      'greet p50',
      'fake CPU %',
      'load CPU %',
      'targets',
    ],
    levels.map((l) => [
      String(l.n),
      String(l.server.inbound.frames),
      String(l.client.echoRoundTrip.n),
      String(l.dropped),
      fmt(l.server.cpuPct, 0),
      fmt(l.server.rssBaseMb, 0),
      fmt(l.server.rssEndMb, 0),
      fmt(l.rssPerCallMb, 2),
      fmt(l.heapPerCallMb, 2),
      p(l.server.eventLoopDelay, 'p95'),
      p(l.client.echoRoundTrip, 'p50', 2),
      p(l.client.echoRoundTrip, 'p95', 2),
      p(l.client.echoRoundTrip, 'p99', 2),
      p(l.server.inbound.toMessageEvent, 'p95', 2),
      p(l.client.outboundLeg, 'p95', 2),
      p(l.client.greeting, 'p50'),
      fmt(l.fakeCpuPct ?? NaN, 0),
      fmt(l.client.cpuPct, 0),
      l.ok ? 'met' : 'MISSED',
    ]),
  );
}

/** One pipeline's server CPU at an N against the bare bridge's at the same N (same run). */
interface VsBridge {
  pipeline: Pipeline;
  n: number;
  /** Server CPU per call, % of one core. */
  cpuPerCallPct: number;
  bridgeCpuPerCallPct: number;
  /** cpuPerCallPct / bridgeCpuPerCallPct (= the ratio of the CPU % at the same N). */
  cpuRatio: number;
  frameRoundTripP95: number;
  bridgeFrameRoundTripP95: number;
}

function compareWithBridge(results: PipelineResult[]): VsBridge[] {
  const bridge = results.find((r) => r.pipeline === 'bridge');
  if (!bridge?.levels.length) return [];
  const rows: VsBridge[] = [];
  for (const r of results) {
    if (r.pipeline === 'bridge') continue;
    for (const l of r.levels) {
      const b = bridge.levels.find((x) => x.n === l.n);
      if (!b) continue;
      rows.push({
        pipeline: r.pipeline,
        n: l.n,
        cpuPerCallPct: l.server.cpuPct / l.n,
        bridgeCpuPerCallPct: b.server.cpuPct / b.n,
        cpuRatio: l.server.cpuPct / b.server.cpuPct,
        frameRoundTripP95: l.frameRoundTripP95,
        bridgeFrameRoundTripP95: b.frameRoundTripP95,
      });
    }
  }
  return rows;
}

/** The largest N such that it and every smaller N tested meet the targets. */
function largestMeeting(levels: Level[], ok: (l: Level) => boolean = (l) => l.ok): number | null {
  let best: number | null = null;
  for (const l of [...levels].sort((a, b) => a.n - b.n)) {
    if (!ok(l)) break;
    best = l.n;
  }
  return best;
}

// ---- main ----

interface PipelineResult {
  pipeline: Pipeline;
  status: string;
  levels: Level[];
  largestN: number | null;
  /** Cascaded: the same with the turn figure excluding tool-call time (diagnostic). */
  largestNExclTools: number | null;
}

async function main(): Promise<void> {
  const choices: Record<string, Pipeline[]> = {
    cascaded: ['cascaded'],
    realtime: ['realtime'],
    bridge: ['bridge'],
    both: ['cascaded', 'realtime'],
    all: ['bridge', 'cascaded', 'realtime'],
  };
  const pipelines = Object.hasOwn(choices, args.pipeline!) ? choices[args.pipeline!]! : null;
  if (!pipelines) throw new Error('--pipeline must be cascaded, realtime, bridge, both or all');
  const ns = args
    .n!.split(',')
    .map((v) => number('n', v.trim(), 1))
    .map(Math.round);
  const settings: Settings = {
    seconds: number('seconds', args.seconds, 1),
    rampS: args.ramp === undefined ? null : number('ramp', args.ramp, 0),
    settleS: number('settle', args.settle, 0),
    callSeconds: range('call-seconds', args['call-seconds']!),
    bargeIn: number('barge-in', args['barge-in'], 0),
    slots: Math.round(number('slots', args.slots, 1)),
    lateMs: number('late-ms', args['late-ms'], 1),
    serverFlags: args['server-flags']!.split(/\s+/).filter(Boolean),
  };
  if (Number(process.versions.node.split('.')[0]) < 22)
    progress(`warning: Node ${process.version}; run through npm (npm run bench:calls) to get the repo's Node 22`);
  const profileDir = args['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'bench-calls-prof-')) : null;
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
  const vsBridge = compareWithBridge(results);
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB`;

  if (args.json) {
    const json = {
      date: new Date().toISOString(),
      machine,
      node: process.version,
      database,
      fakes: DEFAULT_FAKES,
      settings,
      targets: TARGETS,
      pipelines: results,
      vsBridge,
      realtime: realtime.status,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    out();
    out(
      `bench:calls — ${new Date().toISOString().slice(0, 10)}; ${machine}; node ${process.version}; ${database}; window ${settings.seconds} s per N`,
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
      else printEcho(r.pipeline, r.levels);
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
    if (!pipelines.includes('realtime')) out(`\nrealtime pipeline: ${realtime.status}`);
    if (profileDir) out(`CPU profiles of the server: ${profileDir}`);
  }
  progress(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('bench:calls failed:', err);
    process.exit(1);
  },
);
