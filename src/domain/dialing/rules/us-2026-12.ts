import type { DialingRuleSet, FrequencyCap } from './types.ts';

const THREE_PER_DAY_SAME_SUBJECT: FrequencyCap = {
  maxCalls: 3,
  perHours: 24,
  sameSubject: true,
  autodialedOnly: false,
};
const SECONDARY = ['telephony-a5', 'dropcowboy', 'clickpoint'] as const;

/**
 * US outbound-calling rules, version us-2026-12: the federal window and the state rules listed in
 * shared/reference/telephony.md A5. Not legal advice; every state entry comes from secondary summaries
 * and is to be confirmed by counsel (`status`). A change is a new file with a new version, so a stored
 * decision names exactly the rules it ran.
 */
export const US_DIALING_RULES_2026_12: DialingRuleSet = {
  version: 'us-2026-12',
  effectiveFrom: '2026-12-01',
  disclaimer:
    'Not legal advice. Federal window from 47 CFR 64.1200(c)(1) and 16 CFR 310.4(c); state rules from secondary summaries, to be confirmed by counsel.',
  sources: {
    'cfr-64.1200': {
      title: '47 CFR § 64.1200(c)(1) (TCPA): no telephone solicitation before 8 a.m. or after 9 p.m. local time',
      url: 'https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200',
    },
    'tsr-310.4': {
      title: '16 CFR § 310.4(c) (FTC Telemarketing Sales Rule): calling time restrictions',
      url: 'https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-310/section-310.4',
    },
    'fla-501.616': { title: 'Fla. Stat. § 501.616 (Florida Telephone Solicitation Act): hours and 3 calls per 24 h' },
    'telephony-a5': { title: 'shared/reference/telephony.md, A5. US outbound-calling rules (project reference)' },
    dropcowboy: {
      title: 'Drop Cowboy, state compliance (secondary)',
      url: 'https://www.dropcowboy.com/state-compliance',
    },
    clickpoint: {
      title: 'ClickPoint, telemarketing calling hours by state (secondary)',
      url: 'https://blog.clickpointsoftware.com/telemarketing-calling-hours-by-state',
    },
  },
  federal: { window: { start: '08:00', end: '21:00' }, sources: ['cfr-64.1200', 'tsr-310.4'] },
  states: {
    FL: {
      window: { start: '08:00', end: '20:00' },
      caps: [THREE_PER_DAY_SAME_SUBJECT],
      status: 'secondary',
      sources: ['fla-501.616', ...SECONDARY],
    },
    OK: {
      window: { start: '08:00', end: '20:00' },
      caps: [THREE_PER_DAY_SAME_SUBJECT],
      status: 'secondary',
      sources: SECONDARY,
    },
    MD: {
      window: { start: '08:00', end: '20:00' },
      caps: [THREE_PER_DAY_SAME_SUBJECT],
      status: 'secondary',
      sources: SECONDARY,
    },
    ME: {
      caps: [{ maxCalls: 1, perHours: 8, sameSubject: false, autodialedOnly: true }],
      status: 'secondary',
      sources: SECONDARY,
    },
    AL: { noSundays: true, noHolidays: true, status: 'secondary', sources: SECONDARY },
    LA: { noSundays: true, noHolidays: true, status: 'secondary', sources: SECONDARY },
    MS: { noSundays: true, status: 'secondary', sources: SECONDARY },
    CT: { window: { start: '09:00', end: '20:00' }, status: 'secondary', sources: SECONDARY },
    KY: { window: { start: '10:00', end: '21:00' }, status: 'secondary', sources: SECONDARY },
    MI: { window: { start: '09:00', end: '21:00' }, status: 'secondary', sources: SECONDARY },
    MN: { window: { start: '09:00', end: '21:00' }, status: 'secondary', sources: SECONDARY },
    NM: { window: { start: '09:00', end: '21:00' }, status: 'secondary', sources: SECONDARY },
    NV: { window: { start: '09:00', end: '20:00' }, status: 'secondary', sources: SECONDARY },
    MA: { window: { start: '08:00', end: '20:00' }, status: 'secondary', sources: SECONDARY },
    TX: {
      window: { start: '09:00', end: '21:00' },
      sundayWindow: { start: '12:00', end: '21:00' },
      status: 'unverified',
      sources: ['telephony-a5'],
      note: 'Weekdays and Saturday 09:00–21:00, Sunday 12:00–21:00: flagged unverified in the reference.',
    },
  },
};

/** The rules the guard uses unless told otherwise. */
export const CURRENT_DIALING_RULES: DialingRuleSet = US_DIALING_RULES_2026_12;
