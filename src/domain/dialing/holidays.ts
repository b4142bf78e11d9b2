import Holidays from 'date-holidays';

/**
 * State public holidays from date-holidays (pinned in package.json): entries of type `public`, observed
 * substitute days included (a Saturday holiday observed on the Friday bans both). Optional days and
 * observances (Christmas Eve, Valentine's Day, …) are not legal holidays and are left out.
 */
const perState = new Map<string, Holidays>();
const perYear = new Map<string, { dates: Set<string>; names: Map<string, string> }>();

function calendar(state: string, year: number): { dates: Set<string>; names: Map<string, string> } {
  const key = `${state}:${year}`;
  let entry = perYear.get(key);
  if (!entry) {
    let hd = perState.get(state);
    if (!hd) {
      hd = new Holidays('US', state, { types: ['public'] });
      perState.set(state, hd);
    }
    const names = new Map<string, string>();
    // A substitute day can fall in the previous calendar year (Jan 1 on a Saturday → Dec 31).
    for (const y of [year - 1, year, year + 1]) {
      for (const h of hd.getHolidays(y)) {
        if (h.type !== 'public') continue;
        const date = h.date.slice(0, 10);
        if (date.startsWith(String(year)) && !names.has(date)) names.set(date, h.name);
      }
    }
    entry = { dates: new Set(names.keys()), names };
    perYear.set(key, entry);
  }
  return entry;
}

/** The holiday's name when `date` (YYYY-MM-DD) is a public holiday in the state, else undefined. */
export function stateHoliday(state: string, date: string): string | undefined {
  const year = Number(date.slice(0, 4));
  return calendar(state, year).names.get(date);
}
