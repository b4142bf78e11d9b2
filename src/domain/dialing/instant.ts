const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * An ISO-8601 instant (date, time, and `Z` or a UTC offset: `2026-11-01T20:59:59-05:00`) → epoch ms.
 * A local time without an offset names no instant and is refused, as is any out-of-range field.
 */
export function parseInstant(text: string): number | { error: string } {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return { error: `"${text}" is not an ISO-8601 instant with Z or a UTC offset (e.g. 2026-11-01T20:30:00Z)` };
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    return { error: `"${text}" has a field out of range` };
  }
  let offsetMin = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return { error: `"${text}" has an offset out of range` };
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const local = new Date(0);
  local.setUTCFullYear(y, mo - 1, d);
  local.setUTCHours(h, mi, s, ms);
  return local.getTime() - offsetMin * 60_000;
}
