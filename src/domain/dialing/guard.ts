import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { US_STATE_CODES } from '../shared/us-states.ts';
import { stateHoliday } from './holidays.ts';
import { parseInstant } from './instant.ts';
import { clockSeconds, localTime, weekdayName, type LocalTime } from './local-time.ts';
import { CURRENT_DIALING_RULES } from './rules/us-2026-12.ts';
import type { DialingRuleSet, FrequencyCap, LocalWindow, StateDialingRules } from './rules/types.ts';
import { numberZones, zoneTables, type ZoneTables } from './zone-data.ts';
import { lookupZip, normaliseZip } from './zip.ts';

/** An earlier call to the same number, as the caller of the guard knows it. */
export interface PriorAttempt {
  at: Date | string;
  /** What the call was about (campaign/playbook); unknown counts as the same subject. */
  subject?: string;
  /** False only for a call a person dialled by hand; unknown counts as autodialled. */
  autodialed?: boolean;
}

export interface DialCheckInput {
  /** The number to call; E.164 expected (`+1…`), other formats are normalised with libphonenumber-js. */
  to: string;
  /** When the call would be placed: a Date or an ISO-8601 instant with Z or an offset. */
  at: Date | string;
  /** The contact's ZIP: adds its zone (never removes one) and its state's rules. */
  zip?: string;
  /** The contact's state (USPS code): adds the state's rules and all of its zones. */
  state?: string;
  priorAttempts?: readonly PriorAttempt[];
  subject?: string;
  /** Whether this call is dialled automatically (default true: the campaign dialer). */
  autodialed?: boolean;
  /** The rule set to apply (default: the current version). */
  rules?: DialingRuleSet;
}

export interface RuleOutcome {
  rule: string;
  ok: boolean;
  detail: string;
}

export interface DialCheckResult {
  /** True only when every rule below is ok. */
  allowed: boolean;
  rules: RuleOutcome[];
  /** Every candidate IANA zone of the called party, sorted. */
  zones: string[];
  /** Version of the rule set that was applied. */
  rulesVersion: string;
  /** The number in E.164 when it could be normalised. */
  e164?: string;
  /** States whose rules applied (area code, ZIP, given state). */
  states: string[];
}

// ---------------------------------------------------------------------------------------------------
// Rule set, compiled once per version (windows in seconds; malformed data throws here, not mid-call).

interface Window {
  start: number;
  end: number;
  text: string;
}
interface CompiledState {
  code: string;
  rules: StateDialingRules;
  window?: Window;
  sundayWindow?: Window;
}
interface Compiled {
  federal: Window;
  states: Map<string, CompiledState>;
}

const compiledSets = new WeakMap<DialingRuleSet, Compiled>();

function compileWindow(w: LocalWindow): Window {
  const start = clockSeconds(w.start);
  const end = clockSeconds(w.end);
  if (start >= end) throw new Error(`window ${w.start}–${w.end} is empty`);
  return { start, end, text: `${w.start}–${w.end}` };
}

