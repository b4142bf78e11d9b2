import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** One US area code (NPA) from fixtures/us-area-codes.csv (NANPA + libphonenumber, see ../shared/data/README.md). */
export interface AreaCode {
  npa: string;
  state: string;
  /** IANA zones the area code's numbers can be in (several for the ones that span zones). */
  zones: string[];
}

let table: Map<string, AreaCode> | undefined;

function load(): Map<string, AreaCode> {
  const rows = parse(readFileSync(new URL('../../fixtures/us-area-codes.csv', import.meta.url)), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  return new Map(
    rows.map((r) => [
      r.npa!,
      { npa: r.npa!, state: r.state!, zones: (r.iana_all ?? '').split(/[;|]/).filter(Boolean) },
    ]),
  );
}

/** The area code record of a US number in any format, or null (not a US number, or an unknown NPA). */
export function areaCodeOf(phone: string): AreaCode | null {
  const parsed = parsePhoneNumberFromString(phone, 'US');
  if (!parsed || parsed.countryCallingCode !== '1') return null;
  table ??= load();
  return table.get(parsed.nationalNumber.slice(0, 3)) ?? null;
}

/**
 * States whose wiretap laws require every party's consent to record a phone call. Conservative on purpose
 * (an announcement costs a sentence; a missing one breaks the law): California, Connecticut, Delaware,
 * Florida, Illinois, Maryland, Massachusetts, Michigan, Montana, Nevada, New Hampshire, Pennsylvania,
 * Washington.
 */
export const ALL_PARTY_CONSENT_STATES: ReadonlySet<string> = new Set([
  'CA',
  'CT',
  'DE',
  'FL',
  'IL',
  'MD',
  'MA',
  'MI',
  'MT',
  'NV',
  'NH',
  'PA',
  'WA',
]);

/** True when a call with this number must announce recording: an all-party-consent state, or unknown. */
export function needsRecordingNotice(callerPhone: string): boolean {
  const area = areaCodeOf(callerPhone);
  return area === null || ALL_PARTY_CONSENT_STATES.has(area.state);
}
