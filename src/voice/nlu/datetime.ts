import { DateTime } from 'luxon';
import { wordsToDigits } from '../../domain/properties/spoken-numbers.ts';
import type { ViewingTime } from './types.ts';
import { lookup } from '../../domain/shared/lookup.ts';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_RE = `(${MONTHS.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)`;
const WEEKDAY_RE = `(${WEEKDAYS.join('|')}|mon|tues|tue|wed|thurs|thu|fri|sat|sun)`;

/** Parts of the day and their windows in local hours [start, end). */
const PARTS = lookup<[number, number]>({
  morning: [9, 12],
  afternoon: [12, 17],
  evening: [17, 20],
  tonight: [17, 20],
  night: [17, 20],
  lunchtime: [12, 13],
});

function monthIndex(word: string): number {
  return MONTHS.findIndex((m) => m.startsWith(word.slice(0, 3))) + 1;
}

function weekdayIndex(word: string): number {
  return WEEKDAYS.findIndex((d) => d.startsWith(word.slice(0, 3))) + 1;
}

interface DayPart {
  day: DateTime;
  text: string;
}

function findDay(text: string, today: DateTime): DayPart | null {
  let m = /\b(?:the )?day after tomorrow\b/.exec(text);
  if (m) return { day: today.plus({ days: 2 }), text: m[0] };
  m = /\b(tomorrow|tmrw|today|tonight|this (?:morning|afternoon|evening))\b/.exec(text);
  if (m) return { day: m[1] === 'tomorrow' || m[1] === 'tmrw' ? today.plus({ days: 1 }) : today, text: m[0] };
  m = new RegExp(`\\b(next|this|coming)?\\s*${WEEKDAY_RE}\\b`).exec(text);
  if (m) {
    const target = weekdayIndex(m[2]!);
    let delta = (target - today.weekday + 7) % 7;
    // "tuesday", "this tuesday", "next tuesday": the upcoming one, 1..7 days ahead.
    if (delta === 0) delta = 7;
    return { day: today.plus({ days: delta }), text: m[0].trim() };
  }
  m = new RegExp(`\\b${MONTH_RE}\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\b`).exec(text);
  const m2 = m ? null : new RegExp(`\\b(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+of\\s+${MONTH_RE}\\b`).exec(text);
  if (m || m2) {
    const month = monthIndex(m ? m[1]! : m2![2]!);
    const dayOfMonth = Number(m ? m[2] : m2![1]);
    let day = today.set({ month, day: dayOfMonth });
    if (!day.isValid || day.month !== month) return null;
    if (day < today) day = day.plus({ years: 1 });
    return { day, text: (m ?? m2)![0] };
  }
  m = /\b(?:on )?the (\d{1,2})(st|nd|rd|th)\b/.exec(text);
  if (m) {
    const dayOfMonth = Number(m[1]);
    for (let k = 0; k < 3; k++) {
      const base = today.plus({ months: k });
      if (dayOfMonth > (base.daysInMonth ?? 31)) continue;
      const day = base.set({ day: dayOfMonth });
      if (day >= today) return { day, text: m[0] };
    }
  }
  return null;
}

interface ClockPart {
  hour: number;
  minute: number;
  text: string;
  explicitMeridiem: boolean;
}

function toHour(h: number, meridiem: string | undefined): number {
  if (meridiem?.startsWith('p')) return h % 12 === 0 ? 12 : (h % 12) + 12;
  if (meridiem?.startsWith('a')) return h % 12;
  // No am/pm: office hours guess — 8..11 are mornings, 12 is noon, 1..7 are afternoons.
  if (h >= 1 && h <= 7) return h + 12;
  return h;
}

