import { describe, expect, it } from 'vitest';
import { complianceVoiceSummary, spokenList } from '../../../src/domain/compliance/voice.ts';

describe('compliance voice summary', () => {
  it('joins spoken lists in the WP style', () => {
    expect(spokenList([])).toBe('');
    expect(spokenList(['a'])).toBe('a');
    expect(spokenList(['a', 'b'])).toBe('a, and b');
    expect(spokenList(['a', 'b', 'c', 'd'])).toBe('a, b, c, and d');
    expect(spokenList(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c, and 3 more');
  });

  it('speaks the brief example exactly, one phrase per group', () => {
    expect(
      complianceVoiceSummary({
        property_id: 12,
        problems: [
          { group: 'seller_disclosure', phrase: "the Texas seller's disclosure notice is missing" },
          { group: 'lead_based_paint', phrase: 'lead paint disclosure is required because it was built in 1962' },
          { group: 'lead_based_paint', phrase: 'lead paint disclosure is missing' },
        ],
        to_review: [],
        checked_rules: 5,
      }),
    ).toBe(
      "Property 12 has 2 compliance problems: the Texas seller's disclosure notice is missing, and lead paint disclosure is required because it was built in 1962.",
    );
  });

  it('singular forms and review-only summaries', () => {
    expect(
      complianceVoiceSummary({
        property_id: 3,
        problems: [{ group: 'x', phrase: 'the radon notice is missing' }],
        to_review: ['the flood disclosure'],
        checked_rules: 2,
      }),
    ).toBe('Property 3 has 1 compliance problem: the radon notice is missing. 1 more item needs a human review.');
    expect(
      complianceVoiceSummary({ property_id: 3, problems: [], to_review: ['the flood disclosure'], checked_rules: 2 }),
    ).toBe('Property 3 has no compliance failures, but 1 item needs a human review: the flood disclosure.');
    expect(complianceVoiceSummary({ property_id: 3, problems: [], to_review: [], checked_rules: 1 })).toBe(
      'Property 3 passed all 1 applicable compliance check.',
    );
  });
});
