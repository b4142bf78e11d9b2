import { screen } from '@testing-library/react';
import type { CampaignStats, CampaignWithStats, DialDecision } from '../src/pages/campaigns/types.ts';
import { mockApi, type FetchCall, type MockRoute } from './fetch-mock.ts';

/** What the campaign pages' tests answer for the API. */
/** The campaign form and meter read what a campaign can be from the server. */
export const OPTIONS = {
  purposes: [
    { purpose: 'just_listed', default_playbook: 'just-listed' },
    { purpose: 'just_sold', default_playbook: 'just-sold' },
  ],
  playbooks: [
    { name: 'just-listed', goal: 'Tell the neighbours about the new listing.' },
    { name: 'just-sold', goal: 'Tell the neighbours what the house sold for.' },
    { name: 'open-house-rsvp', goal: 'Invite to the open house and take RSVPs.' },
  ],
  contact_roles: ['seller', 'buyer'],
  abandonment: { limit: 0.03, slow_down_at: 0.02, window_days: 30 },
};
/** The test's routes first, then the options and (unless the test answers them) an empty targets list. */
export const mockCampaignApi = (routes: MockRoute[]) =>
  mockApi([
    ...routes,
    { path: '/api/campaigns/options', body: OPTIONS },
    { path: /^\/api\/campaigns\/\d+\/targets(\?|$)/, body: { total: 0, limit: 25, offset: 0, items: [] } },
  ]);

export const STATS: CampaignStats = {
  targets: 10,
  byStatus: { queued: 2, dialing: 1, answered: 1, voicemail: 1, retryScheduled: 1, done: 3, blocked: 1 },
  byOutcome: { interested: 2, not_interested: 1, voicemail_left: 1, blocked_by_rule: 1 },
  attempts: 9,
  abandonment: { live_answered: 40, abandoned: 1, rate: 0.025, throttle: 'slowed' },
};

export function campaign(over: Partial<CampaignWithStats> = {}): CampaignWithStats {
  return {
    id: 7,
    name: 'Elm St just listed',
    purpose: 'just_listed',
    playbook: 'just-listed',
    property_id: null,
    contact_roles: [],
    caller_id: '+15125550147',
    telemarketing: false,
    max_attempts: 3,
    retry_delay_minutes: 60,
    calls_per_minute: 5,
    max_concurrent: 2,
    window_start: '09:00',
    window_end: '19:00',
    status: 'paused',
    started_at: '2026-12-08T21:00:00.000Z',
    completed_at: null,
    created_at: '2026-12-08T20:00:00.000Z',
    stats: STATS,
    ...over,
  };
}

export const BLOCKED: DialDecision = {
  id: 31,
  target_id: 4,
  phone: '+15125550102',
  at: '2026-12-08T21:05:00.000Z',
  allowed: false,
  blocked_by: ['dnc.internal'],
  rules: [
    { rule: 'federal.window', ok: true, detail: '15:05 America/Chicago is within 08:00–21:00' },
    { rule: 'dnc.internal', ok: false, detail: 'on the internal do-not-call list since 2026-12-01 (manual)' },
  ],
  zones: ['America/Chicago'],
  rules_version: 'v1',
};
export const ALLOWED: DialDecision = {
  ...BLOCKED,
  id: 30,
  phone: '+15125550101',
  allowed: true,
  blocked_by: [],
  rules: BLOCKED.rules.map((r) => ({ ...r, ok: true })),
};

export const gets = (calls: FetchCall[], path: string) =>
  calls.filter((c) => c.method === 'GET' && c.url === path).length;
export const countOf = (word: string) => screen.getByText(word, { selector: 'dt' }).nextElementSibling?.textContent;

/** GET /api/campaigns/:id/audit's page of `items`. */
export const auditPage = (items: DialDecision[], total = items.length, offset = 0) => ({
  total,
  limit: 50,
  offset,
  items,
});
