import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const num = new Intl.NumberFormat('en-US');

export const money = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : usd.format(n));
export const count = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : num.format(n));
export const percent = (ratio: number | null | undefined, digits = 1): string =>
  ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(digits)}%`;

/** +15125550147 → (512) 555-0147; anything else as given. */
export function phone(e164: string | null | undefined): string {
  if (!e164) return '—';
  const p = parsePhoneNumberFromString(e164);
  return p ? (p.country === 'US' ? p.formatNational() : p.formatInternational()) : e164;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit' });
}

/** 75 → "1:15"; 3700 → "1:01:40". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "viewing_scheduled" → "Viewing scheduled". */
export function label(code: string | null | undefined): string {
  if (!code) return '—';
  const s = code.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A machine state value ("live.listening" or {live: "listening"}) as text. */
export function stateText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => (v && typeof v === 'object' ? `${k}.${stateText(v)}` : typeof v === 'string' ? `${k}.${v}` : k))
      .join(' | ');
  }
  return String(value);
}
