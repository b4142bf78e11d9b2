import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/**
 * Area code → candidate IANA zones, from the two files in fixtures/dialing/ (verbatim copies of
 * ../shared/data, see fixtures/dialing/README.md):
 * - us_area_codes.csv: the 375 in-service US geographic area codes with NANPA's time-zone letters,
 *   libphonenumber's area-code entry (`iana_npa_default`), the union of that entry and every finer prefix
 *   (`iana_all`), and the overlay partners' zones for the 10 codes libphonenumber lacks
 *   (`iana_overlay_fallback`);
 * - libphonenumber_nanp_timezones.csv: libphonenumber's +1 prefix → zones table (3 to 6 digits).
 *
 * The candidate zones of an area code are the UNION of all of these plus the NANPA letters of its overlay
 * partners (an overlay covers the same ground: 930 overlays 812, which spans Eastern and Central). Sources
 * disagree in places (689: NANPA Eastern, libphonenumber Chicago); a union keeps both, which can only
 * refuse more calls, never allow one that any source puts outside the window.
 */

/** zone → where it came from (e.g. `nanpa:EC`, `libphonenumber:850`, `overlay:812`). */
export type ZoneSources = ReadonlyMap<string, readonly string[]>;

export interface AreaCodeZones {
  npa: string;
  /** USPS code of the state or territory (NANPA's `CNMI` becomes `MP`). */
  state: string;
  nanpaTimeZone: string;
  zones: ZoneSources;
}

export interface ZoneTables {
  areaCodes: ReadonlyMap<string, AreaCodeZones>;
  /** libphonenumber prefix (digits after the country code 1) → zones. */
  prefixes: ReadonlyMap<string, readonly string[]>;
  /** The prefix lengths present in `prefixes`, ascending. */
  prefixLengths: readonly number[];
  /** State → every zone of its area codes. */
  stateZones: ReadonlyMap<string, readonly string[]>;
}

/** NANPA `TIME_ZONE` values as they appear in the report → the zone letters they stand for. */
const NANPA_CODES: Readonly<Record<string, readonly string[]>> = {
  E: ['E'],
  C: ['C'],
  M: ['M'],
  P: ['P'],
  EC: ['E', 'C'],
  CM: ['C', 'M'],
  MP: ['M', 'P'],
  AK: ['AK'],
  A: ['A'],
  '(UTC-10)': ['HST'],
  '(UTC+10)': ['ChST'],
  'UTC-11': ['SST'],
  // 775 (NV): Pacific, and Mountain for West Wendover.
  'PT/MT only for W Wendover': ['P', 'M'],
};

/**
 * One NANPA zone letter in one state → IANA zone. Arizona's M is America/Phoenix (no DST); the Navajo
 * Nation's America/Denver comes from libphonenumber's 928 entry and stays in the union.
 */
function letterZone(letter: string, state: string): string | undefined {
  switch (letter) {
    case 'E':
      return 'America/New_York';
    case 'C':
      return 'America/Chicago';
    case 'M':
      return state === 'AZ' ? 'America/Phoenix' : 'America/Denver';
    case 'P':
      return 'America/Los_Angeles';
    case 'AK':
      return 'America/Anchorage';
    case 'HST':
      return 'Pacific/Honolulu';
    case 'SST':
      return 'Pacific/Pago_Pago';
    case 'A':
      return state === 'PR' ? 'America/Puerto_Rico' : state === 'VI' ? 'America/St_Thomas' : undefined;
    case 'ChST':
      return state === 'GU' ? 'Pacific/Guam' : state === 'MP' ? 'Pacific/Saipan' : undefined;
    default:
      return undefined;
  }
}

/** IANA zones implied by a NANPA `TIME_ZONE` value in a state; throws on a value this table does not know. */
export function nanpaZones(nanpaTimeZone: string, state: string): string[] {
  const letters = NANPA_CODES[nanpaTimeZone.trim()];
  if (!letters) throw new Error(`unknown NANPA time-zone code "${nanpaTimeZone}" (${state})`);
  return letters.map((l) => {
    const zone = letterZone(l, state);
    if (!zone) throw new Error(`NANPA time-zone letter ${l} has no zone in ${state}`);
    return zone;
  });
}

const splitZones = (cell: string | undefined): string[] =>
  (cell ?? '')
    .split(';')
    .map((z) => z.trim())
    .filter(Boolean);

const uspsState = (location: string): string => (location === 'CNMI' ? 'MP' : location);

function add(map: Map<string, string[]>, zone: string, source: string): void {
  const sources = map.get(zone);
  if (!sources) map.set(zone, [source]);
  else if (!sources.includes(source)) sources.push(source);
}

