import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { parse } from 'csv-parse';
import { loadConfig } from '../config.ts';
import { UsageError } from './usage-error.ts';
import { createLogger } from '../log.ts';
import {
  REQUIRED_COLUMNS,
  SALE_FORMATS,
  SaleRowError,
  toSaleRow,
  type SaleFormat,
  type SaleRow,
} from '../domain/sales/sale-formats.ts';
import { buildContext } from '../services.ts';

const USAGE = 'Usage: npm run import:sales -- --file <csv> --format kc|ames [--market name]';
const DEFAULT_MARKET: Record<SaleFormat, string> = { kc: 'king_county', ames: 'ames' };
const BATCH = 1_000;

/**
 * Reads a whole sales file and checks every row before writing anything: a bad row stops the
 * import with its line number and nothing is stored. Re-importing adds no duplicates.
 */
export async function readSalesFile(
  file: string,
  format: SaleFormat,
  onBytes?: (bytes: number) => void,
): Promise<SaleRow[]> {
  const rows: SaleRow[] = [];
  const input = createReadStream(file);
  if (onBytes) input.on('data', () => onBytes(input.bytesRead));
  // NANPA-style files put a title line first; sales files start with the header.
  const parser = input.pipe(parse({ columns: true, info: true, skip_empty_lines: true, trim: true, bom: true }));
  let checkedHeader = false;
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    if (!checkedHeader) {
      const missing = REQUIRED_COLUMNS[format].filter((c) => !(c in record));
      if (missing.length)
        throw new SaleRowError(`${file}: not a ${format} sales file, missing columns ${missing.join(', ')}`);
      checkedHeader = true;
    }
    try {
      rows.push(toSaleRow(format, record));
    } catch (err) {
      if (err instanceof SaleRowError) throw new SaleRowError(`${file} line ${info.lines}: ${err.message}`);
      throw err;
    }
  }
  return rows;
}

export async function importSales(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { file: { type: 'string' }, format: { type: 'string' }, market: { type: 'string' } },
    strict: true,
  });
  if (!values.file || !values.format) throw new UsageError(`--file and --format are required.\n${USAGE}`);
  if (!(SALE_FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`--format must be one of ${SALE_FORMATS.join(', ')}.\n${USAGE}`);
  }
  const format = values.format as SaleFormat;
  const market = values.market ?? DEFAULT_MARKET[format];
  const size = (await stat(values.file).catch(() => null))?.size;
  if (size === undefined) throw new UsageError(`${values.file}: no such file`);

  const bar = new SingleBar({
    format: '{phase} [{bar}] {percentage}% | {value}/{total}',
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(size, 0, { phase: 'reading  ' });
  let rows: SaleRow[];
  try {
    rows = await readSalesFile(values.file, format, (b) => bar.update(b));
  } finally {
    bar.stop();
  }

  const ctx = await buildContext(loadConfig(), createLogger({ level: 'warn' }), { jobs: false });
  try {
    const sales = ctx.services.sales;
    bar.start(rows.length, 0, { phase: 'importing' });
    let added = 0;
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      added += await ctx.orm.em.fork().transactional((tx) => sales.insert(tx, market, batch));
      bar.update(Math.min(i + BATCH, rows.length));
    }
    bar.stop();
    const total = (await sales.counts(ctx.orm.em.fork())).find((c) => c.market === market);
    process.stdout.write(
      `Imported ${values.file} into market "${market}": ${added} new sales, ${rows.length - added} already stored. ` +
        `The market now has ${total?.sales ?? 0} sales (${total?.first} to ${total?.last}).\n`,
    );
  } finally {
    await ctx.close();
  }
}
