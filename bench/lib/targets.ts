/**
 * The call benchmark's verdicts: the targets, one level (a pipeline at one N) judged against them, the
 * largest N meeting them, and each pipeline's server CPU against the bare bridge's at the same N.
 */
import type { ClientReport } from './load.ts';
import type { Pipeline, ServerReport } from './shared.ts';

/** The targets of the issue, on this 2-core machine. */
export const TARGETS = {
  turnAddedP95Ms: 15,
  bargeInP95Ms: 30,
  droppedFrames: 0,
  cpuPct: 60,
  frameRoundTripP95Ms: 5,
  minCalls: 250,
};

/** One pipeline at one N: both sides' reports, the figures derived from them, and the verdict. */
export interface Level {
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

export function judge(
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

/** The largest N such that it and every smaller N tested meet the targets. */
export function largestMeeting(levels: Level[], ok: (l: Level) => boolean = (l) => l.ok): number | null {
  let best: number | null = null;
  for (const l of [...levels].sort((a, b) => a.n - b.n)) {
    if (!ok(l)) break;
    best = l.n;
  }
  return best;
}

export interface PipelineResult {
  pipeline: Pipeline;
  status: string;
  levels: Level[];
  largestN: number | null;
  /** Cascaded: the same with the turn figure excluding tool-call time (diagnostic). */
  largestNExclTools: number | null;
}

/** One pipeline's server CPU at an N against the bare bridge's at the same N (same run). */
export interface VsBridge {
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

export function compareWithBridge(results: PipelineResult[]): VsBridge[] {
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
