import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeSentiment,
  computeRelationshipHealth,
  NEGATIVE_TERMS,
  POSITIVE_TERMS,
  recommendAction,
  relationshipTrend,
  URGENCY_TERMS,
  type Interaction,
  type RelationshipFacts,
} from '../../../src/domain/intelligence/relationship-health.ts';
import type { NoteSource } from '../../../src/domain/notes/note.entity.ts';

const DAY = 86_400_000;
const NOTE_SOURCES: readonly NoteSource[] = ['voice', 'manual', 'ai', 'phone_call', 'system'];
const NOW = new Date('2025-06-15T12:00:00.000Z');
const ago = (days: number): Date => new Date(NOW.getTime() - days * DAY);

describe('keyword lists', () => {
  it('has 29 positive, 34 negative and 12 urgency terms, lower-case and distinct', () => {
    expect(POSITIVE_TERMS).toHaveLength(29);
    expect(NEGATIVE_TERMS).toHaveLength(34);
    expect(URGENCY_TERMS).toHaveLength(12);
    const all = [...POSITIVE_TERMS, ...NEGATIVE_TERMS, ...URGENCY_TERMS];
    expect(new Set(all).size).toBe(all.length);
    for (const t of all) expect(t).toBe(t.toLowerCase());
  });
});

describe('analyzeSentiment', () => {
  it.each([
    ['Spoke with John. He is interested, thanks us, sounds good.', 3, 0, 1, 'positive', 'enthusiastic'],
    ['John is not interested, the price is too high', 0, 2, -1, 'negative', 'concerned'],
    ['Great house but he has a concern about the roof', 1, 1, 0, 'neutral', 'professional'],
    ['No problem, happy to help', 2, 0, 1, 'positive', 'enthusiastic'],
    ['I know nothing about the unsigned form', 0, 0, 0, 'neutral', 'professional'],
    ['Love it! Excited. Worried about taxes.', 2, 1, 0.33, 'positive', 'professional'],
  ] as const)('%s', (text, pos, neg, score, sentiment, tone) => {
    const s = analyzeSentiment(text);
    expect([s.positive_words, s.negative_words, s.sentiment_score, s.sentiment, s.emotional_tone]).toEqual([
      pos,
      neg,
      score,
      sentiment,
      tone,
    ]);
  });

  it('detects urgency, which sets the tone', () => {
    const s = analyzeSentiment('Need the signed disclosure ASAP, the deadline is Friday');
    expect(s).toMatchObject({ has_urgency: true, urgency_words: 2, positive_words: 1, emotional_tone: 'urgent' });
  });

  it('treats empty text as neutral', () => {
    expect(analyzeSentiment('  ')).toMatchObject({
      sentiment: 'neutral',
      sentiment_score: 0,
      emotional_tone: 'neutral',
    });
  });

  it('puts the cut-offs at ±0.3 (2 positive vs 1 negative = 0.33 is positive; 1 vs 1 is neutral)', () => {
    expect(analyzeSentiment('good, great, but a problem').sentiment).toBe('positive');
    expect(analyzeSentiment('bad, awful, but good').sentiment).toBe('negative');
  });
});

const JOHN: RelationshipFacts = {
  contact: { name: 'John Smith', email: 'john@example.com', phone: '+15551112222' },
  notes: [
    { content: 'Called John Smith, he is interested and it sounds good', source: 'phone_call', createdAt: ago(2) },
    {
      content: 'Emailed John Smith the disclosure; he replied with a concern about the roof',
      source: 'manual',
      createdAt: ago(10),
    },
    { content: 'Texted john smith, no response yet', source: 'manual', createdAt: ago(20) },
    { content: 'John Smith loved the open house', source: 'manual', createdAt: ago(40) }, // outside 30 days
    { content: 'Mary Jones is thrilled', source: 'manual', createdAt: ago(1) }, // someone else
  ],
  contracts: [
    { status: 'in_progress', createdAt: ago(5) },
    { status: 'sent', createdAt: ago(12) },
    { status: 'completed', createdAt: ago(45) }, // outside 30 days
  ],
};

