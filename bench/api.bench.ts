/**
 * API latency benchmark: builds the service in-process exactly as production does (config →
 * logger → context with migrations → Fastify app), seeds 100,000 properties for one agent with
 * bulk SQL, then measures the full HTTP stack through `app.inject` (routing, auth, zod
 * validation, ORM, serialisation).
 *
 *   npm run bench:api                                    # embedded PGlite (in memory)
 *   DATABASE_URL=postgresql://… npm run bench:api        # PostgreSQL (use a scratch database)
 *
 * Optional env knobs: BENCH_ROWS (default 100000), BENCH_SEED (PRNG seed, default 42).
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { createLogger } from '../src/log.ts';
import { buildContext, type AppContext } from '../src/services.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const BATCH = 2_000;
const GET_N = 2_000;
const LIST_N = 1_000;
const CREATE_N = 1_000;
const SERVICE_GET_N = 2_000;
const WARMUP_N = 200;

const CITIES = [
  'Austin',
  'Dallas',
  'Houston',
  'San Antonio',
  'Fort Worth',
  'El Paso',
  'Arlington',
  'Plano',
  'Corpus Christi',
  'Lubbock',
  'Laredo',
  'Irving',
  'Garland',
  'Frisco',
  'McKinney',
  'Amarillo',
  'Grand Prairie',
  'Brownsville',
  'Killeen',
  'Round Rock',
] as const;
const STATUSES = ['new_property', 'enriched', 'researched', 'waiting_for_contracts', 'complete'] as const;
const STATUS_WEIGHTS = [35, 25, 20, 12, 8];
const TYPES = ['house', 'apartment', 'condo', 'townhouse', 'land', 'commercial'] as const;
const TYPE_WEIGHTS = [50, 15, 15, 12, 5, 3];
const DEAL_TYPES = [
  'traditional',
  'short_sale',
  'reo',
  'fsbo',
  'new_construction',
  'wholesale',
  'rental',
  'commercial',
] as const;
const DEAL_WEIGHTS = [50, 5, 5, 10, 8, 7, 10, 5];
const STREETS = ['Elm', 'Oak', 'Maple', 'Cedar', 'Pine', 'Main', 'Park', 'Lake', 'Hill', 'Bench'] as const;
const SUFFIXES = ['St', 'Ave', 'Dr', 'Ln', 'Rd', 'Ct', 'Blvd', 'Way'] as const;

/* ---------- deterministic PRNG (mulberry32) so runs are comparable ---------- */
let prngState = Number(process.env.BENCH_SEED ?? 42) >>> 0;
function rand(): number {
  prngState = (prngState + 0x6d2b79f5) >>> 0;
  let t = prngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}
function pickWeighted<T>(xs: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rand() * total;
  for (let i = 0; i < xs.length; i++) {
    r -= weights[i]!;
    if (r < 0) return xs[i]!;
  }
  return xs[xs.length - 1]!;
}
/** Log-uniform price between 100k and 2M, rounded to 1,000. */
const randPrice = (): number => Math.round((100_000 * Math.exp(rand() * Math.log(20))) / 1000) * 1000;

/* ---------- stats ---------- */
interface Result {
  name: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  rps: number;
}

function summarise(name: string, samplesNs: bigint[], wallNs: bigint): Result {
  const ms = samplesNs.map((x) => Number(x) / 1e6).sort((a, b) => a - b);
  const q = (p: number): number => ms[Math.min(ms.length - 1, Math.max(0, Math.ceil(p * ms.length) - 1))]!;
  return {
    name,
    n: ms.length,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: ms[ms.length - 1]!,
    mean: ms.reduce((a, b) => a + b, 0) / ms.length,
    rps: ms.length / (Number(wallNs) / 1e9),
  };
}