function findClock(text: string): ClockPart | null {
  let m = /\b(noon|midday|midnight)\b/.exec(text);
  if (m) return { hour: m[1] === 'midnight' ? 0 : 12, minute: 0, text: m[0], explicitMeridiem: true };
  m = /\bhalf (?:past )?(\d{1,2})\b/.exec(text);
  if (m) return { hour: toHour(Number(m[1]), undefined), minute: 30, text: m[0], explicitMeridiem: false };
  m = /\bquarter (past|after|to|til) (\d{1,2})\b/.exec(text);
  if (m) {
    const h = toHour(Number(m[2]), undefined);
    const before = m[1] === 'to' || m[1] === 'til';
    return { hour: before ? h - 1 : h, minute: before ? 45 : 15, text: m[0], explicitMeridiem: false };
  }
  // "10:30 am", "3 pm", "at 3", "at 330", "3 o'clock", "10 30 in the morning".
  const re =
    /\b(at |around |about |by |after |before )?(\d{1,2})(?::(\d{2})|\s(\d{2})(?=\s*(?:a\.?m|p\.?m|o'?clock|in the)))?\s*(a\.?m\.?|p\.?m\.?|o'?clock)?(?:\s+in the (morning|afternoon|evening))?(?=\s|$)/g;
  let best: ClockPart | null = null;
  for (const mm of text.matchAll(re)) {
    const [, prep, hRaw, min1, min2, suffix, part] = mm;
    const meridiem = suffix && !suffix.includes('clock') ? suffix : part === 'morning' ? 'am' : part ? 'pm' : undefined;
    if (!prep && !suffix && !part) continue;
    let h = Number(hRaw);
    const minute = Number(min1 ?? min2 ?? 0);
    if (h > 12 && !min1 && !min2 && hRaw!.length >= 3) continue;
    if (h > 23 || minute > 59) continue;
    if (h > 12) {
      best = { hour: h, minute, text: mm[0].trim(), explicitMeridiem: true };
      break;
    }
    h = toHour(h, meridiem);
    best = { hour: h, minute, text: mm[0].trim(), explicitMeridiem: meridiem !== undefined };
    break;
  }
  if (best) return best;
  // "at 330" / "at 1030" from spoken "three thirty".
  m = /\b(?:at|around|about) (\d{3,4})\s*(am|pm|a m|p m)?\b/.exec(text);
  if (m) {
    const raw = m[1]!;
    const h = Number(raw.slice(0, raw.length - 2));
    const minute = Number(raw.slice(-2));
    if (h >= 1 && h <= 12 && minute <= 59) {
      const mer = m[2]?.replace(' ', '');
      return { hour: toHour(h, mer), minute, text: m[0], explicitMeridiem: mer !== undefined };
    }
  }
  return null;
}

function findPart(text: string): { window: [number, number]; text: string } | null {
  const m = /\b(morning|afternoon|evening|tonight|night|lunchtime)\b/.exec(text);
  if (!m) return null;
  return { window: PARTS[m[1]!]!, text: m[0] };
}

/**
 * Resolves a viewing date/time in `text` ("tomorrow at 3", "next tuesday morning",
 * "friday at 10:30 am", "the 12th at noon") against `now` in `timeZone`.
 * Returns null when the utterance names neither a day nor a time.
 */
export function parseViewingTime(text: string, now: Date, timeZone: string): ViewingTime | null {
  const nowLocal = DateTime.fromJSDate(now, { zone: timeZone });
  if (!nowLocal.isValid) return null;
  const today = nowLocal.startOf('day');
  const lower = wordsToDigits(
    text
      .toLowerCase()
      .replace(/[,!?]/g, ' ')
      .replace(/\ba\.m\.?/g, 'am')
      .replace(/\bp\.m\.?/g, 'pm')
      .replace(/\b(\d{1,2})(am|pm)\b/g, '$1 $2')
      .split(/\s+/)
      .filter(Boolean),
    { compoundOrdinals: true },
  ).join(' ');
  // wordsToDigits reads "twelfth" as "12th"; "a m"/"p m" from STT become am/pm.
  const norm = lower.replace(/\b([ap]) m\b/g, '$1m');

  const day = findDay(norm, today);
  const clock = findClock(norm);
  const part = clock ? null : findPart(norm);
  if (!day && !clock && !part) return null;

  const pieces = [day?.text, clock?.text, part?.text].filter(Boolean).join(' ');
  const at = (d: DateTime, h: number, min: number): DateTime =>
    DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour: h, minute: min }, { zone: timeZone });

  if (clock) {
    let base = day?.day ?? today;
    let start = at(base, clock.hour, clock.minute);
    if (!day && start <= nowLocal) {
      base = today.plus({ days: 1 });
      start = at(base, clock.hour, clock.minute);
    }
    const iso = start.toISO({ suppressMilliseconds: true }) ?? '';
    return { start: iso, end: iso, certainty: 'exact', text: pieces };
  }
  const [h0, h1] = part?.window ?? [9, 17];
  let base = day?.day ?? today;
  if (!day && at(base, h1, 0) <= nowLocal) base = base.plus({ days: 1 });
  const start = at(base, h0, 0);
  const end = at(base, h1, 0);
  return {
    start: start.toISO({ suppressMilliseconds: true }) ?? '',
    end: end.toISO({ suppressMilliseconds: true }) ?? '',
    certainty: 'approximate',
    text: pieces,
  };
}
