import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { checkDial, CURRENT_DIALING_RULES, type StateDialingRules } from '../../../src/domain/dialing/index.ts';

/**
 * The sweep: all 375 US area codes × every 15 minutes of the week of the 2026-11-01 DST change
 * (2026-10-29T00:00Z … 2026-11-04T23:45Z, 252,000 checks). The expectation is computed here, apart from
 * the guard: candidate zones straight from the CSV (iana_all, the overlay fallback and NANPA's letters) and
 * local times with Intl.DateTimeFormat directly. All these zones have whole-hour offsets, so the grid lands
 * on 08:00:00 and 21:00:00 local exactly: the half-open boundaries are swept too.
 */

const rows = parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'dialing', 'us_area_codes.csv')),
  {
    columns: true,
  },
) as Record<string, string>[];

/** NANPA TIME_ZONE → zones, written out independently of src/domain/dialing/zone-data.ts. */
function nanpaExpected(code: string, state: string): string[] {
  const table: Record<string, string[]> = {
    E: ['America/New_York'],
    C: ['America/Chicago'],
    M: [state === 'AZ' ? 'America/Phoenix' : 'America/Denver'],
    P: ['America/Los_Angeles'],
    EC: ['America/New_York', 'America/Chicago'],
    CM: ['America/Chicago', 'America/Denver'],
    MP: ['America/Denver', 'America/Los_Angeles'],
    AK: ['America/Anchorage'],
    A: [state === 'PR' ? 'America/Puerto_Rico' : 'America/St_Thomas'],
    '(UTC-10)': ['Pacific/Honolulu'],
    '(UTC+10)': [state === 'GU' ? 'Pacific/Guam' : 'Pacific/Saipan'],
    'UTC-11': ['Pacific/Pago_Pago'],
    'PT/MT only for W Wendover': ['America/Los_Angeles', 'America/Denver'],
  };
  const zones = table[code];
  if (!zones) throw new Error(`no expectation for NANPA code ${code}`);
  return zones;
}

const split = (cell: string | undefined): string[] => (cell ?? '').split(';').filter(Boolean);

interface Local {
  second: number;
  weekday: string;
}
const formatters = new Map<string, Intl.DateTimeFormat>();
const locals = new Map<string, Local>();
function local(zone: string, t: number): Local {
  const key = `${zone}|${t}`;
  let l = locals.get(key);
  if (!l) {
    let f = formatters.get(zone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        weekday: 'short',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      formatters.set(zone, f);
    }
    const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
    l = { second: Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second), weekday: p.weekday! };
    locals.set(key, l);
  }
  return l;
}

const hm = (s: string): number => Number(s.slice(0, 2)) * 3600 + Number(s.slice(3, 5)) * 60;
const inside = (l: Local, start: number, end: number): boolean => l.second >= start && l.second < end;
const FEDERAL_START = 8 * 3600;
const FEDERAL_END = 21 * 3600;

/** What a state's window and Sunday rules demand, checked with Intl. */
function stateAllows(rules: StateDialingRules, zones: string[], t: number): boolean {
  return zones.every((z) => {
    const l = local(z, t);
    if (rules.noSundays && l.weekday === 'Sun') return false;
    const w = l.weekday === 'Sun' && rules.sundayWindow ? rules.sundayWindow : rules.window;
    return !w || inside(l, hm(w.start), hm(w.end));
  });
}

describe('calling-hours sweep: 375 area codes × every 15 minutes of a week with a DST change', () => {
  it('allows 0 calls outside 08:00–21:00 in any candidate zone, and refuses none inside it without a state rule', () => {
    const start = Date.UTC(2026, 9, 29); // Thu 2026-10-29T00:00Z; US DST ends Sun 2026-11-01
    const instants = Array.from({ length: 7 * 96 }, (_, i) => start + i * 15 * 60_000);
    expect(rows.length).toBe(375);

    let checks = 0;
    let allowedCount = 0;
    let violations = 0;
    let overRefusals = 0;
    let stateViolations = 0;
    let splitDecisions = 0; // instants when a multi-zone area code is inside the window in one zone, not another
    const examples: string[] = [];
    const started = performance.now();

    for (const r of rows) {
      const npa = r.npa!;
      const state = r.state === 'CNMI' ? 'MP' : r.state!;
      const must = [
        ...new Set([
          ...split(r.iana_all),
          ...split(r.iana_overlay_fallback),
          ...nanpaExpected(r.nanpa_time_zone!, state),
        ]),
      ];
      const stateRules = CURRENT_DIALING_RULES.states[state as keyof typeof CURRENT_DIALING_RULES.states];
      const to = `+1${npa}2345678`;
      let zones: string[] | undefined;
      for (const t of instants) {
        const res = checkDial({ to, at: new Date(t) });
        checks++;
        if (!zones) {
          zones = res.zones;
          expect(zones, npa).toEqual(expect.arrayContaining(must));
        }
        const mustInside = must.map((z) => inside(local(z, t), FEDERAL_START, FEDERAL_END));
        const allInside =
          mustInside.every(Boolean) && zones.every((z) => inside(local(z, t), FEDERAL_START, FEDERAL_END));
        if (mustInside.some(Boolean) && !mustInside.every(Boolean)) splitDecisions++;
        if (res.allowed) {
          allowedCount++;
          if (!allInside) {
            violations++;
            if (examples.length < 5) examples.push(`${npa} ${new Date(t).toISOString()}`);
          }
          if (stateRules && !stateAllows(stateRules, zones, t)) stateViolations++;
        } else if (!stateRules && allInside) {
          overRefusals++;
          if (examples.length < 5) examples.push(`refused ${npa} ${new Date(t).toISOString()}`);
        }
      }
    }
    process.stderr.write(
      `sweep: ${checks} checks in ${Math.round(performance.now() - started)} ms, ${allowedCount} allowed, ${splitDecisions} split multi-zone instants\n`,
    );
    expect(examples).toEqual([]);
    expect(violations).toBe(0);
    expect(stateViolations).toBe(0);
    expect(overRefusals).toBe(0);
    expect(checks).toBe(375 * 672);
    expect(allowedCount).toBeGreaterThan(0);
    expect(allowedCount).toBeLessThan(checks);
    expect(splitDecisions).toBeGreaterThan(0);
  });

  it('the swept week contains the DST change and a LA holiday the guard refuses', () => {
    // 12:00Z is 08:00 EDT on the first day and 07:00 EST on the last.
    expect(local('America/New_York', Date.UTC(2026, 9, 29, 12)).second).toBe(8 * 3600);
    expect(local('America/New_York', Date.UTC(2026, 10, 4, 12)).second).toBe(7 * 3600);
    const r = checkDial({ to: '+15042345678', at: '2026-11-03T12:00:00-06:00' });
    expect(r.rules.filter((x) => !x.ok).map((x) => x.rule)).toEqual(['LA.holiday']);
  });
});
