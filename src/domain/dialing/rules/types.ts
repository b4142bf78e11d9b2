import type { UsStateCode } from '../../shared/us-states.ts';

/** A half-open local-time window, `start ≤ local time < end`, as "HH:MM" (24-hour clock). */
export interface LocalWindow {
  start: string;
  end: string;
}

/**
 * At most `maxCalls` calls to one number inside any rolling `perHours` window (the call being checked
 * counts: it is refused when `maxCalls` earlier attempts already fall inside the window).
 */
export interface FrequencyCap {
  maxCalls: number;
  perHours: number;
  /** Only attempts on the same subject count (an attempt or a check without a subject counts as the same). */
  sameSubject: boolean;
  /** Only automatically dialled calls are limited (attempts not marked otherwise count as autodialled). */
  autodialedOnly: boolean;
}

/**
 * How far a rule has been checked: `secondary` = taken from the secondary summaries cited in
 * shared/reference/telephony.md A5 (still to be confirmed by counsel); `unverified` = flagged unverified
 * there. Both are enforced: an unverified restriction only ever refuses more calls.
 */
export type RuleStatus = 'secondary' | 'unverified';

export interface StateDialingRules {
  /** Calling window on every day (Sundays included unless `sundayWindow` is set). */
  window?: LocalWindow;
  /** A different window on Sundays. */
  sundayWindow?: LocalWindow;
  /** No calls on a Sunday (the local date in any candidate zone). */
  noSundays?: boolean;
  /** No calls on the state's public holidays, observed substitute days included (date-holidays, type `public`). */
  noHolidays?: boolean;
  caps?: readonly FrequencyCap[];
  status: RuleStatus;
  /** Keys of `DialingRuleSet.sources`. */
  sources: readonly string[];
  note?: string;
}

export interface RuleSource {
  title: string;
  url?: string;
}

/** One version of the outbound calling rules. Any change to the rules is a new file with a new `version`. */
export interface DialingRuleSet {
  version: string;
  /** First day (YYYY-MM-DD) this version is meant to be used. */
  effectiveFrom: string;
  disclaimer: string;
  sources: Readonly<Record<string, RuleSource>>;
  federal: { window: LocalWindow; sources: readonly string[] };
  states: Readonly<Partial<Record<UsStateCode, StateDialingRules>>>;
}
