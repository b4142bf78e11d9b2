import type { SqlEntityManager } from '@mikro-orm/sql';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../errors.ts';
import { Property, type IProperty } from '../properties/property.entity.ts';
import { Sale as SaleRow } from '../sales/sale.entity.ts';
import type { AgentScope } from '../shared/scope.ts';
import { haversineMiles } from './geo.ts';
import { buildSalesIndex, type SalesIndex } from './sales-index.ts';
import type { Sale, Subject, Valuation } from './types.ts';
import { valueSubject } from './value-subject.ts';

interface MarketData {
  count: number;
  index: SalesIndex;
  /** Per area key (ZIP or neighbourhood): centroid and typical facts, for subjects that lack them. */
  areas: Map<string, { lat: number; lon: number; beds: number; baths: number; lot: number; yearBuilt: number }>;
  lastSale: Date;
}

export const ValuationAttributesSchema = z.strictObject({
  market: z.string().trim().min(1).max(40),
  square_feet: z.number().int().min(100).max(100_000),
  bedrooms: z.number().int().min(0).max(50).optional(),
  bathrooms: z.number().min(0).max(50).optional(),
  lot_size: z.number().min(0).max(100_000_000).optional(),
  year_built: z.number().int().min(1700).max(2100).optional(),
  grade: z.number().int().min(1).max(13).optional(),
  condition: z.number().int().min(1).max(5).optional(),
  zip: z.string().trim().max(10).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  as_of: z.iso.date().optional(),
});
export type ValuationAttributes = z.output<typeof ValuationAttributesSchema>;

export interface PropertyValuation extends Valuation {
  property_id: number;
  /** The sales market the comps come from (e.g. king_county). */
  sales_market: string;
  as_of: string;
  /** Facts the property does not have, taken as typical for its area. */
  assumed: string[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

function nearestArea(areas: MarketData['areas'], lat: number, lon: number): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const [key, c] of areas) {
    const d = haversineMiles(lat, lon, c.lat, c.lon);
    if (d < bestD) {
      bestD = d;
      best = key;
    }
  }
  return best;
}

/** Values the agent's properties from the recorded sales of their market (no look-ahead). */
export class ValuationService {
  private readonly cache = new Map<string, MarketData>();

  async valueProperty(scope: AgentScope, propertyId: number, asOf?: Date): Promise<PropertyValuation> {
    const p = await scope.em.findOne(Property, { id: propertyId, agent: scope.agentId });
    if (!p) throw new NotFoundError('Property', propertyId);
    if (!p.squareFeet) {
      throw new ValidationError(`Property ${propertyId} needs its square footage to be valued`, {
        field: 'square_feet',
      });
    }
    const market = await this.marketFor(scope.em, p);
    const data = await this.market(scope.em, market);
    const areaKey =
      (p.zipCode && data.areas.has(p.zipCode) ? p.zipCode : undefined) ??
      (data.areas.has(p.city.replace(/\s+/g, '_')) ? p.city.replace(/\s+/g, '_') : undefined) ??
      (p.latitude != null && p.longitude != null ? nearestArea(data.areas, p.latitude, p.longitude) : undefined);
    const area = areaKey ? (data.areas.get(areaKey) ?? null) : null;
    const assumed: string[] = [];
    const pick = (value: number | null | undefined, fallback: number | undefined, name: string): number => {
      if (value !== null && value !== undefined) return value;
      assumed.push(name);
      return fallback ?? 0;
    };
    if (!area && (p.latitude == null || p.longitude == null)) {
      throw new ValidationError(
        `No location for property ${propertyId}: give latitude/longitude or a ZIP with recorded sales`,
        {
          field: 'zip_code',
        },
      );
    }
    const subject: Subject = {
      id: `property-${p.id}`,
      date: asOf ?? new Date(),
      beds: pick(p.bedrooms, area?.beds, 'bedrooms'),
      baths: pick(p.bathrooms, area?.baths, 'bathrooms'),
      sqft: p.squareFeet,
      lot: pick(p.lotSize, area?.lot, 'lot_size'),
      yearBuilt: pick(p.yearBuilt, area?.yearBuilt, 'year_built'),
      renovated: 0,
      zip: areaKey ?? '',
      lat: pick(p.latitude, area?.lat, 'latitude'),
      lon: pick(p.longitude, area?.lon, 'longitude'),
    };
    // Values are as of now, or as of the day after the latest recorded sale when the data is older.
    const effective =
      asOf ?? (subject.date > data.lastSale ? new Date(data.lastSale.getTime() + 86_400_000) : subject.date);
    const valuation = valueSubject(data.index, { ...subject, date: effective }, { asOf: effective });
    if (!valuation)
      throw new ValidationError(`Not enough recorded sales near property ${propertyId} to value it`, {
        field: 'location',
      });
    return {
      ...valuation,
      property_id: p.id,
      sales_market: market,
      as_of: effective.toISOString().slice(0, 10),
      assumed,
    };
  }