function printTable(rows: Result[]): void {
  const header = ['scenario', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms', 'req/s'];
  const body = rows.map((r) => [
    r.name,
    String(r.n),
    r.p50.toFixed(2),
    r.p95.toFixed(2),
    r.p99.toFixed(2),
    r.max.toFixed(2),
    r.mean.toFixed(2),
    r.rps.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  console.log(line(header));
  console.log(
    '|' + widths.map((w, i) => (i === 0 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|') + '|',
  );
  for (const b of body) console.log(line(b));
}

/** Runs `n` sequential operations; each must resolve (a failure aborts the benchmark). */
async function measure(name: string, n: number, op: (i: number) => Promise<void>): Promise<Result> {
  const samples: bigint[] = new Array<bigint>(n);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    samples[i] = process.hrtime.bigint() - t0;
  }
  return summarise(name, samples, process.hrtime.bigint() - start);
}

function expectStatus(res: { statusCode: number; body: string }, expected: number, what: string): void {
  if (res.statusCode !== expected) {
    throw new Error(`${what}: expected HTTP ${expected}, got ${res.statusCode}: ${res.body.slice(0, 500)}`);
  }
}

/* ---------- seeding ---------- */
async function seed(ctx: AppContext, agentId: number): Promise<number> {
  const conn = ctx.orm.em.fork().getConnection();
  const cols = [
    'agent_id',
    'address',
    'address_key',
    'city',
    'state',
    'zip_code',
    'price',
    'bedrooms',
    'bathrooms',
    'square_feet',
    'lot_size',
    'year_built',
    'property_type',
    'status',
    'deal_type',
    'stage_entered_at',
    'created_at',
    'updated_at',
  ];
  const placeholders = `(${cols.map(() => '?').join(',')})`;
  const now = Date.now();
  const YEAR_MS = 365 * 86_400_000;
  const t0 = process.hrtime.bigint();
  for (let start = 0; start < ROWS; start += BATCH) {
    const count = Math.min(BATCH, ROWS - start);
    const params: unknown[] = [];
    for (let k = 0; k < count; k++) {
      const n = start + k + 1;
      const city = pick(CITIES);
      const street = `${pick(STREETS)} ${pick(SUFFIXES)}`;
      const address = `${n} ${street}`;
      const type = pickWeighted(TYPES, TYPE_WEIGHTS);
      const land = type === 'land';
      const beds =
        land || type === 'commercial'
          ? null
          : Math.min(6, Math.max(0, Math.round(3 + (rand() + rand() + rand() - 1.5) * 2.2)));
      const baths = beds === null ? null : Math.max(1, beds - randInt(0, 2) + (rand() < 0.5 ? 0.5 : 0));
      const createdAt = now - Math.floor(rand() * YEAR_MS);
      const updatedAt = createdAt + Math.floor(rand() * (now - createdAt));
      const stageAt = createdAt + Math.floor(rand() * (updatedAt - createdAt));
      params.push(
        agentId,
        address,
        `${n} bench ${street.toLowerCase()}|${city.toLowerCase()}|tx`,
        city,
        'TX',
        String(75000 + randInt(0, 4999)),
        rand() < 0.02 ? null : randPrice(), // a few listings without a price yet
        beds,
        baths,
        land ? null : randInt(450, 6500),
        rand() < 0.3 ? null : Math.round(rand() * 200) / 100,
        land ? null : randInt(1900, 2025),
        type,
        pickWeighted(STATUSES, STATUS_WEIGHTS),
        rand() < 0.2 ? null : pickWeighted(DEAL_TYPES, DEAL_WEIGHTS),
        new Date(stageAt),
        new Date(createdAt),
        new Date(updatedAt),
      );
    }
    const values = new Array<string>(count).fill(placeholders).join(',');
    await conn.execute(`insert into "properties" (${cols.map((c) => `"${c}"`).join(',')}) values ${values}`, params);
  }
  // After a bulk load autovacuum would set the visibility map; do it now so counts stay index-only.
  await conn.execute('vacuum analyze "properties"');
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/* ---------- main ---------- */
async function main(): Promise<void> {
  const wallStart = process.hrtime.bigint();
  const env: Record<string, string | undefined> = process.env.DATABASE_URL
    ? { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }
    : { PGLITE_DIR: ':memory:', LOG_LEVEL: 'silent', SEED_DEMO: 'false' };
  const config = loadConfig(env);
  const log = createLogger({ level: config.LOG_LEVEL, showPii: config.LOG_PII });
  const ctx = await buildContext(config, log, { jobs: false });
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp(ctx);
    await app.ready();
    const kind = config.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in-memory)';
    const [ver] = await ctx.orm.em
      .fork()
      .getConnection()
      .execute<{ v: string }[]>("select current_setting('server_version') as v");
    console.log(
      `database: ${kind} ${ver?.v ?? '?'}   node: ${process.version}   platform: ${process.platform}/${process.arch}`,
    );

    const runTag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const { agent, apiKey } = await ctx.services.agents.create(ctx.orm.em.fork(), {
      name: 'Bench Agent',
      email: `bench-${runTag}@bench.example.com`,
      timezone: 'America/Chicago',
    });
    const agentId = agent.id;
    const headers = { authorization: `Bearer ${apiKey}` };

    const seedMs = await seed(ctx, agentId);
    console.log(
      `seeded ${ROWS.toLocaleString('en-US')} properties in ${(seedMs / 1000).toFixed(2)} s (batches of ${BATCH}, + VACUUM ANALYZE)`,
    );

    const idRows = await ctx.orm.em
      .fork()
      .getConnection()
      .execute<{ id: number }[]>('select id from "properties" where agent_id = ?', [agentId]);
    const ids = idRows.map((r) => Number(r.id));
    if (ids.length !== ROWS) throw new Error(`expected ${ROWS} seeded rows, found ${ids.length}`);

    const inject = app.inject.bind(app);
    const getById = async (): Promise<void> => {
      const res = await inject({ method: 'GET', url: `/api/properties/${pick(ids)}`, headers });
      expectStatus(res, 200, 'GET /api/properties/:id');
    };
    const listUrl = (heartbeat: boolean | undefined): string => {
      const qs = new URLSearchParams({
        status: pick(STATUSES),
        city: pick(CITIES),
        min_price: String(pick([100_000, 150_000, 200_000, 300_000, 400_000, 500_000, 750_000, 1_000_000])),
        sort: '-price',
        limit: '20',
      });
      if (heartbeat !== undefined) qs.set('include_heartbeat', String(heartbeat));
      return `/api/properties?${qs.toString()}`;
    };
    let listTotal = 0;
    let listItems = 0;
    const list = (heartbeat: boolean | undefined) => async (): Promise<void> => {
      const res = await inject({ method: 'GET', url: listUrl(heartbeat), headers });
      expectStatus(res, 200, 'GET /api/properties');
      const page = res.json<{ total: number; items: unknown[] }>();
      listTotal += page.total;
      listItems += page.items.length;
    };
    let createSeq = 0;
    const create = async (): Promise<void> => {
      const n = ++createSeq;
      const type = pickWeighted(TYPES, TYPE_WEIGHTS);
      const res = await inject({
        method: 'POST',
        url: '/api/properties',
        headers,
        payload: {
          address: `${n} Benchmark ${runTag} Ave`,
          city: pick(CITIES),
          state: 'TX',
          zip_code: String(75000 + randInt(0, 4999)),
          price: randPrice(),
          bedrooms: randInt(0, 6),
          bathrooms: randInt(2, 8) / 2,
          square_feet: randInt(450, 6500),
          year_built: randInt(1900, 2025),
          property_type: type,
          status: pick(STATUSES),
        },
      });
      expectStatus(res, 201, 'POST /api/properties');
    };
    const serviceGet = async (): Promise<void> => {
      await ctx.services.properties.getView({ em: ctx.orm.em.fork(), agentId }, pick(ids));
    };
    const serviceList = async (): Promise<void> => {
      await ctx.services.properties.list(
        { em: ctx.orm.em.fork(), agentId },
        {
          status: pick(STATUSES),
          city: pick(CITIES),
          min_price: pick([100_000, 150_000, 200_000, 300_000, 400_000, 500_000, 750_000, 1_000_000]),
          sort: '-price',
          limit: 20,
          offset: 0,
          include_heartbeat: false,
        },
      );
    };

    // Warm-up: JIT, route/schema compilation, DB caches, connection pool.
    const warm0 = process.hrtime.bigint();
    for (let i = 0; i < WARMUP_N; i++) {
      await getById();
      await list(false)();
      await list(undefined)();
      await serviceGet();
      await serviceList();
      if (i < 50) await create();
    }
    console.log(`warm-up done in ${(Number(process.hrtime.bigint() - warm0) / 1e9).toFixed(2)} s`);
    listTotal = 0;
    listItems = 0;

    const results: Result[] = [];
    results.push(await measure('GET /api/properties/:id (HTTP)', GET_N, getById));
    results.push(await measure('getView() service only', SERVICE_GET_N, serviceGet));
    results.push(await measure('GET /api/properties list, include_heartbeat=false', LIST_N, list(false)));
    const avgTotal = listTotal / LIST_N;
    const avgItems = listItems / LIST_N;
    results.push(await measure('GET /api/properties list, heartbeat (default)', LIST_N, list(undefined)));
    results.push(await measure('list() service only, no heartbeat', LIST_N, serviceList));
    results.push(await measure('POST /api/properties (create)', CREATE_N, create));

    console.log('');
    printTable(results);
    console.log('');
    console.log(
      `list filter: status + lower(city) + min_price, sort -price, limit 20; avg matching total ${avgTotal.toFixed(0)}, avg items ${avgItems.toFixed(1)}`,
    );
    console.log('requests are sequential (one in flight); req/s = n / wall time of the loop');
    console.log(`total runtime ${(Number(process.hrtime.bigint() - wallStart) / 1e9).toFixed(1)} s`);
  } finally {
    if (app) await app.close();
    await ctx.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('benchmark failed:', err);
    process.exit(1);
  },
);
