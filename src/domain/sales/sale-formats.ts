/**
 * Source formats of sales files → one row shape. Pure: a CSV record (header → value) in, a sale
 * or a reason out. Unknown values are null, never guessed.
 */
export const SALE_FORMATS = ['kc', 'ames'] as const;
import { lookup } from '../shared/lookup.ts';
export type SaleFormat = (typeof SALE_FORMATS)[number];

export interface SaleRow {
  sourceId: string;
  saleDate: string;
  price: number;
  bedrooms: number | null;
  bathrooms: number | null;
  sqft: number | null;
  lotSqft: number | null;
  yearBuilt: number | null;
  yearRenovated: number | null;
  grade: number | null;
  condition: number | null;
  waterfront: boolean | null;
  view: number | null;
  zip: string | null;
  neighborhood: string | null;
  lat: number | null;
  lon: number | null;
  raw: Record<string, string>;
}

export class SaleRowError extends Error {
  override readonly name = 'SaleRowError';
}

const num = (v: string | undefined): number | null => {
  if (v === undefined || v.trim() === '' || v.trim().toUpperCase() === 'NA') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const int = (v: string | undefined): number | null => {
  const n = num(v);
  return n === null ? null : Math.round(n);
};
function need(record: Record<string, string>, column: string): string {
  const v = record[column];
  if (v === undefined || v.trim() === '') throw new SaleRowError(`column ${column} is missing or empty`);
  return v.trim();
}
function price(record: Record<string, string>, column: string): number {
  const n = num(need(record, column));
  if (n === null || n <= 0) throw new SaleRowError(`${column} "${record[column]}" is not a positive price`);
  return n;
}

/** Ames' Overall_Cond words → the 1–5 condition scale KC uses. */
const AMES_CONDITION = lookup<number>({
  Very_Poor: 1,
  Poor: 1,
  Fair: 2,
  Below_Average: 2,
  Average: 3,
  Above_Average: 4,
  Good: 4,
  Very_Good: 5,
  Excellent: 5,
  Very_Excellent: 5,
});

function fromKc(r: Record<string, string>): SaleRow {
  const date = need(r, 'date');
  const m = /^(\d{4})(\d{2})(\d{2})T/.exec(date);
  if (!m) throw new SaleRowError(`date "${date}" is not like 20141013T000000`);
  const renovated = int(r.yr_renovated);
  return {
    sourceId: need(r, 'id'),
    saleDate: `${m[1]}-${m[2]}-${m[3]}`,
    price: price(r, 'price'),
    bedrooms: int(r.bedrooms),
    bathrooms: num(r.bathrooms),
    sqft: int(r.sqft_living),
    lotSqft: int(r.sqft_lot),
    yearBuilt: int(r.yr_built),
    yearRenovated: renovated && renovated > 0 ? renovated : null,
    grade: int(r.grade),
    condition: int(r.condition),
    waterfront: r.waterfront === undefined ? null : r.waterfront.trim() === '1',
    view: int(r.view),
    zip: r.zipcode?.trim() || null,
    neighborhood: null,
    lat: num(r.lat),
    lon: num(r.long),
    raw: r,
  };
}

function fromAmes(r: Record<string, string>): SaleRow {
  const year = int(need(r, 'Year_Sold'));
  const month = int(need(r, 'Mo_Sold'));
  if (!year || !month || month < 1 || month > 12)
    throw new SaleRowError(`sale month ${r.Mo_Sold}/${r.Year_Sold} is not valid`);
  const full = int(r.Full_Bath) ?? 0;
  const half = int(r.Half_Bath) ?? 0;
  const built = int(r.Year_Built);
  const remod = int(r.Year_Remod_Add);
  return {
    sourceId: need(r, 'rownames'),
    saleDate: `${year}-${String(month).padStart(2, '0')}-01`,
    price: price(r, 'Sale_Price'),
    bedrooms: int(r.Bedroom_AbvGr),
    bathrooms: full + 0.5 * half,
    sqft: int(r.Gr_Liv_Area),
    lotSqft: int(r.Lot_Area),
    yearBuilt: built,
    yearRenovated: remod && built && remod > built ? remod : null,
    grade: null,
    condition: AMES_CONDITION[r.Overall_Cond?.trim() ?? ''] ?? null,
    waterfront: null,
    view: null,
    zip: null,
    neighborhood: r.Neighborhood?.trim() || null,
    lat: num(r.Latitude),
    lon: num(r.Longitude),
    raw: r,
  };
}

export function toSaleRow(format: SaleFormat, record: Record<string, string>): SaleRow {
  return format === 'kc' ? fromKc(record) : fromAmes(record);
}

/** The columns a file of each format must have (checked against the header before any row). */
export const REQUIRED_COLUMNS: Record<SaleFormat, readonly string[]> = {
  kc: ['id', 'date', 'price', 'sqft_living', 'zipcode', 'lat', 'long'],
  ames: ['rownames', 'Sale_Price', 'Mo_Sold', 'Year_Sold', 'Gr_Liv_Area', 'Neighborhood'],
};
