/**
 * Follow-up queue (reference §2.3, seed-code constants): staleness base × grade multiplier plus
 * bonuses, priority bands, suggested action from the first matching reason, best contact.
 */
import type { ContactRole } from '../contacts/contact.entity.ts';
import type { PropertyStatus, ScoreGrade } from '../properties/property.enums.ts';
import { DAY_MS, plural, round1, type ContractStatus } from './shared.ts';

export const RECENT_TOUCH_HOURS = 24;
export const MAX_BASE_SCORE = 300;
export const DEADLINE_WARN_DAYS = 3;
export const UNSIGNED_STALE_DAYS = 3;
export const GRADE_MULTIPLIERS: Record<ScoreGrade, number> = { A: 2.0, B: 1.5, C: 1.0, D: 0.8, F: 0.5 };
export const UNGRADED_MULTIPLIER = 1.0;
export const BONUS = {
  deadline: 40,
  overdueTask: 35,
  unsignedContract: 30,
  skipTraceNoOutreach: 25,
  missingBuyer: 15,
} as const;
export const PRIORITY_THRESHOLDS = { urgent: 100, high: 60, medium: 30 } as const;
/** Tools whose history rows count as outreach to the owner. */
export const CALL_TOOL_NAMES = [
  'make_property_phone_call',
  'call_property_owner_skip_trace',
  'call_contact_about_contract',
  'elevenlabs_call',
] as const;

export type FollowUpPriority = 'urgent' | 'high' | 'medium' | 'low';

export interface FollowUpContract {
  name: string;
  required: boolean;
  status: ContractStatus;
  requiredByDate: Date | null;
  createdAt: Date;
}

export interface FollowUpFacts {
  propertyId: number;
  address: string;
  status: PropertyStatus;
  dealScore?: number | null;
  scoreGrade: ScoreGrade | null;
  createdAt: Date;
  /** Latest conversation-history row, if any. */
  lastActivityAt: Date | null;
  /** Scheduled time of a pending `snooze_follow_up` task, if any. */
  snoozedUntil: Date | null;
  contracts: readonly FollowUpContract[];
  /** A pending follow-up task (not a snooze marker) is due. */
  overdueFollowUpTask: boolean;
  overdueFollowUpTaskTitle?: string;
  /** Latest skip trace, or null. */
  skipTrace: { ownerName: string | null; phones: readonly string[] } | null;
  /** Any of {@link CALL_TOOL_NAMES} was ever logged for the property. */
  callToolLogged: boolean;
  contacts: readonly { name: string; role: ContactRole; phone: string | null }[];
}

export interface FollowUpContact {
  name: string;
  phone: string | null;
  role: ContactRole | 'owner';
}

export interface FollowUpItem {
  property_id: number;
  address: string;
  status: PropertyStatus;
  deal_score: number | null;
  score_grade: ScoreGrade | null;
  score: number;
  priority: FollowUpPriority;
  reasons: string[];
  suggested_action: string;
  contact: FollowUpContact | null;
  days_since_activity: number;
}

export interface FollowUpQueue {
  items: (FollowUpItem & { rank: number })[];
  total: number;
  voice_summary: string;
}

export function priorityFor(score: number): FollowUpPriority {
  if (score >= PRIORITY_THRESHOLDS.urgent) return 'urgent';
  if (score >= PRIORITY_THRESHOLDS.high) return 'high';
  if (score >= PRIORITY_THRESHOLDS.medium) return 'medium';
  return 'low';
}

export const gradeMultiplier = (grade: ScoreGrade | null): number =>
  grade ? GRADE_MULTIPLIERS[grade] : UNGRADED_MULTIPLIER;

/** Best contact: buyer, then seller, then the first contact, else the skip-trace owner. */
export function bestContact(f: Pick<FollowUpFacts, 'contacts' | 'skipTrace'>): FollowUpContact | null {
  const pick =
    f.contacts.find((c) => c.role === 'buyer') ?? f.contacts.find((c) => c.role === 'seller') ?? f.contacts[0];
  if (pick) return { name: pick.name, phone: pick.phone, role: pick.role };
  const owner = f.skipTrace?.ownerName?.trim();
  if (owner) return { name: owner, phone: f.skipTrace?.phones[0] ?? null, role: 'owner' };
  return null;
}

const isOpen = (c: FollowUpContract): boolean => c.status !== 'completed' && c.status !== 'cancelled';