/** Builds the tables from the two CSV texts (pure). */
export function buildZoneTables(areaCodesCsv: string, prefixesCsv: string): ZoneTables {
  const prefixRows = parse(prefixesCsv, { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  const prefixes = new Map<string, string[]>();
  for (const r of prefixRows) {
    const prefix = r.prefix ?? '';
    if (!/^\d{3,}$/.test(prefix)) throw new Error(`libphonenumber prefix "${prefix}" is not digits`);
    prefixes.set(prefix, splitZones(r.iana_timezones));
  }
  const prefixLengths = [...new Set([...prefixes.keys()].map((p) => p.length))].sort((a, b) => a - b);

  const rows = parse(areaCodesCsv, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const byNpa = new Map(rows.map((r) => [r.npa ?? '', r]));

  // Overlay partners, both ways (564 is written `206/564, 360/564`; 321 names no complex but 407 names 321).
  const partners = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const group of (r.overlay_complex ?? '').split(',')) {
      const members = group
        .split('/')
        .map((m) => m.trim())
        .filter((m) => /^\d{3}$/.test(m));
      for (const a of members) {
        for (const b of members) {
          if (a === b) continue;
          if (!partners.has(a)) partners.set(a, new Set());
          partners.get(a)!.add(b);
        }
      }
    }
  }

  const areaCodes = new Map<string, AreaCodeZones>();
  const stateZones = new Map<string, Set<string>>();
  for (const r of rows) {
    const npa = r.npa ?? '';
    if (!/^[2-9]\d{2}$/.test(npa)) throw new Error(`area code "${npa}" is not an NPA`);
    const state = uspsState(r.state ?? '');
    const nanpa = r.nanpa_time_zone ?? '';
    const zones = new Map<string, string[]>();
    for (const z of nanpaZones(nanpa, state)) add(zones, z, `nanpa:${nanpa}`);
    for (const z of splitZones(r.iana_npa_default)) add(zones, z, `libphonenumber:${npa}`);
    for (const [prefix, pz] of prefixes) {
      if (prefix.length > 3 && prefix.startsWith(npa)) for (const z of pz) add(zones, z, `libphonenumber:${npa}*`);
    }
    for (const z of splitZones(r.iana_all)) add(zones, z, `libphonenumber:${npa}*`);
    for (const z of splitZones(r.iana_overlay_fallback)) add(zones, z, 'overlay-fallback');
    for (const p of [...(partners.get(npa) ?? [])].sort()) {
      const pr = byNpa.get(p);
      if (!pr) continue; // a partner outside the US geographic table (none today)
      for (const z of nanpaZones(pr.nanpa_time_zone ?? '', uspsState(pr.state ?? ''))) add(zones, z, `overlay:${p}`);
    }
    if (zones.size === 0) throw new Error(`area code ${npa} has no zone`);
    areaCodes.set(npa, { npa, state, nanpaTimeZone: nanpa, zones });
    if (!stateZones.has(state)) stateZones.set(state, new Set());
    for (const z of zones.keys()) stateZones.get(state)!.add(z);
  }
  return {
    areaCodes,
    prefixes,
    prefixLengths,
    stateZones: new Map([...stateZones].map(([s, z]) => [s, [...z].sort()])),
  };
}

let tables: ZoneTables | undefined;

/** The tables built from fixtures/dialing/ (read once, on first use). */
export function zoneTables(): ZoneTables {
  tables ??= buildZoneTables(
    readFileSync(new URL('../../../fixtures/dialing/us_area_codes.csv', import.meta.url), 'utf8'),
    readFileSync(new URL('../../../fixtures/dialing/libphonenumber_nanp_timezones.csv', import.meta.url), 'utf8'),
  );
  return tables;
}

/**
 * Candidate zones of a 10-digit NANP national number: its area code's zones plus the zones of EVERY
 * libphonenumber prefix the number starts with (a union: a finer prefix never removes a zone, numbers are
 * ported). Undefined when the area code is not a US geographic one.
 */
export function numberZones(
  nationalNumber: string,
  t: ZoneTables = zoneTables(),
): { area: AreaCodeZones; zones: Map<string, string[]> } | undefined {
  const area = t.areaCodes.get(nationalNumber.slice(0, 3));
  if (!area) return undefined;
  const zones = new Map<string, string[]>();
  for (const [z, s] of area.zones) zones.set(z, [...s]);
  for (const len of t.prefixLengths) {
    if (len > nationalNumber.length) break;
    const prefix = nationalNumber.slice(0, len);
    const pz = t.prefixes.get(prefix);
    if (pz) for (const z of pz) add(zones, z, `libphonenumber:${prefix}`);
  }
  return { area, zones };
}
