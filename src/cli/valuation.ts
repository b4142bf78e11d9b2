/**
 * Batch valuation:
 *
 *   npm run --silent valuation -- --sales <sales.csv> --subjects <subjects.csv> --out <predictions.csv>
 *
 * sales.csv is King County format with prices; subjects.csv has the same columns without `price`.
 * Writes `id,date,estimate,low,high,comps_used`, one row per subject in input order, each subject
 * valued only from sales dated strictly before its own `date` (empty estimate when it cannot be
 * valued). Prints nothing on success; errors go to stderr with a non-zero exit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildSalesIndex, CsvRowError, parseKcRows, parseKcSales, valueSubject } from '../domain/valuation/index.ts';

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function readText(path: string, label: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${label} file ${path}: ${(e as Error).message}`, { cause: e });
  }
}

export function runValuationCli(argv: readonly string[]): void {
  const { values } = parseArgs({
    args: [...argv],
    options: { sales: { type: 'string' }, subjects: { type: 'string' }, out: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.sales || !values.subjects || !values.out) {
    throw new Error('usage: valuation --sales <sales.csv> --subjects <subjects.csv> --out <predictions.csv>');
  }
  const salesPath = values.sales;
  const subjectsPath = values.subjects;
  let sales;
  try {
    sales = parseKcSales(readText(salesPath, 'sales'));
  } catch (e) {
    if (e instanceof CsvRowError) throw new Error(`${salesPath}: ${e.message}`, { cause: e });
    throw e;
  }
  let subjects;
  try {
    subjects = parseKcRows(readText(subjectsPath, 'subjects'), { requirePrice: false });
  } catch (e) {
    if (e instanceof CsvRowError) throw new Error(`${subjectsPath}: ${e.message}`, { cause: e });
    throw e;
  }
  const index = buildSalesIndex(sales);
  const lines = ['id,date,estimate,low,high,comps_used'];
  for (const s of subjects) {
    const v = valueSubject(index, s, { asOf: s.date });
    const cells = v ? [String(v.estimate), String(v.low), String(v.high), String(v.comps.length)] : ['', '', '', '0'];
    lines.push([csvField(s.id), csvField(s.dateText), ...cells].join(','));
  }
  writeFileSync(values.out, lines.join('\n') + '\n');
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  try {
    runValuationCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`valuation: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