  /** Values raw attributes (no property record) against a market's recorded sales. */
  async valueAttributes(
    em: SqlEntityManager,
    a: ValuationAttributes,
  ): Promise<Valuation & { sales_market: string; as_of: string }> {
    const data = await this.market(em, a.market);
    if (data.count === 0) throw new ValidationError(`No recorded sales in market "${a.market}"`, { field: 'market' });
    // Without a ZIP, the area is the one whose sales centre is nearest: the model's area effect matters.
    const zip =
      a.zip ??
      (a.latitude !== undefined && a.longitude !== undefined
        ? nearestArea(data.areas, a.latitude, a.longitude)
        : undefined);
    const area = zip ? data.areas.get(zip) : undefined;
    const lat = a.latitude ?? area?.lat;
    const lon = a.longitude ?? area?.lon;
    if (lat === undefined || lon === undefined) {
      throw new ValidationError('Give latitude/longitude or a ZIP with recorded sales', { field: 'latitude' });
    }
    const asOf = a.as_of ? new Date(`${a.as_of}T00:00:00Z`) : new Date(data.lastSale.getTime() + 86_400_000);
    const v = valueSubject(
      data.index,
      {
        id: 'attributes',
        date: asOf,
        beds: a.bedrooms ?? area?.beds ?? 0,
        baths: a.bathrooms ?? area?.baths ?? 0,
        sqft: a.square_feet,
        lot: a.lot_size ?? area?.lot ?? 0,
        yearBuilt: a.year_built ?? area?.yearBuilt ?? 0,
        renovated: 0,
        ...(a.grade ? { grade: a.grade } : {}),
        ...(a.condition ? { condition: a.condition } : {}),
        zip: zip ?? '',
        lat,
        lon,
      },
      { asOf },
    );
    if (!v)
      throw new ValidationError('Not enough recorded sales near these coordinates to value them', {
        field: 'latitude',
      });
    return { ...v, sales_market: a.market, as_of: asOf.toISOString().slice(0, 10) };
  }

  /** The market whose sales cover the property's ZIP (or, for Ames-style data, its city). */
  async marketFor(em: SqlEntityManager, p: IProperty): Promise<string> {
    if (p.zipCode) {
      const row = await em.findOne(SaleRow, { zip: p.zipCode }, { fields: ['market'] });
      if (row) return row.market;
    }
    const byCity = await em.findOne(
      SaleRow,
      { market: p.city.toLowerCase().replace(/\s+/g, '_') },
      { fields: ['market'] },
    );
    if (byCity) return byCity.market;
    throw new ValidationError(
      `No recorded sales cover ${p.zipCode ? `ZIP ${p.zipCode}` : p.city}; import that market's sales with npm run import:sales`,
      { field: 'zip_code' },
    );
  }

  private async market(em: SqlEntityManager, market: string): Promise<MarketData> {
    const count = await em.count(SaleRow, { market });
    const cached = this.cache.get(market);
    if (cached && cached.count === count) return cached;
    const rows = await em.find(SaleRow, { market }, { orderBy: { saleDate: 'asc', id: 'asc' } });
    const sales: Sale[] = [];
    const byArea = new Map<string, Sale[]>();
    for (const r of rows) {
      if (!r.sqft || r.lat == null || r.lon == null) continue;
      const raw = r.raw ?? {};
      const s: Sale = {
        id: `${r.sourceId}@${r.saleDate}`,
        date: new Date(`${r.saleDate}T00:00:00Z`),
        price: r.price,
        beds: r.bedrooms ?? 0,
        baths: r.bathrooms ?? 0,
        sqft: r.sqft,
        lot: r.lotSqft ?? 0,
        yearBuilt: r.yearBuilt ?? 0,
        renovated: r.yearRenovated ?? 0,
        ...(r.grade != null ? { grade: r.grade } : {}),
        ...(r.condition != null ? { condition: r.condition } : {}),
        ...(r.waterfront != null ? { waterfront: r.waterfront } : {}),
        ...(r.view != null ? { view: r.view } : {}),
        zip: r.zip ?? r.neighborhood ?? '',
        lat: r.lat,
        lon: r.lon,
        ...(raw.sqft_living15 ? { sqftLiving15: Number(raw.sqft_living15) } : {}),
      };
      sales.push(s);
      byArea.set(s.zip, [...(byArea.get(s.zip) ?? []), s]);
    }
    const areas = new Map(
      [...byArea].map(([key, xs]) => [
        key,
        {
          lat: xs.reduce((t, s) => t + s.lat, 0) / xs.length,
          lon: xs.reduce((t, s) => t + s.lon, 0) / xs.length,
          beds: median(xs.map((s) => s.beds)),
          baths: median(xs.map((s) => s.baths)),
          lot: median(xs.map((s) => s.lot)),
          yearBuilt: median(xs.map((s) => s.yearBuilt)),
        },
      ]),
    );
    const data: MarketData = {
      count,
      index: buildSalesIndex(sales),
      areas,
      lastSale: sales.length ? sales[sales.length - 1]!.date : new Date(0),
    };
    this.cache.set(market, data);
    return data;
  }
}
