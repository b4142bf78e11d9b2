import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ValidationError } from '../errors.ts';

/** Normalises a phone number to E.164 (US default region); throws ValidationError naming the field. */
export function toE164(input: string, field = 'phone'): string {
  const parsed = parsePhoneNumberFromString(input.trim(), 'US');
  if (!parsed || !parsed.isValid()) {
    throw new ValidationError(`${field}: "${input}" is not a valid phone number`, { field });
  }
  return parsed.number;
}

/** Masks a phone number for logs and spoken summaries: +1512•••4567 → "ending in 4567". */
export function lastDigits(e164: string, n = 4): string {
  return e164.slice(-n);
}

/**
 * A North American (+1) number as E.164, or null. Shape only (libphonenumber's validity lags new area codes):
 * the dialing guard decides whether the area code is one it can place in time.
 */
export function tryNanpE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), 'US');
  if (!parsed || parsed.countryCallingCode !== '1' || !/^[2-9]\d{2}[2-9]\d{6}$/.test(parsed.nationalNumber))
    return null;
  return parsed.number;
}
