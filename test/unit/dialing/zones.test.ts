import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { nanpaZones, numberZones, zoneTables } from '../../../src/domain/dialing/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const fixture = (name: string): string => readFileSync(join(ROOT, 'fixtures', 'dialing', name), 'utf8');
const areaRows = parse(fixture('us_area_codes.csv'), { columns: true }) as Record<string, string>[];
const prefixRows = parse(fixture('libphonenumber_nanp_timezones.csv'), { columns: true }) as Record<string, string>[];
const split = (cell: string | undefined): string[] => (cell ?? '').split(';').filter(Boolean);
const zonesOf = (npa: string): string[] => [...(zoneTables().areaCodes.get(npa)?.zones.keys() ?? [])].sort();

const MISSING_FROM_LIBPHONENUMBER = ['357', '436', '457', '621', '624', '679', '729', '837', '861', '924'];

describe('dialing zone data', () => {
  it('uses verbatim copies of ../shared/data (checksums as in fixtures/dialing/README.md)', () => {
    const sha = (name: string): string =>
      createHash('sha256')
        .update(readFileSync(join(ROOT, 'fixtures', 'dialing', name)))
        .digest('hex');
    expect(sha('us_area_codes.csv')).toBe('59a6fe16945c606036a74bf2662167fc28c17db65cf10842bd512d82f96787fa');
    expect(sha('libphonenumber_nanp_timezones.csv')).toBe(
      'e9ab2072a9163030ac20f4d56aabdd82ebdc3ae8525013761e20d7513c8b3b71',
    );
  });

  it('loads all 375 US area codes, each with at least one zone the runtime knows', () => {
    const t = zoneTables();
    expect(t.areaCodes.size).toBe(375);
    for (const a of t.areaCodes.values()) {
      expect(a.zones.size).toBeGreaterThan(0);
      for (const z of a.zones.keys()) expect(() => new Intl.DateTimeFormat('en-US', { timeZone: z })).not.toThrow();
    }
    expect(t.areaCodes.get('670')?.state).toBe('MP'); // NANPA's CNMI
  });

  it('every area code includes NANPA letter zones, libphonenumber iana_all and the overlay fallback', () => {
    for (const r of areaRows) {
      const zones = zonesOf(r.npa!);
      const must = [
        ...split(r.iana_all),
        ...split(r.iana_overlay_fallback),
        ...nanpaZones(r.nanpa_time_zone!, r.state === 'CNMI' ? 'MP' : r.state!),
      ];
      expect(zones, r.npa).toEqual(expect.arrayContaining(must));
    }
  });

  it("iana_all is exactly the union of libphonenumber's entries under the area code", () => {
    for (const r of areaRows) {
      const lib = new Set(
        prefixRows.filter((p) => p.prefix!.startsWith(r.npa!)).flatMap((p) => split(p.iana_timezones)),
      );
      expect([...lib].sort(), r.npa).toEqual(split(r.iana_all).sort());
    }
  });

  it('689 (FL, Orlando overlay) includes America/New_York; libphonenumber’s Chicago stays in the union', () => {
    expect(zonesOf('689')).toEqual(['America/Chicago', 'America/New_York']);
    expect(zoneTables().areaCodes.get('689')!.zones.get('America/New_York')).toContain('nanpa:E');
  });

  it('the 10 area codes missing from libphonenumber use their overlay partners’ zones', () => {
    for (const npa of MISSING_FROM_LIBPHONENUMBER) {
      const row = areaRows.find((r) => r.npa === npa)!;
      expect(row.iana_all, npa).toBe('');
      const fallback = split(row.iana_overlay_fallback);
      expect(fallback.length, npa).toBeGreaterThan(0);
      const a = zoneTables().areaCodes.get(npa)!;
      for (const z of fallback) expect(a.zones.get(z), `${npa} ${z}`).toContain('overlay-fallback');
    }
    expect(zonesOf('729')).toEqual(['America/Chicago', 'America/New_York']); // TN, overlay of 423
  });

  it('area codes where NANPA gives two zones but libphonenumber one get both', () => {
    expect(zonesOf('364')).toEqual(['America/Chicago', 'America/New_York']);
    expect(zonesOf('448')).toEqual(['America/Chicago', 'America/New_York']);
    expect(zonesOf('458')).toEqual(['America/Denver', 'America/Los_Angeles']);
    expect(zonesOf('915')).toEqual(['America/Chicago', 'America/Denver']);
    expect(zonesOf('931')).toEqual(['America/Chicago', 'America/New_York']);
  });

  it('multi-zone area codes: 928 Phoenix and Navajo Denver, 605/701 three zones, 930 gets Central from 812', () => {
    expect(zonesOf('928')).toEqual(['America/Denver', 'America/Phoenix']);
    expect(zonesOf('602')).toEqual(['America/Phoenix']);
    expect(zonesOf('605')).toEqual(['America/Chicago', 'America/Denver', 'America/North_Dakota/Center']);
    expect(zonesOf('701')).toEqual(['America/Chicago', 'America/Denver', 'America/North_Dakota/Center']);
    expect(zonesOf('930')).toEqual(['America/Chicago', 'America/New_York']);
    expect(zoneTables().areaCodes.get('930')!.zones.get('America/Chicago')).toEqual(['overlay:812']);
    expect(zonesOf('907')).toEqual(expect.arrayContaining(['America/Adak', 'America/Anchorage', 'Pacific/Honolulu']));
  });

  it('a number gets the zones of EVERY libphonenumber prefix it starts with, never only the longest', () => {
    const n = numberZones('2082015555')!;
    const sources = [...n.zones.values()].flat();
    expect(sources).toEqual(expect.arrayContaining(['libphonenumber:2082', 'libphonenumber:208201']));
    expect(n.zones.get('America/Denver')).toContain('libphonenumber:208201');
    expect(n.zones.get('America/Boise')).toContain('libphonenumber:2082');
    expect(n.zones.get('America/Los_Angeles')).toContain('libphonenumber:2082');
    const unalaska = numberZones('9075815555')!;
    expect(unalaska.zones.get('Pacific/Honolulu')).toContain('libphonenumber:907581');
    expect(unalaska.zones.has('America/Anchorage')).toBe(true);
    expect(numberZones('4165550123')).toBeUndefined(); // Toronto
  });

  it('state zones are the union of the state’s area codes', () => {
    const t = zoneTables();
    expect(t.stateZones.get('TX')).toEqual(['America/Chicago', 'America/Denver']);
    expect(t.stateZones.get('FL')).toEqual(['America/Chicago', 'America/New_York']);
    expect(t.stateZones.get('HI')).toEqual(['Pacific/Honolulu']);
  });

  it('refuses an unknown NANPA time-zone code instead of guessing', () => {
    expect(() => nanpaZones('Q', 'TX')).toThrow(/unknown NANPA/);
    expect(nanpaZones('PT/MT only for W Wendover', 'NV')).toEqual(['America/Los_Angeles', 'America/Denver']);
    expect(nanpaZones('A', 'VI')).toEqual(['America/St_Thomas']);
  });
});

