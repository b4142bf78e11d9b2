/**
 * Valuation accuracy benchmark on an honest time split.
 *
 *   npm run bench:valuation            # KC + Ames: validation and test figures, engine vs baseline
 *   npm run bench:valuation -- --tune  # parameter sweep on the validation slice only
 *
 * KC: sales sorted by date; the last 10 % are the test subjects. The validation slice is the last
 * 10 % of the remaining 90 %; parameters were chosen on it only. Every subject is valued as of its
 * own sale date from sales strictly before that date (the engine enforces it), so the test set is
 * never seen before its own date and never used for tuning.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  accuracy,
  baselineEstimate,
  buildSalesIndex,
  DEFAULT_ENGINE_PARAMS,
  DEFAULT_MODEL_PARAMS,
  parseCsv,
  parseKcSales,
  valueSubject,
  type AccuracyReport,
  type EngineParams,
  type ModelParams,
  type Sale,
  type SalesIndex,
} from '../src/domain/valuation/index.ts';

const DATA_DIR = process.env.VALUATION_DATA_DIR ?? fileURLToPath(new URL('../../shared/data/', import.meta.url));

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function line(label: string, r: AccuracyReport, ms: number): string {
  return (
    `${label.padEnd(28)} n=${String(r.n).padStart(5)}  MdAPE ${pct(r.mdape).padStart(6)}  ` +
    `within5 ${pct(r.within5).padStart(6)}  within10 ${pct(r.within10).padStart(6)}  ` +
    `within20 ${pct(r.within20).padStart(6)}  coverage ${pct(r.coverage).padStart(6)}  ` +
    `runtime ${(ms / 1000).toFixed(2)}s`
  );
}

interface Split {
  train: Sale[];
  validation: Sale[];
  test: Sale[];
}

/** Sorted by date: test = last `frac`; validation = last `frac` of the rest. */
function timeSplit(sales: readonly Sale[], frac = 0.1): Split {
  const sorted = [...sales].sort((a, b) => a.date.getTime() - b.date.getTime());
  const nTest = Math.round(sorted.length * frac);
  const early = sorted.slice(0, sorted.length - nTest);
  const nVal = Math.round(early.length * frac);
  return {
    train: early.slice(0, early.length - nVal),
    validation: early.slice(early.length - nVal),
    test: sorted.slice(sorted.length - nTest),
  };
}

function runEngine(
  index: SalesIndex,
  subjects: readonly Sale[],
  params?: Partial<EngineParams>,
): { report: AccuracyReport; ms: number; intervalHit: number } {
  const t0 = performance.now();
  let hit = 0;
  const pairs = subjects.map((s) => {
    const v = valueSubject(index, s, { asOf: s.date, params });
    if (v && s.price >= v.low && s.price <= v.high) hit++;
    return { actual: s.price, estimate: v?.estimate ?? null };
  });
  const ms = performance.now() - t0;
  const report = accuracy(pairs);
  return { report, ms, intervalHit: report.valued ? hit / report.valued : 0 };
}

function runBaseline(index: SalesIndex, subjects: readonly Sale[]): { report: AccuracyReport; ms: number } {
  const t0 = performance.now();
  const pairs = subjects.map((s) => ({ actual: s.price, estimate: baselineEstimate(index, s, s.date) }));
  return { report: accuracy(pairs), ms: performance.now() - t0 };
}

function evaluate(name: string, sales: Sale[], modelParams: ModelParams = DEFAULT_MODEL_PARAMS): void {
  const split = timeSplit(sales);
  const t0 = performance.now();
  // The index holds every sale; valueSubject only ever reads sales dated strictly before asOf.
  const index = buildSalesIndex(sales, modelParams);
  const buildMs = performance.now() - t0;
  console.log(
    `\n== ${name}: ${sales.length} sales; train ${split.train.length}, validation ${split.validation.length}, ` +
      `test ${split.test.length} (from ${split.test[0]?.date.toISOString().slice(0, 10)}); index built in ${(buildMs / 1000).toFixed(2)}s`,
  );
  for (const [label, subjects] of [
    ['validation', split.validation],
    ['test', split.test],
  ] as const) {
    const e = runEngine(index, subjects);
    const b = runBaseline(index, subjects);
    console.log(line(`${label} engine`, e.report, e.ms) + `  interval hit ${pct(e.intervalHit)}`);
    console.log(line(`${label} baseline`, b.report, b.ms));
  }
}