describe('computeRelationshipHealth: hand-computed', () => {
  const h = computeRelationshipHealth(JOHN, NOW);

  it('computes the four components and the weighted health', () => {
    // 5 interactions in 30 days: 3 notes (phone +1, email −1, text −1) and 2 contracts (in progress, sent)
    // frequency 5×10 = 50; responsiveness: phone call, "replied", contract in progress = 3/5 → 60
    // sentiment (1 − 1 − 1)/3 ×100 = −33.3; engagement min(50, 15×2 types) + min(50, 10×1 positive) = 40
    // health 0.25×50 + 0.30×60 + 0.25×(−33.33) + 0.20×40 = 12.5 + 18 − 8.33 + 8 = 30.17 → 30.2
    expect(h.interaction_count).toBe(5);
    expect(h.components).toEqual({ frequency: 50, responsiveness: 60, sentiment: -33.3, engagement: 40 });
    expect(h.health_score).toBe(30.2);
    expect(h.band).toBe('low');
    expect(h.communication_frequency).toBe('medium');
    expect(h.responsiveness).toBe('medium');
  });

  it('derives trend, sentiment trend and the action', () => {
    // recent (≤7 days): 2 vs older: 3 → neither > 4.5 nor < 1.5 → stable
    expect(h.trend).toBe('stable');
    expect(h.sentiment).toEqual({ average: -0.33, recent: 1, trend: 'improving' });
    expect(h.recommended_action.code).toBe('rebuild_relationship');
  });

  it('picks the best contact method by 0.6 × response rate + 0.4 × positive rate', () => {
    // phone: 1/1 responded, 1/1 positive → 1.0; email: 2/3 responded, 0 positive → 0.4; text: 0
    expect(h.best_contact_method).toEqual({
      recommended_method: 'phone_call',
      method_stats: {
        phone_call: { attempts: 1, response_rate: 1, positive_rate: 1, success_score: 1 },
        email: { attempts: 3, response_rate: 0.67, positive_rate: 0, success_score: 0.4 },
        text: { attempts: 1, response_rate: 0, positive_rate: 0, success_score: 0 },
      },
      reasoning: '100% response rate over 1 past interaction',
    });
    expect(h.voice_summary).toBe(
      "John Smith's relationship health is 30 out of 100, low, and the trend is stable. Rebuild the relationship: reach out personally and re-establish regular contact. Best way to reach them: phone call.",
    );
  });

  it('handles a contact with no interactions', () => {
    const none = computeRelationshipHealth(
      { contact: { name: 'Ann Lee', phone: null }, notes: [], contracts: [] },
      NOW,
    );
    expect(none).toMatchObject({ health_score: 0, band: 'low', trend: 'unknown', interaction_count: 0 });
    expect(none.sentiment.trend).toBe('no_data');
    expect(none.best_contact_method.recommended_method).toBe('email');
    const phone = computeRelationshipHealth(
      { contact: { name: 'Ann Lee', phone: '+15550000000' }, notes: [], contracts: [] },
      NOW,
    );
    expect(phone.best_contact_method).toMatchObject({
      recommended_method: 'phone_call',
      reasoning: 'no history yet, phone call is the default',
    });
  });

  it('reaches a high band for a warm, responsive contact', () => {
    const warm = computeRelationshipHealth(
      {
        contact: { name: 'Bea', phone: null },
        notes: Array.from({ length: 6 }, (_, i) => ({
          content: `Spoke with Bea, she is excited and happy (${i})`,
          source: 'voice' as const,
          createdAt: ago(i),
        })),
        contracts: [{ status: 'completed', createdAt: ago(3) }],
      },
      NOW,
    );
    // 7 interactions: frequency 70, responsiveness 100, sentiment 100, engagement 30 + 50 = 80
    // 17.5 + 30 + 25 + 16 = 88.5; recent 7 vs older 0 → improving → maintain
    expect(warm.health_score).toBe(88.5);
    expect(warm.band).toBe('high');
    expect(warm.trend).toBe('improving');
    expect(warm.recommended_action.code).toBe('maintain');
  });
});

describe('action ladder and trend boundaries', () => {
  it.each([
    [39.9, 'stable', 0, 'rebuild_relationship'],
    [40, 'stable', 0, 'check_in'],
    [59.9, 'declining', -1, 'check_in'],
    [60, 'declining', 0, 're_engage'],
    [60, 'stable', -0.31, 'address_concerns'],
    [60, 'stable', -0.3, 'continue_normally'],
    [79.9, 'improving', 0, 'continue_normally'],
    [80, 'stable', 0, 'maintain'],
  ] as const)('health %d, %s, recent sentiment %d → %s', (health, trend, recent, code) => {
    expect(recommendAction(health, trend, recent)).toBe(code);
  });

  const at = (days: number): Interaction => ({
    date: ago(days),
    type: 'note',
    method: 'email',
    responded: false,
    sentiment: null,
    sentiment_score: null,
  });
  it.each([
    [[1, 2, 3], [10, 20], 'stable'], // 3 > 3 is false
    [[1, 2, 3, 4], [10, 20], 'improving'],
    [[1], [10, 20], 'stable'], // 1 < 1 is false
    [[], [10], 'declining'],
    [[6.9], [], 'improving'],
  ] as const)('recent %j vs older %j → %s', (recent, older, trend) => {
    expect(relationshipTrend([...recent, ...older].map(at), NOW)).toBe(trend);
  });
});

describe('relationship properties', () => {
  it('keeps health within 0–100 and the band consistent', () => {
    const word = fc.constantFrom(...POSITIVE_TERMS, ...NEGATIVE_TERMS, 'house', 'offer', 'no answer', 'replied');
    const note = fc.record({
      content: fc.array(word, { maxLength: 6 }).map((ws) => `Pat Doe ${ws.join(' ')}`),
      source: fc.constantFrom(...NOTE_SOURCES),
      createdAt: fc.integer({ min: 0, max: 40 }).map(ago),
    });
    const contract = fc.record({
      status: fc.constantFrom('sent', 'in_progress', 'completed' as const),
      createdAt: fc.integer({ min: 0, max: 40 }).map(ago),
    });
    fc.assert(
      fc.property(fc.array(note, { maxLength: 15 }), fc.array(contract, { maxLength: 5 }), (notes, contracts) => {
        const h = computeRelationshipHealth({ contact: { name: 'Pat Doe' }, notes, contracts }, NOW);
        expect(h.health_score).toBeGreaterThanOrEqual(0);
        expect(h.health_score).toBeLessThanOrEqual(100);
        expect(h.band).toBe(h.health_score >= 70 ? 'high' : h.health_score >= 40 ? 'medium' : 'low');
      }),
    );
  });
});
