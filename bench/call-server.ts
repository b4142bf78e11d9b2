/**
 * The call server of `npm run bench:calls`, in a process of its own so that its CPU and memory are measured
 * alone. Started by bench/calls.bench.ts (which talks to it over the IPC channel; options in the env var
 * BENCH_CALL_SERVER): the production app (buildContext + buildApp, Media Streams transport) with fake speech
 * and the local brain at fixed latencies, one agent line with the demo listings, in-memory PGlite (or
 * PostgreSQL when DATABASE_URL is set), logs silent; or, with the `bridge` pipeline, the bare pass-through
 * bridge of bench/lib/bare-bridge.ts instead (the app's modules are then not even loaded). Measuring points:
 * bench/lib/instrumentation.ts.
 *
 * Protocol: → {ready, port}; ← window-start → {window-started}; ← window-end → {report}; ← shutdown.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { buildBareBridge } from './lib/bare-bridge.ts';
import { InstrumentedStt, Probes, withFirstTokenLatency } from './lib/instrumentation.ts';
import {
  ELD_RESOLUTION_MS,
  eventLoopDelay,
  mono,
  type FromServer,
  type ServerOptions,
  type ServerReport,
  type ToServer,
} from './lib/shared.ts';

const MB = 1024 * 1024;

function tell(msg: FromServer): void {
  process.send?.(msg);
}

/** What the process serves: the app (cascaded, realtime) or the bare bridge. */
interface Served {
  app: FastifyInstance;
  database: string;
  listings: number;
  /** Live calls (sessions, or the bridge's open streams). */
  sessions(): number;
  close(): Promise<void>;
}

