import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSalesFile } from '../../src/cli/import-sales.ts';
import { SaleRowError, toSaleRow } from '../../src/domain/sales/sale-formats.ts';
import type { AppContext } from '../../src/services.ts';
import { testContext } from '../helpers/context.ts';

const KC = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'kc_house_sales.csv');
const AMES = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'ames_housing.csv');
let ctx: AppContext;
beforeAll(async () => {
  ctx = await testContext();
});

describe('sales formats', () => {
  it('maps a King County row', () => {
    const row = toSaleRow('kc', {
      id: '0001000102',
      date: '20140916T000000',
      price: '280000',
      bedrooms: '6',
      bathrooms: '3',
      sqft_living: '2400',
      sqft_lot: '9373',
      waterfront: '0',
      view: '0',
      condition: '3',
      grade: '7',
      yr_built: '1991',
      yr_renovated: '0',
      zipcode: '98002',
      lat: '47.3262',
      long: '-122.214',
    });
    expect(row).toMatchObject({
      sourceId: '0001000102',
      saleDate: '2014-09-16',
      price: 280000,
      bedrooms: 6,
      bathrooms: 3,
      sqft: 2400,
      grade: 7,
      condition: 3,
      waterfront: false,
      yearRenovated: null,
      zip: '98002',
      lat: 47.3262,
      lon: -122.214,
    });
  });

  it('maps an Ames row (month of sale, baths, condition words, neighbourhood)', () => {
    const row = toSaleRow('ames', {
      rownames: '1',
      Sale_Price: '215000',
      Mo_Sold: '5',
      Year_Sold: '2010',
      Gr_Liv_Area: '1656',
      Bedroom_AbvGr: '3',
      Full_Bath: '1',
      Half_Bath: '1',
      Lot_Area: '31770',
      Year_Built: '1960',
      Year_Remod_Add: '1960',
      Overall_Cond: 'Above_Average',
      Neighborhood: 'North_Ames',
      Longitude: '-93.61',
      Latitude: '42.05',
    });
    expect(row).toMatchObject({
      saleDate: '2010-05-01',
      price: 215000,
      bathrooms: 1.5,
      condition: 4,
      neighborhood: 'North_Ames',
      yearRenovated: null,
    });
  });

  it('refuses rows it cannot read, saying why', () => {
    expect(() => toSaleRow('kc', { id: '1', date: '2014-09-16', price: '1' })).toThrow(/date "2014-09-16"/);
    expect(() => toSaleRow('kc', { id: '1', date: '20140916T000000', price: '-5' })).toThrow(/not a positive price/);
    expect(() => toSaleRow('ames', { rownames: '1', Sale_Price: '1', Mo_Sold: '13', Year_Sold: '2010' })).toThrow(
      SaleRowError,
    );
  });
});

describe('sales import', () => {
  it('reads the real files', async () => {
    expect((await readSalesFile(KC, 'kc')).length).toBe(19_452);
    const ames = await readSalesFile(AMES, 'ames');
    expect(ames.length).toBe(2_930);
    expect(ames.every((r) => r.price > 0 && r.neighborhood)).toBe(true);
  });

  it('names the line of a bad row and the missing columns of a wrong file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sales-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'id,date,price,sqft_living,zipcode,lat,long\n"1","20140101T000000",100,1000,"98001",47.1,-122.1\n"2","20140101T000000",abc,1000,"98001",47.1,-122.1\n',
    );
    await expect(readSalesFile(bad, 'kc')).rejects.toThrow(/line 3: price "abc"/);
    await expect(readSalesFile(KC, 'ames')).rejects.toThrow(/missing columns rownames, Sale_Price/);
  });

  it('re-importing adds no duplicates', async () => {
    const market = `test-${randomUUID().slice(0, 8)}`;
    const rows = (await readSalesFile(KC, 'kc')).slice(0, 500);
    const em = ctx.orm.em.fork();
    expect(await ctx.services.sales.insert(em, market, rows)).toBe(500);
    expect(await ctx.services.sales.insert(em, market, rows)).toBe(0);
    const counts = (await ctx.services.sales.counts(em)).find((c) => c.market === market);
    expect(counts).toMatchObject({ sales: 500 });
  });
});
