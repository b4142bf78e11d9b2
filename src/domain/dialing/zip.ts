import { createRequire } from 'node:module';
import { isKnownZone } from './local-time.ts';

/**
 * ZIP code → state and zone(s), from two npm packages with offline data (exact versions in package.json):
 * - `zipcode-to-timezone` (MIT): 41,962 ZIPs → IANA zone (its data: the zip2timezone list, ~2017);
 * - `zipcodes` (BSD): 42,555 US ZIPs → city, state (data from federalgovernmentzipcodes.us), also used
 *   for a ZIP3 fallback (the states that the ZIP's first three digits belong to).
 * Both are old snapshots and have known gaps (a few Central-time Indiana ZIPs are listed as
 * America/Indiana/Indianapolis, West Wendover NV as Los_Angeles). That is acceptable only because a ZIP
 * never removes a zone: it ADDS its zone (or, when the zone is unknown, all of its state's zones) to the
 * area code's.
 * Loaded on first use (createRequire: both are CommonJS, ~6 MB of data).
 */

export interface ZipInfo {
  zip: string;
  /** USPS codes: the ZIP's state, or every state its first three digits belong to (ZIP3 fallback). */
  states: string[];
  /** The ZIP's own zone from zipcode-to-timezone, when known. */
  zone?: string;
  via: 'zip' | 'zip3';
}

interface ZipcodesModule {
  codes: Record<string, { zip: string; state: string; country: string } | undefined>;
}
interface ZipTzModule {
  lookup(zip: string): string | null;
}

/** Deprecated IANA links in the package's data → their target (tzdata `backward`: Shiprock → Denver). */
const ZONE_LINKS: Readonly<Record<string, string>> = { 'America/Shiprock': 'America/Denver' };

const requireCjs = createRequire(import.meta.url);
let zipcodes: ZipcodesModule | undefined;
let zipTz: ZipTzModule | undefined;
let zip3States: Map<string, string[]> | undefined;

function load(): { zipcodes: ZipcodesModule; zipTz: ZipTzModule; zip3States: Map<string, string[]> } {
  zipcodes ??= requireCjs('zipcodes') as ZipcodesModule;
  zipTz ??= requireCjs('zipcode-to-timezone') as ZipTzModule;
  if (!zip3States) {
    const m = new Map<string, Set<string>>();
    for (const r of Object.values(zipcodes.codes)) {
      if (!r || r.country !== 'US' || !/^\d{5}$/.test(r.zip)) continue;
      const k = r.zip.slice(0, 3);
      if (!m.has(k)) m.set(k, new Set());
      m.get(k)!.add(r.state);
    }
    zip3States = new Map([...m].map(([k, s]) => [k, [...s].sort()]));
  }
  return { zipcodes, zipTz, zip3States };
}

/** "12345" or "12345-6789" → "12345"; undefined when not a US ZIP format. */
export function normaliseZip(input: string): string | undefined {
  const m = /^\s*(\d{5})(?:-?\d{4})?\s*$/.exec(input);
  return m?.[1];
}

/** What the data say about a (normalised, 5-digit) ZIP; undefined when neither it nor its ZIP3 is known. */
export function lookupZip(zip: string): ZipInfo | undefined {
  const d = load();
  const rec = d.zipcodes.codes[zip];
  const raw = d.zipTz.lookup(zip) ?? undefined;
  const tz = raw === undefined ? undefined : (ZONE_LINKS[raw] ?? raw);
  const zone = tz !== undefined && isKnownZone(tz) ? tz : undefined;
  if (rec && rec.country === 'US') return { zip, states: [rec.state], zone, via: 'zip' };
  const states = d.zip3States.get(zip.slice(0, 3)) ?? [];
  if (states.length === 0 && !zone) return undefined;
  return { zip, states, zone, via: 'zip3' };
}
