/**
 * Relationship health of a contact (reference §2.8): keyword sentiment over the notes that mention
 * the contact and the contracts linked to them in the last 30 days, four weighted components, trend,
 * band, next action and best contact method.
 */
import type { NoteSource } from '../notes/note.entity.ts';
import { clamp, DAY_MS, mean, round1, round2, type ContractStatus } from './shared.ts';

/** 29 positive terms. */
// prettier-ignore
export const POSITIVE_TERMS = [
  'great', 'excellent', 'good', 'love', 'happy', 'excited', 'interested', 'perfect', 'wonderful', 'pleased',
  'thank you', 'thanks', 'appreciate', 'agree', 'agreed', 'approved', 'accepted', 'motivated',
  'ready to move forward', 'moving forward', 'on board', 'sounds good', 'looking forward', 'confident',
  'flexible', 'responsive', 'signed', 'ready to sign', 'no problem',
] as const;

/** 34 negative terms. */
// prettier-ignore
export const NEGATIVE_TERMS = [
  'bad', 'terrible', 'awful', 'disappointed', 'frustrated', 'angry', 'upset', 'not interested',
  'no longer interested', 'walk away', 'fell through', 'reject', 'rejected', 'decline', 'declined', 'problem',
  'issue', 'concern', 'concerned', 'worried', 'nervous', 'hesitant', 'reluctant', 'skeptical', 'unfortunately',
  'too expensive', 'too high', 'overpriced', 'lowball', 'backed out', 'cancel', 'cancelled', 'unresponsive',
  'no response',
] as const;

/** 12 urgency terms. */
// prettier-ignore
export const URGENCY_TERMS = [
  'urgent', 'asap', 'as soon as possible', 'immediately', 'right away', 'deadline', 'time sensitive', 'expiring',
  'expires', 'by tomorrow', 'end of day', 'hurry',
] as const;