/** The production app with the fakes (cascaded and realtime pipelines). */
async function serveApp(opts: ServerOptions, probes: Probes): Promise<Served> {
  // Loaded here, so that the bare bridge's process holds none of it.
  const [{ loadConfig }, { buildApp }, { createLogger }, { seedListings }, { buildContext }] = await Promise.all([
    import('../src/config.ts'),
    import('../src/http/app.ts'),
    import('../src/log.ts'),
    import('../src/seed/demo.ts'),
    import('../src/services.ts'),
  ]);
  const [{ FakeSpeechToText }, { FakeTextToSpeech }, { localReceptionistBrain }, { warmUp }] = await Promise.all([
    import('../src/voice/fakes/fake-stt.ts'),
    import('../src/voice/fakes/fake-tts.ts'),
    import('../src/voice/local-brain/receptionist-brain.ts'),
    import('./lib/warmup.ts'),
  ]);
  const { fakes } = opts;
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    PGLITE_THREAD: process.env.PGLITE_THREAD,
    PGLITE_DIR: ':memory:',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    JOBS_ENABLED: 'false',
    TWILIO_AUTH_TOKEN: opts.authToken,
    PUBLIC_URL: opts.publicUrl,
    VOICE_TRANSPORT: 'media-stream',
    // No "are you still there?" and no wrap-up while the bench runs.
    CALL_SILENCE_MS: '120000',
    CALL_MAX_DURATION_S: '3600',
    CALL_SPEECH_MS_PER_WORD: String(fakes.ttsMsPerWord),
    // The realtime pipeline talks to the fake Realtime server (load mode) the parent started.
    VOICE_PIPELINE: opts.pipeline,
    ...(opts.realtime ? { OPENAI_API_KEY: opts.realtime.apiKey, OPENAI_REALTIME_URL: opts.realtime.url } : {}),
  });
  const log = createLogger({ level: 'silent' });
  const stt = new InstrumentedStt(
    new FakeSpeechToText({ latencyMs: fakes.sttLatencyMs, startMs: fakes.sttStartMs, stopMs: fakes.sttStopMs }),
    probes,
  );
  const tts = new FakeTextToSpeech({ firstByteMs: fakes.ttsFirstByteMs, msPerWord: fakes.ttsMsPerWord });
  const ctx = await buildContext(config, log, {
    jobs: false,
    brainFactory: withFirstTokenLatency(localReceptionistBrain, fakes.brainFirstTokenMs),
    speech: { stt, tts },
  });
  // Tool calls on a turn's path (their time is server work, but on PGlite it is mostly the database's).
  const invoke = ctx.tools.invoke.bind(ctx.tools);
  ctx.tools.invoke = async (name, input, options) => {
    const at = mono();
    try {
      return await invoke(name, input, options);
    } finally {
      probes.tool(options.sessionId, mono() - at);
    }
  };
  let app: FastifyInstance | null = null;
  const close = async (): Promise<void> => {
    await app?.close().catch(() => undefined);
    await ctx.close().catch(() => undefined);
  };
  try {
    const tag = randomBytes(4).toString('hex');
    const { agent } = await ctx.services.agents.create(ctx.orm.em.fork(), {
      name: 'Dana Bench',
      email: `bench-calls-${tag}@bench.example.com`,
      brokerageName: 'Lone Star Bench Realty',
      timezone: 'America/Chicago',
      mobilePhone: '+15125550147',
      lineNumbers: [opts.lineNumber],
    });
    const listings = await seedListings(ctx, agent.id);
    if (opts.pipeline === 'cascaded') await warmUp(ctx, opts.lineNumber);
    app = await buildApp(ctx);
    const [version] = await ctx.orm.em
      .fork()
      .getConnection()
      .execute<{ v: string }[]>("select current_setting('server_version') as v");
    const pglite = `PGlite (in-memory, ${config.PGLITE_THREAD ? 'own thread' : 'on the event loop'})`;
    const database = `${config.DATABASE_URL ? 'PostgreSQL' : pglite} ${version?.v ?? '?'}`;
    return { app, database, listings, sessions: () => ctx.calls.active, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The bare pass-through bridge (bridge pipeline): no app, no database. */
async function serveBridge(opts: ServerOptions): Promise<Served> {
  if (!opts.realtime) throw new Error('the bridge pipeline needs the fake Realtime server');
  const bridge = await buildBareBridge({
    authToken: opts.authToken,
    publicUrl: opts.publicUrl,
    realtime: opts.realtime,
  });
  return {
    app: bridge.app,
    database: 'no database (bare bridge)',
    listings: 0,
    sessions: bridge.active,
    close: () => bridge.app.close().catch(() => undefined),
  };
}

async function main(): Promise<void> {
  if (!process.send)
    throw new Error('bench/call-server.ts is started by bench/calls.bench.ts (it needs an IPC channel)');
  const opts = JSON.parse(process.env.BENCH_CALL_SERVER ?? '') as ServerOptions;
  const { fakes } = opts;
  // Caller frames are paired with the recognizer's pushes only on the cascaded pipeline (the others have none).
  const probes = new Probes(fakes.brainFirstTokenMs + fakes.ttsFirstByteMs, opts.lateMs, opts.pipeline === 'cascaded');
  let served: Served | null = null;
  const shutdown = async (): Promise<void> => {
    await served?.close();
    process.exit(0);
  };
  process.on('disconnect', () => void shutdown());
  const server = opts.pipeline === 'bridge' ? await serveBridge(opts) : await serveApp(opts, probes);
  served = server;
  const { app, database, listings } = server;
  await app.ready();
  app.websocketServer.on('connection', (socket) => probes.attach(socket));
  await app.listen({ host: '127.0.0.1', port: 0 });

  // RSS before and after are both taken right after a full GC (the server runs with --expose-gc), so that
  // garbage waiting to be collected does not count as memory per call.
  const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
  gc();
  const memBase = process.memoryUsage();
  const rssBase = memBase.rss;
  const heapBase = memBase.heapUsed + memBase.external;
  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  let window: { at: number; cpu: NodeJS.CpuUsage; rssMax: number; sampler: NodeJS.Timeout } | null = null;

  // --cpu-prof: a V8 CPU profile of the measurement window only (not of start-up, warm-up and ramp).
  const profiler = opts.profileDir ? new Session() : null;
  profiler?.connect();
  await profiler?.post('Profiler.enable');

  process.on('message', (msg: ToServer) => {
    void onMessage(msg);
  });
  const onMessage = async (msg: ToServer): Promise<void> => {
    if (msg.type === 'window-start') {
      await profiler?.post('Profiler.start');
      probes.reset();
      probes.recording = true;
      eld.reset();
      eld.enable();
      const sampler = setInterval(() => {
        if (window) window.rssMax = Math.max(window.rssMax, process.memoryUsage().rss);
      }, 1_000);
      window = { at: mono(), cpu: process.cpuUsage(), rssMax: process.memoryUsage().rss, sampler };
      tell({ type: 'window-started' });
    } else if (msg.type === 'window-end' && window) {
      const cpu = process.cpuUsage(window.cpu);
      const wallMs = mono() - window.at;
      if (profiler && opts.profileDir) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(join(opts.profileDir, `call-server-${opts.calls}.cpuprofile`), JSON.stringify(profile));
      }
      probes.recording = false;
      eld.disable();
      clearInterval(window.sampler);
      gc();
      const mem = process.memoryUsage();
      const stuck = probes.stuck();
      const report: ServerReport = {
        wallMs,
        cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        rssBaseMb: rssBase / MB,
        rssEndMb: mem.rss / MB,
        rssMaxMb: Math.max(window.rssMax, mem.rss) / MB,
        heapUsedMb: mem.heapUsed / MB,
        heapBaseMb: heapBase / MB,
        heapEndMb: (mem.heapUsed + mem.external) / MB,
        eventLoopDelay: eventLoopDelay(eld),
        sessions: server.sessions(),
        turnAdded: probes.turnAdded.summary(),
        turnAddedExclTools: probes.turnAddedExclTools.summary(),
        toolCalls: probes.toolCalls.summary(),
        turnAddedBySaying: Object.fromEntries(
          [...probes.turnAddedBySaying].map(([saying, samples]) => [saying, samples.summary()]),
        ),
        turnsOverlapped: probes.turnsOverlapped,
        turnsUnanswered: probes.turnsUnanswered,
        bargeInDecision: probes.bargeInDecision.summary(),
        bargeInFromSpeech: probes.bargeInFromSpeech.summary(),
        greeting: probes.greeting.summary(),
        inbound: {
          frames: probes.inFrames,
          toRecognizer: probes.toRecognizer.summary(),
          toMessageEvent: probes.toMessageEvent.summary(),
          routeProcessing: probes.routeProcessing.summary(),
          late: probes.late,
          stuck,
        },
        vadMs: probes.vadMs,
        vadPct: (probes.vadMs / wallMs) * 100,
        outboundMedia: probes.outboundMedia,
        clears: probes.clears,
      };
      window = null;
      tell({ type: 'report', report });
    } else if (msg.type === 'shutdown') {
      await shutdown();
    }
  };
  tell({
    type: 'ready',
    port: (app.server.address() as { port: number }).port,
    database,
    node: process.version,
    listings,
  });
}

main().catch((err: unknown) => {
  tell({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  console.error('call server failed:', err);
  process.exit(1);
});