/** Scores one property; null when it is not a candidate (complete, snoozed, or touched in the last 24 h). */
export function scoreFollowUp(f: FollowUpFacts, now: Date): FollowUpItem | null {
  const t = now.getTime();
  if (f.status === 'complete') return null;
  if (f.snoozedUntil && f.snoozedUntil.getTime() > t) return null;
  const lastTouch = f.lastActivityAt ?? f.createdAt;
  if (lastTouch.getTime() > t - RECENT_TOUCH_HOURS * 3_600_000) return null;

  const daysInactive = (t - lastTouch.getTime()) / DAY_MS;
  let score = Math.min(daysInactive * 10, MAX_BASE_SCORE) * gradeMultiplier(f.scoreGrade);
  const reasons: string[] = [];
  let action: string | null = null;
  const suggest = (a: string): void => {
    action ??= a;
  };

  const deadlines = f.contracts
    .filter((c) => c.required && c.requiredByDate && isOpen(c))
    .filter((c) => c.requiredByDate!.getTime() <= t + DEADLINE_WARN_DAYS * DAY_MS)
    .sort((a, b) => a.requiredByDate!.getTime() - b.requiredByDate!.getTime());
  const due = deadlines[0];
  if (due) {
    score += BONUS.deadline;
    const daysLeft = Math.floor((due.requiredByDate!.getTime() - t) / DAY_MS);
    reasons.push(
      daysLeft < 0
        ? `Contract '${due.name}' OVERDUE by ${plural(-daysLeft, 'day')}`
        : `Contract '${due.name}' due in ${plural(daysLeft, 'day')}`,
    );
    suggest(`Follow up on '${due.name}' contract`);
  }
  if (f.overdueFollowUpTask) {
    score += BONUS.overdueTask;
    const title = f.overdueFollowUpTaskTitle?.trim() || 'Complete the overdue follow-up task';
    reasons.push(`Overdue task: ${title}`);
    suggest(title);
  }
  const unsigned = f.contracts.find(
    (c) =>
      c.required &&
      (c.status === 'draft' || c.status === 'sent') &&
      c.createdAt.getTime() < t - UNSIGNED_STALE_DAYS * DAY_MS,
  );
  if (unsigned) {
    score += BONUS.unsignedContract;
    reasons.push(`${unsigned.name} unsigned for ${UNSIGNED_STALE_DAYS}+ days`);
    suggest(`Send or resend '${unsigned.name}' for signature`);
  }
  if (f.skipTrace && !f.callToolLogged) {
    score += BONUS.skipTraceNoOutreach;
    reasons.push('Skip trace done, no outreach yet');
    suggest('Call the property owner');
  }
  if (f.status === 'waiting_for_contracts' && !f.contacts.some((c) => c.role === 'buyer')) {
    score += BONUS.missingBuyer;
    reasons.push('No buyer contact while waiting for contracts');
    suggest('Add a buyer contact');
  }
  if (reasons.length === 0) {
    reasons.push(`No activity in ${plural(Math.floor(daysInactive), 'day')}`);
    suggest('Check in on this property');
  }

  const contact = bestContact(f);
  let suggested = action ?? 'Check in on this property';
  if (contact?.phone && /^Call\b/.test(suggested)) suggested = `Call ${contact.name} at ${contact.phone}`;
  const rounded = round1(score);
  return {
    property_id: f.propertyId,
    address: f.address,
    status: f.status,
    deal_score: f.dealScore ?? null,
    score_grade: f.scoreGrade,
    score: rounded,
    priority: priorityFor(rounded),
    reasons,
    suggested_action: suggested,
    contact,
    days_since_activity: round1(daysInactive),
  };
}

export interface QueueOptions {
  limit?: number;
  priority?: FollowUpPriority;
}

/** Ranked queue, highest score first (ties by property id); `total` counts items after the priority filter. */
export function buildFollowUpQueue(
  properties: readonly FollowUpFacts[],
  now: Date,
  options: QueueOptions = {},
): FollowUpQueue {
  const limit = options.limit ?? 10;
  const scored = properties
    .map((p) => scoreFollowUp(p, now))
    .filter((i): i is FollowUpItem => i !== null)
    .filter((i) => !options.priority || i.priority === options.priority)
    .sort((a, b) => b.score - a.score || a.property_id - b.property_id);
  const items = scored.slice(0, Math.max(0, limit)).map((item, i) => ({ ...item, rank: i + 1 }));
  return { items, total: scored.length, voice_summary: queueVoice(scored) };
}

function queueVoice(scored: readonly FollowUpItem[]): string {
  const top = scored[0];
  if (!top) return 'No follow-ups needed right now.';
  const total = scored.length;
  const urgent = scored.filter((i) => i.priority === 'urgent').length;
  const head = `You have ${total} ${total === 1 ? 'property' : 'properties'} to follow up on`;
  const urgentPart = urgent > 0 ? `, ${urgent} urgent` : '';
  return `${head}${urgentPart}. Top priority: ${top.address}. ${top.reasons[0]}. Suggested: ${top.suggested_action}.`;
}