/** Note wording that shows the contact answered, and wording that shows they did not. */
const RESPONSE_RE = /\b(replied|responded|spoke|talked|called back|confirmed|agreed|said|asked|wants)\b/;
const NO_RESPONSE_RE =
  /\b(no answer|voicemail|no response|did not respond|didn't respond|not responding|unreachable|left a message)\b/;

export type SentimentLabel = 'positive' | 'neutral' | 'negative';
export type ContactMethod = 'phone_call' | 'email' | 'text';

export interface SentimentResult {
  sentiment: SentimentLabel;
  sentiment_score: number;
  has_urgency: boolean;
  emotional_tone: 'neutral' | 'urgent' | 'enthusiastic' | 'concerned' | 'professional';
  positive_words: number;
  negative_words: number;
  urgency_words: number;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const termRe = (t: string): RegExp => new RegExp(`(?<![a-z0-9])${escape(t)}(?![a-z0-9])`, 'g');
const SENTIMENT_TERMS = [
  ...POSITIVE_TERMS.map((t) => ({ t, re: termRe(t), positive: true })),
  ...NEGATIVE_TERMS.map((t) => ({ t, re: termRe(t), positive: false })),
].sort((a, b) => b.t.length - a.t.length);
const URGENCY_RES = URGENCY_TERMS.map(termRe);

const normalise = (text: string): string => text.toLowerCase().replace(/[\u2018\u2019]/g, "'");

/**
 * Keyword sentiment: each term counts once when present as whole words; longer terms are matched
 * first and consume their text, so "not interested" is negative only and "no problem" positive only.
 * Score = (pos − neg) / (pos + neg); positive > 0.3, negative < −0.3.
 */
export function analyzeSentiment(text: string): SentimentResult {
  if (!text.trim()) {
    return {
      sentiment: 'neutral',
      sentiment_score: 0,
      has_urgency: false,
      emotional_tone: 'neutral',
      positive_words: 0,
      negative_words: 0,
      urgency_words: 0,
    };
  }
  let rest = normalise(text);
  let pos = 0;
  let neg = 0;
  for (const term of SENTIMENT_TERMS) {
    term.re.lastIndex = 0;
    if (!term.re.test(rest)) continue;
    if (term.positive) pos++;
    else neg++;
    rest = rest.replace(term.re, ' ');
  }
  const lower = normalise(text);
  const urgency = URGENCY_RES.filter((re) => {
    re.lastIndex = 0;
    return re.test(lower);
  }).length;
  const score = pos + neg === 0 ? 0 : (pos - neg) / (pos + neg);
  const sentiment: SentimentLabel = score > 0.3 ? 'positive' : score < -0.3 ? 'negative' : 'neutral';
  const tone: SentimentResult['emotional_tone'] =
    urgency > 0 ? 'urgent' : score > 0.6 ? 'enthusiastic' : score < -0.5 ? 'concerned' : 'professional';
  return {
    sentiment,
    sentiment_score: round2(score),
    has_urgency: urgency > 0,
    emotional_tone: tone,
    positive_words: pos,
    negative_words: neg,
    urgency_words: urgency,
  };
}

export interface RelationshipFacts {
  contact: { name: string; email?: string | null; phone?: string | null };
  /** Notes of the contact's property; those mentioning the contact (name or email) are used. */
  notes: readonly { content: string; source: NoteSource; createdAt: Date }[];
  /** Contracts linked to the contact. */
  contracts: readonly { status: ContractStatus; createdAt: Date }[];
}

export interface Interaction {
  date: Date;
  type: 'note' | 'contract';
  method: ContactMethod;
  responded: boolean;
  sentiment: SentimentLabel | null;
  sentiment_score: number | null;
}

export const WINDOW_DAYS = 30;
export const RECENT_DAYS = 7;

function noteMethod(source: NoteSource, text: string): ContactMethod {
  if (source === 'phone_call' || source === 'voice') return 'phone_call';
  if (/\b(call|called|calling|spoke|phoned)\b/.test(text)) return 'phone_call';
  if (/\b(text|texted|sms|message|messaged)\b/.test(text)) return 'text';
  return 'email';
}

/** Interactions of the last 30 days, newest first. */
export function gatherInteractions(f: RelationshipFacts, now: Date): Interaction[] {
  const from = now.getTime() - WINDOW_DAYS * DAY_MS;
  const inWindow = (d: Date): boolean => d.getTime() >= from && d.getTime() <= now.getTime();
  const name = f.contact.name.trim().toLowerCase();
  const email = f.contact.email?.trim().toLowerCase();
  const out: Interaction[] = [];
  for (const n of f.notes) {
    const text = normalise(n.content);
    if (!inWindow(n.createdAt) || !((name && text.includes(name)) || (email && text.includes(email)))) continue;
    const s = analyzeSentiment(n.content);
    out.push({
      date: n.createdAt,
      type: 'note',
      method: noteMethod(n.source, text),
      responded: !NO_RESPONSE_RE.test(text) && (n.source === 'phone_call' || RESPONSE_RE.test(text)),
      sentiment: s.sentiment,
      sentiment_score: s.sentiment_score,
    });
  }
  for (const c of f.contracts) {
    if (!inWindow(c.createdAt)) continue;
    const responded = c.status === 'in_progress' || c.status === 'completed';
    out.push({
      date: c.createdAt,
      type: 'contract',
      method: 'email',
      responded,
      sentiment: null,
      sentiment_score: null,
    });
  }
  return out.sort((a, b) => b.date.getTime() - a.date.getTime());
}

export type Trend = 'improving' | 'stable' | 'declining' | 'unknown';
export type ActionCode =
  'rebuild_relationship' | 'check_in' | 're_engage' | 'address_concerns' | 'maintain' | 'continue_normally';

export const ACTION_TEXT: Record<ActionCode, string> = {
  rebuild_relationship: 'Rebuild the relationship: reach out personally and re-establish regular contact.',
  check_in: 'Check in soon to keep the relationship warm.',
  re_engage: 'Contact has gone quieter lately; re-engage with a call.',
  address_concerns: 'Recent notes sound negative; address their concerns directly.',
  maintain: 'Relationship is strong; keep the current cadence.',
  continue_normally: 'Continue with the normal follow-up schedule.',
};

export interface MethodStats {
  attempts: number;
  response_rate: number;
  positive_rate: number;
  success_score: number;
}

export interface BestContactMethod {
  recommended_method: ContactMethod;
  method_stats: Partial<Record<ContactMethod, MethodStats>>;
  reasoning: string;
}

export interface RelationshipHealth {
  contact_name: string;
  health_score: number;
  band: 'high' | 'medium' | 'low';
  trend: Trend;
  components: { frequency: number; responsiveness: number; sentiment: number; engagement: number };
  communication_frequency: 'high' | 'medium' | 'low';
  responsiveness: 'high' | 'medium' | 'low';
  sentiment: { average: number; recent: number; trend: 'improving' | 'stable' | 'declining' | 'no_data' };
  interaction_count: number;
  recommended_action: { code: ActionCode; text: string };
  best_contact_method: BestContactMethod;
  voice_summary: string;
}

const level = (score: number): 'high' | 'medium' | 'low' => (score >= 70 ? 'high' : score >= 40 ? 'medium' : 'low');

/** Recent (≤7 days) vs older (7–30 days) interaction counts: >1.5× improving, <0.5× declining. */
export function relationshipTrend(interactions: readonly Interaction[], now: Date): Trend {
  if (interactions.length === 0) return 'unknown';
  const cut = now.getTime() - RECENT_DAYS * DAY_MS;
  const recent = interactions.filter((i) => i.date.getTime() >= cut).length;
  const older = interactions.length - recent;
  if (recent > older * 1.5) return 'improving';
  if (recent < older * 0.5) return 'declining';
  return 'stable';
}

export function recommendAction(health: number, trend: Trend, recentSentiment: number): ActionCode {
  if (health < 40) return 'rebuild_relationship';
  if (health < 60) return 'check_in';
  if (trend === 'declining') return 're_engage';
  if (recentSentiment < -0.3) return 'address_concerns';
  if (health >= 80) return 'maintain';
  return 'continue_normally';
}

/** Per channel: 0.6 × response rate + 0.4 × positive rate; no history ⇒ phone if known, else email. */
export function bestContactMethod(f: RelationshipFacts, interactions: readonly Interaction[]): BestContactMethod {
  const stats: Partial<Record<ContactMethod, MethodStats>> = {};
  let best: ContactMethod | null = null;
  for (const method of ['phone_call', 'email', 'text'] as const) {
    const xs = interactions.filter((i) => i.method === method);
    if (xs.length === 0) continue;
    const responseRate = xs.filter((i) => i.responded).length / xs.length;
    const positiveRate = xs.filter((i) => i.sentiment === 'positive').length / xs.length;
    const s = {
      attempts: xs.length,
      response_rate: round2(responseRate),
      positive_rate: round2(positiveRate),
      success_score: round2(0.6 * responseRate + 0.4 * positiveRate),
    };
    stats[method] = s;
    if (best === null || s.success_score > stats[best]!.success_score) best = method;
  }
  if (best !== null) {
    const s = stats[best]!;
    return {
      recommended_method: best,
      method_stats: stats,
      reasoning: `${Math.round(s.response_rate * 100)}% response rate over ${s.attempts} past ${s.attempts === 1 ? 'interaction' : 'interactions'}`,
    };
  }
  const method: ContactMethod = f.contact.phone ? 'phone_call' : 'email';
  return {
    recommended_method: method,
    method_stats: stats,
    reasoning: `no history yet, ${method.replace('_', ' ')} is the default`,
  };
}

/** Relationship health (reference §2.8). */
export function computeRelationshipHealth(f: RelationshipFacts, now: Date): RelationshipHealth {
  const xs = gatherInteractions(f, now);
  const frequency = clamp(xs.length * 10, 0, 100);
  const responsiveness = xs.length === 0 ? 0 : (xs.filter((i) => i.responded).length / xs.length) * 100;
  const scores = xs.map((i) => i.sentiment_score).filter((s): s is number => s !== null);
  const avgSentiment = mean(scores) ?? 0;
  const recentSentiment = scores[0] ?? 0;
  const sentiment = avgSentiment * 100;
  const types = new Set(xs.map((i) => i.type)).size;
  const positives = xs.filter((i) => i.sentiment === 'positive').length;
  const engagement = Math.min(50, 15 * types) + Math.min(50, 10 * positives);
  const health = round1(clamp(0.25 * frequency + 0.3 * responsiveness + 0.25 * sentiment + 0.2 * engagement, 0, 100));
  const trend = relationshipTrend(xs, now);
  const code = recommendAction(health, trend, recentSentiment);
  const method = bestContactMethod(f, xs);
  const band = level(health);
  const sentimentTrend =
    scores.length === 0
      ? 'no_data'
      : recentSentiment > avgSentiment + 0.2
        ? 'improving'
        : recentSentiment < avgSentiment - 0.2
          ? 'declining'
          : 'stable';
  const name = f.contact.name;
  return {
    contact_name: name,
    health_score: health,
    band,
    trend,
    components: {
      frequency: round1(frequency),
      responsiveness: round1(responsiveness),
      sentiment: round1(sentiment),
      engagement: round1(engagement),
    },
    communication_frequency: level(frequency),
    responsiveness: level(responsiveness),
    sentiment: { average: round2(avgSentiment), recent: round2(recentSentiment), trend: sentimentTrend },
    interaction_count: xs.length,
    recommended_action: { code, text: ACTION_TEXT[code] },
    best_contact_method: method,
    voice_summary: `${name}'s relationship health is ${Math.round(health)} out of 100, ${band}, and the trend is ${trend === 'unknown' ? 'unknown' : trend}. ${ACTION_TEXT[code]} Best way to reach them: ${method.recommended_method.replace('_', ' ')}.`,
  };
}
