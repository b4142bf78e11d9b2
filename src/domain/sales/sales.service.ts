import type { SqlEntityManager } from '@mikro-orm/sql';
import type { SaleRow } from './sale-formats.ts';

/** The sales store: idempotent bulk insert (a re-import adds nothing) and per-market counts. */
export class SalesService {
  /** Inserts rows; rows already stored (same market, source id and date) are skipped. Returns how many were new. */
  async insert(em: SqlEntityManager, market: string, rows: readonly SaleRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const cols = [
      'market',
      'source_id',
      'sale_date',
      'price',
      'bedrooms',
      'bathrooms',
      'sqft',
      'lot_sqft',
      'year_built',
      'year_renovated',
      'grade',
      'condition',
      'waterfront',
      'view',
      'zip',
      'neighborhood',
      'lat',
      'lon',
      'raw',
      'created_at',
    ];
    const now = new Date();
    const params: unknown[] = [];
    const values = rows.map((r) => {
      params.push(
        market,
        r.sourceId,
        r.saleDate,
        r.price,
        r.bedrooms,
        r.bathrooms,
        r.sqft,
        r.lotSqft,
        r.yearBuilt,
        r.yearRenovated,
        r.grade,
        r.condition,
        r.waterfront,
        r.view,
        r.zip,
        r.neighborhood,
        r.lat,
        r.lon,
        JSON.stringify(r.raw),
        now,
      );
      return `(${cols.map(() => '?').join(',')})`;
    });
    const res = await em.execute<{ id: number }[]>(
      `insert into sales (${cols.map((c) => `"${c}"`).join(',')}) values ${values.join(',')}
       on conflict ("market", "source_id", "sale_date") do nothing returning id`,
      params,
    );
    return res.length;
  }

  async counts(em: SqlEntityManager): Promise<{ market: string; sales: number; first: string; last: string }[]> {
    const rows = await em.execute<{ market: string; n: string; first: string; last: string }[]>(
      `select market, count(*) as n, min(sale_date) as first, max(sale_date) as last from sales group by market order by market`,
    );
    return rows.map((r) => ({ market: r.market, sales: Number(r.n), first: r.first, last: r.last }));
  }
}