function compile(set: DialingRuleSet): Compiled {
  let c = compiledSets.get(set);
  if (!c) {
    const states = new Map<string, CompiledState>();
    for (const [code, rules] of Object.entries(set.states)) {
      if (!rules) continue;
      states.set(code, {
        code,
        rules,
        window: rules.window && compileWindow(rules.window),
        sundayWindow: rules.sundayWindow && compileWindow(rules.sundayWindow),
      });
    }
    c = { federal: compileWindow(set.federal.window), states };
    compiledSets.set(set, c);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------------
// Number normalisation (cached: a dialer checks the same numbers again and again).

type ParsedNumber = { ok: true; e164: string; national: string } | { ok: false; detail: string; e164?: string };

const parsedNumbers = new Map<string, ParsedNumber>();
const MAX_CACHED_NUMBERS = 50_000;

function parseNumber(to: string, tables: ZoneTables): ParsedNumber {
  const hit = parsedNumbers.get(to);
  if (hit) return hit;
  let result: ParsedNumber;
  const parsed = typeof to === 'string' ? parsePhoneNumberFromString(to.trim(), 'US') : undefined;
  if (!parsed) {
    result = { ok: false, detail: `"${to}" is not a phone number` };
  } else if (parsed.countryCallingCode !== '1') {
    result = {
      ok: false,
      e164: parsed.number,
      detail: `${parsed.number} is not a NANP (+1) number${parsed.country ? ` (${parsed.country})` : ''}: only US numbers are dialled`,
    };
  } else if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(parsed.nationalNumber)) {
    result = { ok: false, e164: parsed.number, detail: `${parsed.number} is not a valid NANP number (NPA-NXX-XXXX)` };
  } else if (!tables.areaCodes.has(parsed.nationalNumber.slice(0, 3))) {
    const npa = parsed.nationalNumber.slice(0, 3);
    result = {
      ok: false,
      e164: parsed.number,
      detail: `area code ${npa} is not an in-service US geographic area code${parsed.country ? ` (libphonenumber: ${parsed.country})` : ''}`,
    };
  } else {
    result = { ok: true, e164: parsed.number, national: parsed.nationalNumber };
  }
  if (parsedNumbers.size >= MAX_CACHED_NUMBERS) parsedNumbers.clear();
  parsedNumbers.set(to, result);
  return result;
}

// ---------------------------------------------------------------------------------------------------

const US_STATES: ReadonlySet<string> = new Set(US_STATE_CODES);

function addZone(zones: Map<string, string[]>, zone: string, source: string): void {
  const s = zones.get(zone);
  if (!s) zones.set(zone, [source]);
  else if (!s.includes(source)) s.push(source);
}

const stamp = (t: LocalTime): string => `${t.zone} ${weekdayName(t.weekday)} ${t.date} ${t.clock}`;

function windowRule(
  name: string,
  label: string,
  usual: Window,
  locals: LocalTime[],
  pick: (t: LocalTime) => Window,
): RuleOutcome {
  let ok = true;
  const parts = locals.map((t) => {
    const w = pick(t);
    const inside = t.secondOfDay >= w.start && t.secondOfDay < w.end;
    if (!inside) ok = false;
    return `${stamp(t)} ${inside ? 'in' : 'OUT'}${w === usual ? '' : ` (window ${w.text})`}`;
  });
  return { rule: name, ok, detail: `${label} (end excluded) in every zone: ${parts.join('; ')}` };
}

function toEpoch(at: Date | string): number | undefined {
  if (at instanceof Date) return Number.isNaN(at.getTime()) ? undefined : at.getTime();
  if (typeof at !== 'string') return undefined;
  const t = parseInstant(at);
  return typeof t === 'number' ? t : undefined;
}

function capRule(state: string, cap: FrequencyCap, atMs: number, input: DialCheckInput): RuleOutcome {
  const name = `${state}.cap.${cap.perHours}h`;
  const what = `≤${cap.maxCalls} ${cap.autodialedOnly ? 'autodialled ' : ''}call${cap.maxCalls === 1 ? '' : 's'} per rolling ${cap.perHours} h${cap.sameSubject ? ' on the same subject' : ''}`;
  if (cap.autodialedOnly && input.autodialed === false) {
    return { rule: name, ok: true, detail: `${what}: this call is not autodialled` };
  }
  const from = atMs - cap.perHours * 3_600_000;
  let count = 0;
  const attempts = input.priorAttempts ?? [];
  for (let i = 0; i < attempts.length; i++) {
    const p = attempts[i]!;
    const t = toEpoch(p.at);
    if (t === undefined) return { rule: name, ok: false, detail: `${what}: prior attempt ${i + 1} has no valid time` };
    if (t < from || t > atMs) continue; // inclusive: an attempt exactly perHours ago still counts
    if (cap.sameSubject && input.subject !== undefined && p.subject !== undefined && p.subject !== input.subject)
      continue;
    if (cap.autodialedOnly && p.autodialed === false) continue;
    count++;
  }
  const ok = count < cap.maxCalls;
  return {
    rule: name,
    ok,
    detail: `${what}: ${count} earlier attempt${count === 1 ? '' : 's'} in the window${ok ? '' : ', this call would exceed it'}`,
  };
}

/**
 * The outbound-calling guard (pure rules: no do-not-call or consent lookups). Lists every rule it
 * evaluated with its outcome; `allowed` is their AND. Time rules hold in EVERY candidate zone: the area
 * code's (NANPA letters, libphonenumber area code and finer prefixes, overlay partners), the ZIP's and the
 * given state's.
 */
export function checkDial(input: DialCheckInput): DialCheckResult {
  const set = input.rules ?? CURRENT_DIALING_RULES;
  const compiled = compile(set);
  const tables = zoneTables();
  const rules: RuleOutcome[] = [];
  const zones = new Map<string, string[]>();
  const states = new Set<string>();
  let usable = true;

  const atMs = toEpoch(input.at);
  if (atMs === undefined) {
    usable = false;
    rules.push({
      rule: 'at',
      ok: false,
      detail: `${JSON.stringify(String(input.at))} is not an ISO-8601 instant with Z or a UTC offset`,
    });
  }

  const num = parseNumber(input.to, tables);
  let e164: string | undefined = num.e164;
  if (!num.ok) {
    usable = false;
    rules.push({ rule: 'number', ok: false, detail: num.detail });
  } else {
    const nz = numberZones(num.national, tables)!;
    for (const [z, s] of nz.zones) zones.set(z, s);
    states.add(nz.area.state);
    e164 = num.e164;
    rules.push({
      rule: 'number',
      ok: true,
      detail: `${num.e164}: US area code ${nz.area.npa} (${nz.area.state}, NANPA time zone ${nz.area.nanpaTimeZone})`,
    });
  }

  if (input.zip !== undefined) {
    const zip = typeof input.zip === 'string' ? normaliseZip(input.zip) : undefined;
    const info = zip === undefined ? undefined : lookupZip(zip);
    if (zip === undefined) {
      usable = false;
      rules.push({ rule: 'zip', ok: false, detail: `"${input.zip}" is not a US ZIP code (12345 or 12345-6789)` });
    } else if (!info) {
      usable = false;
      rules.push({ rule: 'zip', ok: false, detail: `ZIP ${zip} is unknown: its zone cannot be checked` });
    } else {
      const before = zones.size;
      const added: string[] = [];
      if (info.zone) {
        addZone(zones, info.zone, `zip:${zip}`);
        added.push(info.zone);
      } else {
        for (const s of info.states) {
          for (const z of tables.stateZones.get(s) ?? []) {
            addZone(zones, z, `zip:${zip}→${s}`);
            added.push(z);
          }
        }
      }
      for (const s of info.states) states.add(s);
      const where = `${info.states.join('/') || 'state unknown'}${info.via === 'zip3' ? ' by its first three digits' : ''}`;
      if (added.length === 0) {
        usable = false;
        rules.push({ rule: 'zip', ok: false, detail: `ZIP ${zip} (${where}): no zone known for it` });
      } else {
        rules.push({
          rule: 'zip',
          ok: true,
          detail: `ZIP ${zip} (${where}): ${info.zone ? `zone ${info.zone}` : `its state's zones ${[...new Set(added)].join(', ')}`}${zones.size > before ? ', added to the candidates' : ', already a candidate'}`,
        });
      }
    }
  }

  if (input.state !== undefined) {
    const code = typeof input.state === 'string' ? input.state.trim().toUpperCase() : '';
    const stateZones = tables.stateZones.get(code);
    if (!US_STATES.has(code) || !stateZones) {
      usable = false;
      rules.push({ rule: 'state', ok: false, detail: `"${input.state}" is not a US state or territory code` });
    } else {
      for (const z of stateZones) addZone(zones, z, `state:${code}`);
      states.add(code);
      rules.push({ rule: 'state', ok: true, detail: `${code}: its rules and zones (${stateZones.join(', ')}) apply` });
    }
  }

  const zoneList = [...zones.keys()].sort();
  const stateList = [...states].sort();
  if (!usable || atMs === undefined) {
    return { allowed: false, rules, zones: zoneList, rulesVersion: set.version, e164, states: stateList };
  }

  rules.push({
    rule: 'zones',
    ok: zoneList.length > 0,
    detail: zoneList.map((z) => `${z} (${zones.get(z)!.join(', ')})`).join('; ') || 'no candidate zone',
  });

  const locals = zoneList.map((z) => localTime(z, atMs));
  rules.push(
    windowRule('federal.window', `federal ${compiled.federal.text}`, compiled.federal, locals, () => compiled.federal),
  );

  for (const code of stateList) {
    const st = compiled.states.get(code);
    if (!st) continue;
    const tag = st.rules.status === 'unverified' ? ' [unverified]' : '';
    if (st.window) {
      const w = st.window;
      const sw = st.sundayWindow ?? w;
      const label = `${code} ${w.text}${st.sundayWindow ? `, Sundays ${sw.text}` : ''}${tag}`;
      rules.push(windowRule(`${code}.window`, label, w, locals, (t) => (t.weekday === 0 ? sw : w)));
    }
    if (st.rules.noSundays) {
      const sundays = locals.filter((t) => t.weekday === 0);
      rules.push({
        rule: `${code}.sunday`,
        ok: sundays.length === 0,
        detail:
          sundays.length === 0
            ? `${code}: no calls on Sundays${tag}; local day is ${[...new Set(locals.map((t) => `${weekdayName(t.weekday)} ${t.date}`))].join(', ')}`
            : `${code}: no calls on Sundays${tag}; Sunday ${sundays[0]!.date} in ${sundays.map((t) => t.zone).join(', ')}`,
      });
    }
    if (st.rules.noHolidays) {
      const hits = locals
        .map((t) => ({ t, name: stateHoliday(code, t.date) }))
        .filter((h): h is { t: LocalTime; name: string } => h.name !== undefined);
      rules.push({
        rule: `${code}.holiday`,
        ok: hits.length === 0,
        detail:
          hits.length === 0
            ? `${code}: no calls on state public holidays${tag}; ${[...new Set(locals.map((t) => t.date))].join(', ')} is not one`
            : `${code}: no calls on state public holidays${tag}; ${hits[0]!.t.date} is ${hits[0]!.name} (in ${hits.map((h) => h.t.zone).join(', ')})`,
      });
    }
    for (const cap of st.rules.caps ?? []) {
      const r = capRule(code, cap, atMs, input);
      rules.push(tag ? { ...r, detail: `${r.detail}${tag}` } : r);
    }
  }

  return {
    allowed: rules.every((r) => r.ok),
    rules,
    zones: zoneList,
    rulesVersion: set.version,
    e164,
    states: stateList,
  };
}
