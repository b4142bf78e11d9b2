import type { Sale } from '../../../src/domain/valuation/index.ts';

export const KC_HEADER =
  'id,date,price,bedrooms,bathrooms,sqft_living,sqft_lot,floors,waterfront,view,condition,grade,sqft_above,sqft_basement,yr_built,yr_renovated,zipcode,lat,long,sqft_living15,sqft_lot15';

/** Deterministic synthetic market: ~$300/sqft, homes on a small lat/lon lattice, one sale every 2 days. */
export function syntheticSales(n = 200, start = Date.UTC(2014, 0, 1)): Sale[] {
  const out: Sale[] = [];
  for (let i = 0; i < n; i++) {
    const sqft = 1200 + ((i * 137) % 1600);
    const grade = 6 + (i % 4);
    out.push({
      id: `S${String(i).padStart(4, '0')}`,
      date: new Date(start + i * 2 * 86_400_000),
      price: Math.round(sqft * 300 * (1 + 0.15 * (grade - 7)) * (1 + ((i * 7919) % 11) / 200)),
      beds: 2 + (i % 3),
      baths: 1 + (i % 3) * 0.5,
      sqft,
      lot: 5000,
      yearBuilt: 1950 + (i % 50),
      renovated: 0,
      grade,
      condition: 3,
      waterfront: false,
      view: 0,
      zip: i % 2 ? '98101' : '98102',
      lat: 47.6 + ((i % 10) - 5) * 0.002,
      lon: -122.3 + (Math.floor(i / 10) % 10) * 0.002,
      sqftLiving15: 1800,
    });
  }
  return out;
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '') + 'T000000';
}

/** KC-format CSV text (quoted id/date/floors/zipcode like the real file). */
export function toKcCsv(sales: readonly Sale[], withPrice = true): string {
  const header = withPrice ? KC_HEADER : KC_HEADER.replace(',price', '');
  const rows = sales.map((s) => {
    const cells = [
      `"${s.id}"`,
      `"${ymd(s.date)}"`,
      ...(withPrice ? [String(s.price)] : []),
      s.beds,
      s.baths,
      s.sqft,
      s.lot,
      '"1"',
      s.waterfront ? 1 : 0,
      s.view ?? 0,
      s.condition ?? 3,
      s.grade ?? 7,
      s.sqft,
      0,
      s.yearBuilt,
      s.renovated,
      `"${s.zip}"`,
      s.lat,
      s.lon,
      s.sqftLiving15 ?? s.sqft,
      s.lot,
    ];
    return cells.join(',');
  });
  return [header, ...rows].join('\n') + '\n';
}
