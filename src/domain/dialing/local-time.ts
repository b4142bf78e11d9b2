/**
 * Wall-clock time of an instant in an IANA zone, fast enough for 100,000 guard checks: one
 * Intl.DateTimeFormat per zone, and the zone's UTC offset cached per 6-hour bucket. A bucket is cached only
 * when the offset at its first and last millisecond agree, so a bucket holding a DST change is computed
 * exactly for every instant in it (this relies on no zone changing its offset twice within 6 hours, which
 * holds for every zone the guard uses).
 */

export interface LocalTime {
  zone: string;
  /** YYYY-MM-DD */
  date: string;
  year: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** Seconds since local midnight (0 … 86,399). */
  secondOfDay: number;
  /** "HH:MM:SS" */
  clock: string;
}

const BUCKET_MS = 6 * 3_600_000;
const MAX_CACHED_BUCKETS = 20_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the runtime knows the zone. */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** UTC offset of `zone` at `epochMs`, in ms (local = UTC + offset), computed with Intl. */
function exactOffset(zone: string, epochMs: number): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  let y = 0,
    mo = 0,
    d = 0,
    h = 0,
    mi = 0,
    s = 0;
  for (const p of formatter(zone).formatToParts(whole)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
    }
  }
  const local = new Date(0);
  local.setUTCFullYear(y, mo - 1, d); // years before 100 stay literal
  local.setUTCHours(h, mi, s, 0);
  return local.getTime() - whole;
}

export function zoneOffsetMs(zone: string, epochMs: number): number {
  const bucket = Math.floor(epochMs / BUCKET_MS);
  let cache = offsets.get(zone);
  if (!cache) {
    cache = new Map();
    offsets.set(zone, cache);
  }
  const hit = cache.get(bucket);
  if (hit !== undefined) return hit;
  const start = bucket * BUCKET_MS;
  const first = exactOffset(zone, start);
  if (first !== exactOffset(zone, start + BUCKET_MS - 1)) return exactOffset(zone, epochMs);
  if (cache.size >= MAX_CACHED_BUCKETS) cache.clear();
  cache.set(bucket, first);
  return first;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function localTime(zone: string, epochMs: number): LocalTime {
  const local = new Date(epochMs + zoneOffsetMs(zone, epochMs));
  const year = local.getUTCFullYear();
  const h = local.getUTCHours();
  const m = local.getUTCMinutes();
  const s = local.getUTCSeconds();
  return {
    zone,
    date: `${pad(year, 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    year,
    weekday: local.getUTCDay(),
    secondOfDay: h * 3600 + m * 60 + s,
    clock: `${pad(h)}:${pad(m)}:${pad(s)}`,
  };
}

export const weekdayName = (weekday: number): string => WEEKDAYS[weekday] ?? '?';

/** "HH:MM" → seconds since midnight (throws on a malformed value: rule data is checked at load). */
export function clockSeconds(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`"${hhmm}" is not HH:MM`);
  const s = Number(m[1]) * 3600 + Number(m[2]) * 60;
  if (s > 86_400) throw new Error(`"${hhmm}" is past 24:00`);
  return s;
}
