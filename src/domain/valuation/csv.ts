import type { Sale, Subject } from './types.ts';

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (i < n && line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted field');
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      if (i < n && line[i] !== ',') throw new Error('unexpected character after quoted field');
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? n : c;
      out.push(line.slice(i, end));
      i = end;
    }
    if (i >= n) return out;
    i++; // skip comma
  }
}

export class CsvRowError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvRowError';
  }
}

export interface ParsedTable {
  header: string[];
  /** Rows with their 1-based line number in the file. */
  rows: { line: number; fields: string[] }[];
}

export function parseCsv(text: string): ParsedTable {
  const lines = text.split(/\r?\n/);
  const headerLine = lines[0];
  if (headerLine === undefined || headerLine.trim() === '') throw new CsvRowError(1, 'missing header');
  const header = splitCsvLine(headerLine.replace(/^\uFEFF/, '')).map((h) => h.trim());
  const rows: ParsedTable['rows'] = [];
  for (let k = 1; k < lines.length; k++) {
    const raw = lines[k]!;
    if (raw.trim() === '') continue;
    let fields: string[];
    try {
      fields = splitCsvLine(raw);
    } catch (e) {
      throw new CsvRowError(k + 1, (e as Error).message);
    }
    if (fields.length !== header.length) {
      throw new CsvRowError(k + 1, `expected ${header.length} fields, got ${fields.length}`);
    }
    rows.push({ line: k + 1, fields });
  }
  return { header, rows };
}

/** Parses a KC date: `20141013T000000` or `2014-10-13`. */
export function parseKcDate(value: string): Date | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(value.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? null : d;
}

const KC_REQUIRED = [
  'id',
  'date',
  'bedrooms',
  'bathrooms',
  'sqft_living',
  'sqft_lot',
  'yr_built',
  'zipcode',
  'lat',
  'long',
] as const;

/**
 * Reads King County–format rows (with or without `price`). Throws {@link CsvRowError} with the
 * file line number on the first malformed row.
 */
export type ParsedSubject = Subject & { line: number; dateText: string };

export function parseKcRows(text: string, opts: { requirePrice: boolean }): ParsedSubject[] {
  const table = parseCsv(text);
  const col = new Map(table.header.map((h, i) => [h, i]));
  const required: string[] = [...KC_REQUIRED];
  if (opts.requirePrice) required.push('price');
  const missing = required.filter((h) => !col.has(h));
  if (missing.length > 0) throw new CsvRowError(1, `missing column(s): ${missing.join(', ')}`);
  const out: ParsedSubject[] = [];
  for (const { line, fields } of table.rows) {
    const get = (name: string): string | undefined => {
      const i = col.get(name);
      return i === undefined ? undefined : fields[i]?.trim();
    };
    const num = (name: string, required: boolean): number | undefined => {
      const v = get(name);
      if (v === undefined || v === '') {
        if (required) throw new CsvRowError(line, `missing ${name}`);
        return undefined;
      }
      const x = Number(v);
      if (!Number.isFinite(x)) throw new CsvRowError(line, `invalid ${name}: ${JSON.stringify(v)}`);
      return x;
    };
    const id = get('id') ?? '';
    if (id === '') throw new CsvRowError(line, 'missing id');
    const date = parseKcDate(get('date') ?? '');
    if (!date) throw new CsvRowError(line, `invalid date: ${JSON.stringify(get('date'))}`);
    const sqft = num('sqft_living', true)!;
    if (sqft <= 0) throw new CsvRowError(line, 'sqft_living must be positive');
    const price = num('price', opts.requirePrice);
    if (opts.requirePrice && !(price! > 0)) throw new CsvRowError(line, 'price must be positive');
    const waterfront = num('waterfront', false);
    const s: ParsedSubject = {
      line,
      dateText: get('date') ?? '',
      id,
      date,
      beds: num('bedrooms', true)!,
      baths: num('bathrooms', true)!,
      sqft,
      lot: num('sqft_lot', true)!,
      yearBuilt: num('yr_built', true)!,
      renovated: num('yr_renovated', false) ?? 0,
      grade: num('grade', false),
      condition: num('condition', false),
      waterfront: waterfront === undefined ? undefined : waterfront > 0,
      view: num('view', false),
      zip: get('zipcode') ?? '',
      lat: num('lat', true)!,
      lon: num('long', true)!,
      sqftLiving15: num('sqft_living15', false),
      floors: num('floors', false),
      sqftBasement: num('sqft_basement', false),
    };
    if (price !== undefined) s.price = price;
    out.push(s);
  }
  return out;
}

/** Sales with prices (row bookkeeping dropped). */
export function parseKcSales(text: string): Sale[] {
  return parseKcRows(text, { requirePrice: true }).map(({ line: _line, dateText: _dateText, ...s }) => s as Sale);
}