function loadKc(): Sale[] {
  return parseKcSales(readFileSync(`${DATA_DIR}kc_house_sales.csv`, 'utf8'));
}

const AMES_COND: Record<string, number> = {
  Very_Poor: 1,
  Poor: 1,
  Fair: 2,
  Below_Average: 2.5,
  Average: 3,
  Above_Average: 3.5,
  Good: 4,
  Very_Good: 4.5,
  Excellent: 5,
  Very_Excellent: 5,
};

/** Ames rows as sales: mid-month dates, neighbourhood as the area key. */
export function loadAmes(): Sale[] {
  const t = parseCsv(readFileSync(`${DATA_DIR}ames_housing.csv`, 'utf8'));
  const col = new Map(t.header.map((h, i) => [h, i]));
  return t.rows.map(({ fields }) => {
    const g = (n: string): string => fields[col.get(n) ?? -1]?.trim() ?? '';
    const num = (n: string): number => Number(g(n));
    const built = num('Year_Built');
    const remod = num('Year_Remod_Add');
    return {
      id: g('rownames'),
      date: new Date(Date.UTC(num('Year_Sold'), num('Mo_Sold') - 1, 15)),
      price: num('Sale_Price'),
      beds: num('Bedroom_AbvGr'),
      baths: num('Full_Bath') + 0.5 * num('Half_Bath') + num('Bsmt_Full_Bath') + 0.5 * num('Bsmt_Half_Bath'),
      sqft: num('Gr_Liv_Area'),
      lot: num('Lot_Area'),
      yearBuilt: built,
      renovated: remod > built ? remod : 0,
      condition: AMES_COND[g('Overall_Cond')] ?? 3,
      zip: g('Neighborhood'),
      lat: num('Latitude'),
      lon: num('Longitude'),
      floors: g('Second_Flr_SF') !== '0' ? 2 : 1,
      sqftBasement: num('Total_Bsmt_SF'),
    };
  });
}

function tune(): void {
  const sales = loadKc();
  const split = timeSplit(sales);
  const grid: { model?: Partial<ModelParams>; engine?: Partial<EngineParams> }[] = [
    {},
    { engine: { filters: false } },
    { engine: { distanceScaleMi: 0.25, recencyScaleMonths: 36 } },
    { engine: { distanceScaleMi: 0.25, recencyScaleMonths: 36, k: 16 } },
    { engine: { distanceScaleMi: 0.25, recencyScaleMonths: 36, k: 16, filters: false } },
    { engine: { distanceScaleMi: 0.15, recencyScaleMonths: 36, k: 16 } },
    { engine: { distanceScaleMi: 0.25, recencyScaleMonths: 36, k: 16, dissimilarityScale: 0.2 } },
    { engine: { distanceScaleMi: 0.25, recencyScaleMonths: 36, k: 16, median: true } },
    { engine: { distanceScaleMi: 0.25, recencyScaleMonths: 36, k: 16 }, model: { lambdaArea: 1 } },
    { engine: { distanceScaleMi: 0.25, recencyScaleMonths: 36, k: 16, median: true }, model: { lambdaArea: 1 } },
    { engine: { distanceScaleMi: 0.25, recencyScaleMonths: 36, k: 20, median: true }, model: { lambdaArea: 1 } },
    {
      engine: { distanceScaleMi: 0.25, recencyScaleMonths: 36, k: 16, median: true, priorWeight: 0.5 },
      model: { lambdaArea: 1 },
    },
  ];
  const indexCache = new Map<string, SalesIndex>();
  for (const g of grid) {
    const mp = { ...DEFAULT_MODEL_PARAMS, ...g.model };
    const key = JSON.stringify(mp);
    let index = indexCache.get(key);
    if (!index) {
      index = buildSalesIndex(sales, mp);
      indexCache.set(key, index);
    }
    const e = runEngine(index, split.validation, { ...DEFAULT_ENGINE_PARAMS, ...g.engine });
    console.log(
      line(JSON.stringify(g).slice(0, 28), e.report, e.ms) + `  interval ${pct(e.intervalHit)}  ${JSON.stringify(g)}`,
    );
  }
}

if (process.argv.includes('--tune')) {
  tune();
} else {
  evaluate('King County', loadKc());
  evaluate('Ames', loadAmes());
}
