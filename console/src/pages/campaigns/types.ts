import { useApi } from '../../api.ts';
import type { Tone } from '../../components/ui.tsx';
import { label } from '../../format.ts';

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
/** GET /api/campaigns: each campaign with how many targets are in each status. */
export type CampaignListed = Campaign & { targets_by_status: Record<string, number> };

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

/** GET /api/campaigns/:id/audit: a page of the dial decisions. */
export interface AuditPage {
  total: number;
  limit: number;
  offset: number;
  items: DialDecision[];
}

/** POST /api/campaigns/:id/targets */
export interface EnrolReport {
  requested: number;
  added: number;
  skipped_existing: number;
  skipped_duplicate: number;
  invalid: string[];
}

/** GET /api/campaigns/options: what a campaign can be. */
export interface CampaignOptions {
  purposes: { purpose: string; default_playbook: string }[];
  playbooks: { name: string; goal: string }[];
  contact_roles: string[];
  abandonment: { limit: number; slow_down_at: number; window_days: number };
}

const PURPOSE_WORDS: Record<string, string> = {
  just_listed: 'Just listed',
  just_sold: 'Just sold',
  expired_follow_up: 'Expired listing follow-up',
  fsbo_follow_up: 'FSBO follow-up',
  open_house_rsvp: 'Open house RSVP',
  past_client_check_in: 'Past client check-in',
  property_update: 'Property update',
};

export const purposeLabel = (code: string): string => PURPOSE_WORDS[code] ?? label(code);

export const useCampaignOptions = () => useApi<CampaignOptions>('/api/campaigns/options');

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

/** One number of GET /api/campaigns/:id/targets (listTargets in src/domain/campaigns/campaign-targets.ts). */
export interface CampaignTargetRow {
  id: number;
  phone: string;
  name: string | null;
  contact_id: number | null;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  outcome: string | null;
  outcome_note: string | null;
  last_dial: {
    attempt_no: number;
    status: string;
    answered_by: string | null;
    outcome: string | null;
    duration_sec: number | null;
    started_at: string;
    ended_at: string | null;
    call_sid: string | null;
  } | null;
}

export interface CampaignTargetPage {
  total: number;
  limit: number;
  offset: number;
  items: CampaignTargetRow[];
}