describe('local time per zone (cached offsets)', () => {
  it('matches Intl minute by minute and second by second around both 2026 DST changes', async () => {
    const { localTime } = await import('../../../src/domain/dialing/index.ts');
    const zones = [...new Set([...zoneTables().areaCodes.values()].flatMap((a) => [...a.zones.keys()]))];
    const fmt = new Map(
      zones.map((z) => [
        z,
        new Intl.DateTimeFormat('en-CA', {
          timeZone: z,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }),
      ]),
    );
    const mismatches: string[] = [];
    const probe = (t: number): void => {
      for (const z of zones) {
        const p = Object.fromEntries(
          fmt
            .get(z)!
            .formatToParts(t)
            .map((x) => [x.type, x.value]),
        );
        const want = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
        const l = localTime(z, t);
        if (`${l.date} ${l.clock}` !== want && mismatches.length < 5)
          mismatches.push(`${z} ${t}: ${l.date} ${l.clock} vs ${want}`);
      }
    };
    for (const day of [Date.UTC(2026, 2, 8), Date.UTC(2026, 10, 1)]) {
      for (let t = day; t < day + 16 * 3_600_000; t += 60_000) probe(t);
      for (let h = 6; h <= 10; h++) for (const d of [-1000, 0, 1000]) probe(day + h * 3_600_000 + d);
    }
    expect(mismatches).toEqual([]);
  });
});
