import type { Tone } from '../../components/ui.tsx';

/** The API's campaign (toCampaignView in src/domain/campaigns/campaigns.service.ts). */
export interface Campaign {
  id: number;
  name: string;
  purpose: string;
  playbook: string;
  property_id: number | null;
  contact_roles: string[];
  caller_id: string;
  telemarketing: boolean;
  max_attempts: number;
  retry_delay_minutes: number;
  calls_per_minute: number;
  max_concurrent: number;
  window_start: string;
  window_end: string;
  status: CampaignStatus;
  started_at: string | null;
  completed_at: string | null;
  created_at: string;
}

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'completed' | 'cancelled';

export interface Abandonment {
  live_answered: number;
  abandoned: number;
  rate: number;
  throttle: 'none' | 'slowed' | 'stopped';
}

export interface CampaignStats {
  targets: number;
  byStatus: Record<string, number>;
  byOutcome: Record<string, number>;
  attempts: number;
  abandonment: Abandonment;
}

/** GET /api/campaigns/:id */
export type CampaignWithStats = Campaign & { stats: CampaignStats };

/** One row of GET /api/campaigns/:id/audit. */
export interface DialDecision {
  id: number;
  target_id: number | null;
  phone: string;
  at: string;
  allowed: boolean;
  blocked_by: string[];
  rules: { rule: string; ok: boolean; detail: string }[];
  zones: string[];
  rules_version: string;
}

/** POST /api/campaigns/:id/targets */
export interface EnrolReport {
  requested: number;
  added: number;
  skipped_existing: number;
  skipped_duplicate: number;
  invalid: string[];
}

/** CAMPAIGN_PURPOSES, with the playbook the server picks for each when none is given. */
export const PURPOSES: { value: string; label: string; playbook: string }[] = [
  { value: 'just_listed', label: 'Just listed', playbook: 'just-listed' },
  { value: 'just_sold', label: 'Just sold', playbook: 'just-sold' },
  { value: 'expired_follow_up', label: 'Expired listing follow-up', playbook: 'expired-follow-up' },
  { value: 'fsbo_follow_up', label: 'FSBO follow-up', playbook: 'fsbo-follow-up' },
  { value: 'open_house_rsvp', label: 'Open house RSVP', playbook: 'open-house-rsvp' },
  { value: 'past_client_check_in', label: 'Past client check-in', playbook: 'past-client-check-in' },
  { value: 'property_update', label: 'Property update', playbook: 'property-update' },
];

/** The campaign playbooks in agents/ (no endpoint lists them). */
export const PLAYBOOKS = PURPOSES.map((p) => p.playbook);

export const purposeLabel = (code: string): string => PURPOSES.find((p) => p.value === code)?.label ?? code;

/** CONTACT_ROLES (src/domain/contacts/contact.entity.ts), the roles a campaign may enrol from its property. */
export const CONTACT_ROLES = [
  'seller',
  'buyer',
  'tenant',
  'landlord',
  'property_manager',
  'lawyer',
  'attorney',
  'lender',
  'mortgage_broker',
  'title_company',
  'contractor',
  'inspector',
  'appraiser',
  'handyman',
  'plumber',
  'electrician',
  'photographer',
  'stager',
  'other',
];

export const STATUS_TONE: Record<CampaignStatus, Tone> = {
  draft: 'neutral',
  active: 'info',
  paused: 'warn',
  completed: 'good',
  cancelled: 'bad',
};

/** Target statuses in plain words, in the order a target moves through them. */
export const TARGET_STATUS_WORDS: Record<string, string> = {
  queued: 'Queued',
  checking: 'Checking rules',
  dialing: 'Dialing',
  ringing: 'Ringing',
  answered: 'Answered',
  conversation: 'In conversation',
  voicemail: 'Voicemail',
  retryScheduled: 'Retry scheduled',
  exhausted: 'No answer (attempts used up)',
  blocked: 'Blocked by rule',
  optedOut: 'Opted out',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** Shown even at zero. */
export const MAIN_TARGET_STATUSES = ['queued', 'dialing', 'answered', 'voicemail', 'done', 'blocked'];

/** Target statuses with nothing left to do (the server's campaign drains when every target is in one). */
export const FINISHED_TARGET_STATUSES = ['exhausted', 'blocked', 'optedOut', 'done', 'cancelled'];

export const finishedOf = (byStatus: Record<string, number>): number =>
  FINISHED_TARGET_STATUSES.reduce((n, s) => n + (byStatus[s] ?? 0), 0);
